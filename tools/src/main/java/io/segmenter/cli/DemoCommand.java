package io.segmenter.cli;

import io.segmenter.config.KnownSettings;
import io.segmenter.logging.LogReconfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: everything in one JVM, nothing to install. See {@link DemoRun} for what runs; this
 * class is the command line, the log file, the temporary directory and Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
    usageHelpAutoWidth = true, footerHeading = UsageExamples.HEADING,
    footer = {"  " + UsageExamples.TOOLS_JAR + " demo",
        "  " + UsageExamples.TOOLS_JAR + " demo --duration 120 --plain",
        "  " + UsageExamples.TOOLS_JAR + " demo --customers 500 --seed 7 \\",
        "      -s segmenter.model.k=4"},
    description = {"Run segmenter on generated customers, all in this JVM, with a live view of its segments.",
        "In this JVM: a Kafka broker (KRaft), a schema registry and segmenter itself. A generated history (ending "
        + "at the start of today, UTC) goes in as "
        + "fast as segmenter takes it, then a live trickle of events for the same customers.",
        "Attach your own consumer to the printed bootstrap address (e.g. topic segment-changes) or query the "
        + "HTTP address while it runs. Logs go to a file that is kept (its path printed at start and at exit); the "
        + "broker's data and the state stores are temporary and deleted on exit."})
final class DemoCommand implements Callable<Integer> {
  /** Read by the service's logback.xml: its lines go to this file instead of stderr. */
  static final String LOG_FILE_PROPERTY = "segmenter.log.file";

  @Spec
  CommandSpec spec;

  @Option(names = "--customers", paramLabel = "N", defaultValue = "2000",
      description = "Generated customers (default: ${DEFAULT-VALUE}).")
  int customers;

  @Option(names = "--days", paramLabel = "DAYS", defaultValue = "60",
      description = "Days of history, ending at the start of today (UTC), so that two runs on a day with the same --seed get the same events (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--duration", paramLabel = "SECONDS",
      description = "Stop after this many seconds and exit 0 (default: run until Ctrl-C).")
  Long durationSeconds;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
      description = "Port of segmenter's HTTP server on localhost; a free port if it is taken, 0 = any (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the generated customers and of the model (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--live-rate", paramLabel = "EVENTS_PER_SECOND", defaultValue = "20",
      description = "Live events per second after the history (default: ${DEFAULT-VALUE}).")
  double liveRate;

  @Option(names = {"--plain", "--no-console"},
      description = "Print the view as blocks of lines instead of redrawing the screen (automatic when stdout is not a terminal).")
  boolean plain;

  @Option(names = "--refresh", paramLabel = "SECONDS",
      description = "Seconds between two views (default: 1 on a terminal, 5 in plain mode).")
  Double refreshSeconds;

  @Option(names = "--log-file", paramLabel = "FILE",
      description = "Write the service's log here (default: segmenter-demo-<start time>-<pid>.log in the system's temporary directory; kept after exit either way).")
  Path logFile;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
      description = "Any segmenter or Kafka Streams setting for the demo's segmenter; repeatable (e.g. -s segmenter.model.k=8).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    validate();
    // First of all: where everything goes. The log file must be set before any logger exists; state
    // stores and other temporary files go under one directory that is deleted on exit (the in-JVM
    // broker deletes its own data directory when it closes). The log is not in that directory: its
    // path is printed for the user to read, during the run and after it.
    Path log = logFile != null ? logFile.toAbsolutePath() : defaultLogFile(Instant.now());
    System.setProperty(LOG_FILE_PROPERTY, log.toString());
    // Logback may have configured already (building the command line loads Kafka's settings classes,
    // whose static loggers start it): configured again, it reads the property.
    LogReconfiguration.reconfigure();
    Path root = createRoot();
    System.setProperty("java.io.tmpdir", root.toString());

    boolean ansi = !plain && System.console() != null && !"dumb".equals(System.getenv("TERM"));
    Duration refresh = Duration.ofMillis((long) (1000 * (refreshSeconds != null ? refreshSeconds : ansi ? 1.0 : 5.0)));
    DemoRun.Options options = new DemoRun.Options(customers, days, seed,
        durationSeconds == null ? null : Duration.ofSeconds(durationSeconds), httpPort, liveRate, ansi, refresh, overrides);
    DemoRun run = new DemoRun(options, root, log, System.out);
    CountDownLatch cleanedUp = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      // Ctrl-C: the main thread leaves its loop, closes everything and deletes the directory.
      run.requestStop();
      try {
        if (!cleanedUp.await(90, TimeUnit.SECONDS)) run.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "segmenter-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean ok = false;
    try {
      int code = run.run();
      ok = true;
      return code;
    } finally {
      run.close();
      if (!ok) printLogTail(log);
      DemoRun.deleteTree(root, System.out);
      if (Files.exists(log)) System.out.println("segmenter demo: the service's log is kept in " + log);
      cleanedUp.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down (Ctrl-C): the hook is running and returns now.
      }
    }
  }

  private void validate() {
    List<String> bad = new ArrayList<>();
    if (customers < 1) bad.add("--customers must be at least 1");
    if (days < 1) bad.add("--days must be at least 1");
    if (durationSeconds != null && durationSeconds < 1) bad.add("--duration must be at least 1 second");
    if (httpPort < 0 || httpPort > 65535) bad.add("--http-port must be 0..65535");
    if (!(liveRate >= 0) || Double.isInfinite(liveRate)) bad.add("--live-rate must be a number >= 0");
    if (refreshSeconds != null && !(refreshSeconds >= 0.1)) bad.add("--refresh must be at least 0.1 seconds");
    if (!bad.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", bad));
    // A misspelt -s key is refused here, as for run, before the broker starts.
    KnownSettings.requireKnown(overrides);
  }

  /**
   * A new directory under java.io.tmpdir, made without Files.createTempDirectory (which caches the
   * temporary directory on first use): java.io.tmpdir then points here, so that temporary files made
   * later (e.g. RocksDB's native library) go with the rest and are deleted with it.
   */
  static Path createRoot() throws IOException {
    Path parent = Path.of(System.getProperty("java.io.tmpdir"));
    for (int attempt = 0; ; attempt++) {
      Path dir = parent.resolve("segmenter-demo-" + ProcessHandle.current().pid() + "-"
          + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36));
      try {
        return Files.createDirectory(dir).toAbsolutePath();
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 10) throw e;
      }
    }
  }

  /**
   * The log of a demo started at {@code start} when no --log-file is given: in the system's
   * temporary directory (not the demo's own, which is deleted on exit), named by the start time and
   * the process id so that two demos never share one.
   */
  static Path defaultLogFile(Instant start) {
    String time = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(start);
    return Path.of(System.getProperty("java.io.tmpdir"))
        .resolve("segmenter-demo-" + time + "-" + ProcessHandle.current().pid() + ".log").toAbsolutePath();
  }

  /** After a failure, the end of the log, so that the cause shows without opening it. */
  private static void printLogTail(Path log) {
    try {
      if (!Files.exists(log)) return;
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - 30), lines.size());
      System.err.println("segmenter demo: last lines of the log:");
      tail.forEach(l -> System.err.println("  " + l));
    } catch (IOException | RuntimeException e) {
      System.err.println("segmenter demo: cannot read the log " + log + ": " + e);
    }
  }
}
