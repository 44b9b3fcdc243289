package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Issue 22, help that helps: every command and subcommand of the tools' jar (which holds the
 * service's too), found by walking the command tree, prints a {@code --help} in which every option
 * and parameter has a description and which ends with at least one example that runs as written
 * from a checkout. The test reads the text the user reads, not picocli's model: what is checked is
 * what is printed. (CliHelpTest checks which options each command has and how bad values are
 * refused; this one checks that the help explains them.)
 */
class NewcomerHelpTest {
  /**
   * An entry of picocli's option and parameter list: two spaces, then "-x, " or four spaces, then the
   * names; or a short option alone. The synopsis' continuation lines are indented deeper and the
   * description and footer lines otherwise, so neither matches.
   */
  private static final Pattern ENTRY = Pattern.compile("^  (?:-\\w, |    )(\\S.*?)(?: {2,}(.*))?$|^  (-\\w)(?: {2,}(.*))?$");
  private static final Pattern JAR = Pattern.compile("java -jar (tools/target/segmenter-tools\\.jar|service/target/segmenter-service\\.jar)(.*)");

  /** Every command line of the tree, the root first, each as the words that select it. */
  static List<List<String>> commands() {
    List<List<String>> out = new ArrayList<>();
    walk(SegmenterTools.commandLine(), new ArrayList<>(), out);
    return out;
  }

  private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    for (var e : cl.getSubcommands().entrySet()) {
      // An alias maps to the same command; visit each command under its own name only.
      if (!e.getKey().equals(e.getValue().getCommandName())) continue;
      List<String> next = new ArrayList<>(path);
      next.add(e.getKey());
      walk(e.getValue(), next, out);
    }
  }

  @Test
  void theWalkFindsEveryCommand() {
    assertThat(commands()).extracting(p -> String.join(" ", p))
        .contains("", "run", "hash-token", "help", "demo", "generate", "replay", "erase", "clv", "clv fit", "clv predict");
  }

  @TestFactory
  Stream<DynamicTest> everyCommandsHelpDescribesEveryOptionAndShowsAnExample() {
    return commands().stream().map(path -> DynamicTest.dynamicTest("segmenter " + String.join(" ", path) + " --help",
        () -> checkHelp(path)));
  }

  private static void checkHelp(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    CommandOutcome o = CommandOutcome.run(SegmenterTools.commandLine(), args.toArray(String[]::new));
    String name = ("segmenter " + String.join(" ", path)).strip();
    assertThat(o.code()).as(name + " --help exit code").isZero();
    List<String> all = o.out().lines().toList();
    // The option list ends where the examples begin (their continuation lines are indented alike).
    int heading = heading(all);
    List<String> lines = heading < 0 ? all : all.subList(0, heading);

    List<String> undescribed = new ArrayList<>();
    int entries = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = ENTRY.matcher(lines.get(i));
      if (!m.matches()) continue;
      entries++;
      String names = m.group(1) != null ? m.group(1) : m.group(3);
      String description = m.group(1) != null ? m.group(2) : m.group(4);
      // A long option name pushes its description to the next, deeper-indented line.
      if (description == null && i + 1 < lines.size() && !ENTRY.matcher(lines.get(i + 1)).matches()
          && lines.get(i + 1).startsWith("      ")) {
        description = lines.get(i + 1);
      }
      if (description == null || description.isBlank()) undescribed.add(names.strip());
    }
    CommandLine.Model.CommandSpec spec = spec(path);
    int declared = spec.options().size() + spec.positionalParameters().size();
    assertThat(entries).as("%s: option and parameter lines found in the help (the parse must see them all)", name)
        .isGreaterThanOrEqualTo(declared);
    assertThat(undescribed).as("%s: options printed without a description", name).isEmpty();

    List<String> examples = examples(all);
    System.out.printf("%s: %d options and parameters, all described; examples: %s%n", name, entries, examples);
    assertThat(examples).as("%s: example lines under an 'Example:' or 'Examples:' heading", name).isNotEmpty();
    for (String example : examples) {
      Matcher m = JAR.matcher(example);
      assertThat(m.find()).as("%s: example runs one of the jars: %s", name, example).isTrue();
      String command = String.join(" ", path);
      if (!command.isEmpty() && !command.equals("help")) {
        assertThat(m.group(2) + " ").as("%s: example runs this command: %s", name, example).startsWith(" " + command + " ");
      }
    }
  }

  /**
   * The examples after the heading, one per command: a line ending in a backslash continues on the
   * next. A line that does not start with the example's indentation ends the block.
   */
  static List<String> examples(List<String> lines) {
    int heading = heading(lines);
    List<String> out = new ArrayList<>();
    if (heading < 0) return out;
    StringBuilder current = null;
    for (int i = heading + 1; i < lines.size() && lines.get(i).startsWith("  "); i++) {
      String line = lines.get(i).strip();
      boolean continues = line.endsWith("\\");
      if (continues) line = line.substring(0, line.length() - 1).strip();
      if (current == null) current = new StringBuilder(line);
      else current.append(' ').append(line);
      if (!continues) {
        out.add(current.toString());
        current = null;
      }
    }
    assertThat(current).as("an example whose last line ends with a backslash").isNull();
    return out;
  }

  /** The line of the examples' heading, or -1. */
  private static int heading(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("Example:") || lines.get(i).equals("Examples:")) return i;
    }
    return -1;
  }

  private static CommandLine.Model.CommandSpec spec(List<String> path) {
    CommandLine cl = SegmenterTools.commandLine();
    for (String word : path) cl = cl.getSubcommands().get(word);
    return cl.getCommandSpec();
  }
}
