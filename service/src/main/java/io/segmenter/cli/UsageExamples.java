package io.segmenter.cli;

import picocli.CommandLine;

/**
 * What the commands' help shows under "Examples:": command lines that run as written from a checkout
 * once the jars are built (the data paths are those of docs/RUNNING.md). Lines are kept under 80
 * columns, continued with a backslash, because picocli would otherwise wrap them where a shell
 * cannot follow.
 */
public final class UsageExamples {
  /** The heading of every command's examples (picocli's footerHeading). */
  public static final String HEADING = "%nExamples:%n";
  /** How the service jar is run from a checkout. */
  public static final String SERVICE_JAR = "java -jar service/target/segmenter-service.jar";
  /** How the tools' jar is run from a checkout. */
  public static final String TOOLS_JAR = "java -jar tools/target/segmenter-tools.jar";
  /** The options that reach a local cluster, as the examples give them: one line each. */
  public static final String LOCAL_KAFKA = "--bootstrap-servers localhost:9092";
  public static final String LOCAL_REGISTRY = "--schema-registry-url http://localhost:8081";

  private UsageExamples() { }

  /**
   * Gives picocli's built-in {@code help} command (whose annotations are not ours) its examples,
   * with the jar it is run from.
   */
  public static void forHelpCommand(CommandLine root, String jar, String command) {
    CommandLine help = root.getSubcommands().get("help");
    if (help == null) return;
    help.getCommandSpec().usageMessage().footerHeading(HEADING)
        .footer("  " + jar + " help " + command, "  " + jar + " " + command + " --help");
  }
}
