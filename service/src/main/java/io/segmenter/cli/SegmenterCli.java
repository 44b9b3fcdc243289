package io.segmenter.cli;

import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The service's command line: {@code java -jar segmenter-service.jar <command>}. It holds only what a
 * production deployment runs ({@code run}, {@code hash-token}); the tools' jar adds demo, generate,
 * replay, erase and clv to this same command line (SegmenterTools).
 */
@Command(name = "segmenter", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description = "Real-time customer segmentation on Kafka Streams.",
    subcommands = {RunCommand.class, HashTokenCommand.class, CommandLine.HelpCommand.class},
    footerHeading = UsageExamples.HEADING,
    footer = {"  " + UsageExamples.SERVICE_JAR + " run --help",
        "  " + UsageExamples.SERVICE_JAR + " run \\",
        "      " + UsageExamples.LOCAL_KAFKA + " \\",
        "      " + UsageExamples.LOCAL_REGISTRY})
public final class SegmenterCli implements Runnable {
  /** The commands of the tools' jar that this jar does not have. */
  static final Set<String> TOOLS_COMMANDS = Set.of("demo", "generate", "replay", "erase", "clv");
  /** Shown under the service jar's help, where the tools' commands are not. */
  static final String TOOLS_FOOTER = "%nThe " + String.join(", ", new TreeSet<>(TOOLS_COMMANDS))
      + " commands are in segmenter-tools.jar (tools/target/).";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Read from the parse result (ErrorReporter.verbose); inherited, so every command has it. */
  @CommandLine.Option(names = ErrorReporter.VERBOSE, scope = CommandLine.ScopeType.INHERIT,
      description = "On failure, print the stack trace (and Kafka's connection warnings) after the one-line message.")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(asServiceJar(commandLine(), args));
  }

  /**
   * The service jar's command line: the tools' commands named where they are, rather than refused
   * as unknown arguments.
   */
  static int asServiceJar(CommandLine cl, String... args) {
    String[] examples = cl.getCommandSpec().usageMessage().footer();
    String[] footer = java.util.Arrays.copyOf(examples, examples.length + 1);
    footer[examples.length] = TOOLS_FOOTER;
    cl.getCommandSpec().usageMessage().footer(footer);
    if (args.length > 0 && TOOLS_COMMANDS.contains(args[0])) {
      cl.getErr().printf("segmenter: '%s' is a command of segmenter-tools.jar (tools/target/), not of this jar, "
          + "the service's (run, hash-token): java -jar segmenter-tools.jar %s ...%n", args[0], args[0]);
      return 2;
    }
    return cl.execute(args);
  }

  /** Runs one command line and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The service's commands, ready for more to be added (the tools' jar does). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SegmenterCli());
    cl.setExecutionExceptionHandler(new ErrorReporter());
    UsageExamples.forHelpCommand(cl, UsageExamples.SERVICE_JAR, "run");
    cl.setParameterExceptionHandler(new ParameterErrorReporter());
    cl.setExecutionStrategy(ErrorReporter::execute);
    return cl;
  }

  @Override
  public void run() {
    // No command: show what there is.
    spec.commandLine().usage(System.out);
  }
}
