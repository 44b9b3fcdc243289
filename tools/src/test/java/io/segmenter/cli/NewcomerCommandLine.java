package io.segmenter.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Runs one tools' command line in-process as a newcomer would type it, without the machine's
 * SEGMENTER_* variables, and times it; for the Newcomer* tests.
 */
record NewcomerCommandLine(CommandOutcome outcome, double seconds) {
  static NewcomerCommandLine run(String... args) {
    CommandLine cl = SegmenterTools.commandLine();
    for (CommandLine sub : cl.getSubcommands().values()) {
      Callable<?> command = sub.getCommand() instanceof Callable<?> c ? c : null;
      if (command instanceof RunCommand r) r.environment = Map.of();
      if (command instanceof GenerateCommand g) g.environment = Map.of();
      if (command instanceof ReplayCommand r) r.environment = Map.of();
      if (command instanceof EraseCommand e) e.environment = Map.of();
    }
    long start = System.nanoTime();
    CommandOutcome o = CommandOutcome.run(cl, args);
    return new NewcomerCommandLine(o, (System.nanoTime() - start) / 1e9);
  }

  int code() {
    return outcome.code();
  }

  String err() {
    return outcome.err();
  }

  /** The lines on stderr that are not blank. */
  java.util.List<String> errLines() {
    return outcome.err().lines().filter(l -> !l.isBlank()).toList();
  }

  /** Prints what the test measured, as the issue asks: the command, its exit code, time and message. */
  NewcomerCommandLine print(String what) {
    System.out.printf("%s: exit %d after %.1f s, %d line(s) on stderr: %s%n", what, code(), seconds,
        errLines().size(), errLines().isEmpty() ? "" : errLines().get(0));
    return this;
  }

  boolean hasStackTrace() {
    return outcome.err().contains("\tat ");
  }
}
