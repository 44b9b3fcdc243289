package io.segmenter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** What one command line printed and returned, for tests of the service's and the tools' commands. */
public record CommandOutcome(int code, String out, String err) {
  /** Runs {@code args} on this command line, capturing its output and error streams. */
  public static CommandOutcome run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CommandOutcome(code, out.toString(), err.toString());
  }

  /**
   * Runs {@code segmenter run args} with {@code environment} as its process environment (the
   * SEGMENTER_* variables it reads), and prints what it said, so that a test's log shows each message.
   */
  static CommandOutcome runCommand(Map<String, String> environment, String... args) {
    CommandLine cl = SegmenterCli.commandLine();
    ((RunCommand) cl.getSubcommands().get("run").getCommand()).environment = environment;
    String[] all = new String[args.length + 1];
    all[0] = "run";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandOutcome o = run(cl, all);
    System.out.printf("run %s -> exit %d: %s", String.join(" ", args), o.code(), o.err());
    return o;
  }

  /** Runs {@code args} on the service's command line (run, hash-token). */
  static CommandOutcome service(String... args) {
    return run(SegmenterCli.commandLine(), args);
  }
}
