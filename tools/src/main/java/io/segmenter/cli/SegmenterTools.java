package io.segmenter.cli;

import picocli.CommandLine;

/**
 * The tools' command line: {@code java -jar segmenter-tools.jar <command>}. The service's own commands
 * (run, hash-token) and, around them, what a developer or an operator uses besides: the demo, the
 * synthetic generator, the replay of order files, erasure requests and the predictive model's fitting.
 */
public final class SegmenterTools {
  /** The top-level help's examples, in the tools' jar. */
  static final String[] TOOLS_EXAMPLES = {
      "  " + UsageExamples.TOOLS_JAR + " demo --duration 120",
      "  " + UsageExamples.TOOLS_JAR + " replay \\",
      "      ../shared/data/online-retail-ii/ \\",
      "      " + UsageExamples.LOCAL_KAFKA + " \\",
      "      " + UsageExamples.LOCAL_REGISTRY + " \\",
      "      --create-topics",
      "  " + UsageExamples.TOOLS_JAR + " help replay"};

  private SegmenterTools() { }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs one command line and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The service's command line with the tools added. */
  public static CommandLine commandLine() {
    CommandLine cl = SegmenterCli.commandLine();
    // The same command line as the service jar's, run from the tools' jar: examples of this jar.
    cl.getCommandSpec().usageMessage().footer(TOOLS_EXAMPLES);
    UsageExamples.forHelpCommand(cl, UsageExamples.TOOLS_JAR, "replay");
    for (Object command : new Object[] {new DemoCommand(), new GenerateCommand(), new ReplayCommand(),
        new EraseCommand(), new ClvCommand()}) {
      cl.addSubcommand(command);
    }
    return cl;
  }
}
