package io.segmenter.cli;

import static io.segmenter.testing.SharedData.cdnow;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Issue 22, item 8 (clv) and the meanings of item 7: {@code clv --help} cut predict's line at "with
 * the spend", predict's parameters had no description, no help had an example, and nothing said what
 * r, alpha, a, b or P(alive) are.
 */
class NewcomerClvHelpTest {
  private static CommandLine clv() {
    return SegmenterTools.commandLine().getSubcommands().get("clv");
  }

  private static String squeezed(String s) {
    return s.replaceAll("\\s+", " ");
  }

  @Test
  void theCommandListShowsEachSubcommandsWholeFirstSentence() {
    CommandOutcome o = CliHelpTest.run("clv", "--help");
    assertThat(o.code()).isZero();
    for (CommandLine sub : clv().getSubcommands().values()) {
      String first = sub.getCommandSpec().usageMessage().description()[0];
      System.out.printf("clv %s: %s%n", sub.getCommandName(), first);
      assertThat(first).as("a complete sentence").endsWith(".");
      assertThat(squeezed(o.out())).contains(sub.getCommandName() + " " + first);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "fit", "predict"})
  void everyOptionHasADescriptionAndTheHelpAnExampleThatRuns(String sub) {
    CommandLine cl = sub.isEmpty() ? clv() : clv().getSubcommands().get(sub);
    CommandSpec spec = cl.getCommandSpec();
    for (OptionSpec option : spec.options()) {
      assertThat(String.join(" ", option.description())).as("clv %s %s", sub, option.longestName()).isNotBlank();
    }
    for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
      assertThat(String.join(" ", p.description())).as("clv %s %s", sub, p.paramLabel()).isNotBlank();
    }
    List<String> args = example(spec.usageMessage().footer());
    System.out.printf("clv %s example: %s%n", sub, String.join(" ", args));
    CommandOutcome o = CliHelpTest.run(args.toArray(String[]::new));
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains(sub.equals("predict") ? "CLV over" : "BG/NBD");
  }

  /**
   * The arguments of the footer's example, without "java -jar tools/target/segmenter-tools.jar", its
   * shared-data paths (relative to the checkout) resolved from the test's directory.
   */
  private static List<String> example(String[] footer) {
    StringBuilder command = new StringBuilder();
    boolean in = false;
    for (String line : footer) {
      if (line.startsWith("Example")) {
        in = true;
      } else if (in) {
        command.append(line.replace("\\", " ")).append(' ');
      }
    }
    String[] words = command.toString().trim().split("\\s+");
    assertThat(words).as("an example from the checkout").startsWith("java", "-jar", "tools/target/segmenter-tools.jar");
    List<String> args = new ArrayList<>();
    for (int i = 3; i < words.length; i++) {
      String w = words[i];
      args.add(w.startsWith("../shared/data/cdnow/") ? cdnow(w.substring("../shared/data/cdnow/".length())).toString() : w);
    }
    return args;
  }

  @Test
  void theScoresMeaningsAreInTheHelpAndInPredictiveMd() throws Exception {
    String help = squeezed(CliHelpTest.run("clv", "--help").out()) + squeezed(CliHelpTest.run("clv", "predict", "--help").out());
    String doc = squeezed(Files.readString(Path.of("..", "docs", "PREDICTIVE.md")));
    for (String meaning : List.of(ClvCommand.R_ALPHA, ClvCommand.A_B, ClvCommand.P_Q_GAMMA, ClvCommand.P_ALIVE)) {
      System.out.println(meaning);
      assertThat(help).contains(meaning);
      assertThat(doc).as("docs/PREDICTIVE.md").contains(meaning);
    }
  }
}
