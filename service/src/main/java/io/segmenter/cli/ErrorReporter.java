package io.segmenter.cli;

import io.segmenter.logging.ConnectCheckLogFilter;
import io.segmenter.service.Reachability.UnreachableException;
import io.segmenter.service.TopicCheckException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one clear line on stderr and an exit code: 2 for what the user fixes locally
 * (a bad setting, a missing or misconfigured topic; the message names it), 1 for failures at run
 * time (Kafka or the registry unreachable, anything unexpected). The stack trace only with
 * {@value #VERBOSE}, which every command has.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  static final int BAD_SETTING = 2;
  static final int FAILED = 1;
  static final String VERBOSE = "--verbose";

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
    String name = "segmenter " + cl.getCommandName();
    boolean verbose = verbose(parsed);
    ConfigException bad = find(e, ConfigException.class);
    if (bad != null) {
      cl.getErr().println(name + ": invalid setting: " + bad.getMessage());
      return trace(e, cl, verbose, BAD_SETTING);
    }
    TopicCheckException topic = find(e, TopicCheckException.class);
    if (topic != null) {
      cl.getErr().println(name + ": " + topic.getMessage());
      return trace(e, cl, verbose, BAD_SETTING);
    }
    UnreachableException unreachable = find(e, UnreachableException.class);
    if (unreachable != null) {
      cl.getErr().println(name + ": " + unreachable.getMessage() + (verbose ? "" : " (" + VERBOSE + " for details)"));
      return trace(e, cl, verbose, FAILED);
    }
    String message = String.valueOf(e);
    int nl = message.indexOf('\n');
    cl.getErr().println(name + ": " + (nl < 0 ? message : message.substring(0, nl))
        + (verbose ? "" : " (" + VERBOSE + " for the stack trace)"));
    return trace(e, cl, verbose, FAILED);
  }

  private static int trace(Exception e, CommandLine cl, boolean verbose, int code) {
    if (verbose) e.printStackTrace(cl.getErr());
    cl.getErr().flush();
    return code;
  }

  /** Whether --verbose was given, to the top command or to a subcommand (it is inherited). */
  static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(VERBOSE)) return true;
    }
    return false;
  }

  /** Runs the command, with Kafka's connection warnings of the reachability check shown only under --verbose. */
  static int execute(ParseResult parsed) {
    ConnectCheckLogFilter.showAll(verbose(parsed));
    return new CommandLine.RunLast().execute(parsed);
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return type.cast(t);
    }
    return null;
  }
}
