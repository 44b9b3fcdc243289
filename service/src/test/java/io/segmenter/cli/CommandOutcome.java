package io.segmenter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
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

  /** Runs {@code args} on the service's command line (run, hash-token). */
  static CommandOutcome service(String... args) {
    return run(SegmenterCli.commandLine(), args);
  }
}
