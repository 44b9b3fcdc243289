package io.segmenter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code segmenter} command line: {@code java -jar segmenter.jar <command>}. */
@Command(name = "segmenter", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Real-time customer segmentation on Kafka Streams.",
    subcommands = {DemoCommand.class, RunCommand.class, GenerateCommand.class, ReplayCommand.class, EraseCommand.class,
        ClvCommand.class, HashTokenCommand.class,
        CommandLine.HelpCommand.class})
public final class SegmenterCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs one command line and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SegmenterCli());
    cl.setExecutionExceptionHandler(new ErrorReporter());
    return cl;
  }

  @Override
  public void run() {
    // No command: show what there is.
    spec.commandLine().usage(System.out);
  }
}
