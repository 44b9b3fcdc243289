package io.segmenter.cli;

import io.segmenter.service.TopicCheckException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one clear line on stderr and an exit code: 2 for a bad setting or a missing or
 * misconfigured topic (the message names it), 1 for anything else. No stack trace for what the user
 * can fix.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  static final int BAD_SETTING = 2;
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
    ConfigException bad = find(e, ConfigException.class);
    if (bad != null) {
      cl.getErr().println("segmenter " + cl.getCommandName() + ": invalid setting: " + bad.getMessage());
      return BAD_SETTING;
    }
    TopicCheckException topic = find(e, TopicCheckException.class);
    if (topic != null) {
      cl.getErr().println("segmenter " + cl.getCommandName() + ": " + topic.getMessage());
      return BAD_SETTING;
    }
    cl.getErr().println("segmenter " + cl.getCommandName() + ": " + e);
    e.printStackTrace(cl.getErr());
    return FAILED;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return type.cast(t);
    }
    return null;
  }
}
