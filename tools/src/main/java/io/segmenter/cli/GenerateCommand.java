package io.segmenter.cli;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.service.Reachability;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: synthetic customers with known personas, produced to any Kafka cluster and
 * registry: a history ending now (or from {@code --start}), then optionally live events for the same
 * customers until Ctrl-C or {@code --duration}.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
    usageHelpAutoWidth = true, footerHeading = UsageExamples.HEADING,
    footer = {"  " + UsageExamples.TOOLS_JAR + " generate \\",
        "      " + UsageExamples.LOCAL_KAFKA + " \\",
        "      " + UsageExamples.LOCAL_REGISTRY + " \\",
        "      --customers 500 --days 30 --create-topics",
        "  " + UsageExamples.TOOLS_JAR + " generate \\",
        "      --config segmenter.properties \\",
        "      --live --live-rate 50 --duration 600"},
    description = {"Produce synthetic click and order events to segmenter's input topics.",
        "The events are Avro (Confluent wire format), keyed by customer id: a history of --days ending now, then with --live a steady stream of live "
        + "events for the same customers. Six ground-truth personas: champions, loyal, new, bargain hunters, "
        + "window shoppers, lapsing.",
        "Topics and currency come from the settings (segmenter.topic.clicks, segmenter.topic.orders, "
        + "segmenter.currency). Prints a summary at the end."})
final class GenerateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster;

  @Option(names = "--customers", paramLabel = "N", defaultValue = "1000",
      description = "Generated customers (default: ${DEFAULT-VALUE}).")
  int customers;

  @Option(names = "--days", paramLabel = "DAYS", defaultValue = "90",
      description = "Days of history (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--start", paramLabel = "INSTANT",
      description = "Start of the history, e.g. 2026-01-01T00:00:00Z (default: --days before now, so that it ends now).")
  Instant start;

  @Option(names = "--rate", paramLabel = "EVENTS_PER_SECOND", defaultValue = "0",
      description = "History events per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed: same seed and options, same events (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--live", description = "After the history, keep producing live events (dated now) until Ctrl-C or --duration.")
  boolean live;

  @Option(names = "--live-rate", paramLabel = "EVENTS_PER_SECOND", defaultValue = "20",
      description = "Live events per second (default: ${DEFAULT-VALUE}).")
  double liveRate;

  @Option(names = "--duration", paramLabel = "SECONDS",
      description = "Stop after this many seconds in all (default: when the history is done, or with --live at Ctrl-C).")
  Long durationSeconds;

  @Option(names = "--create-topics", description = "Create segmenter's topics first if they are missing (segmenter.topics.partitions, ...).")
  boolean createTopics;

  /** Environment of the process; a field so that tests can give their own. */
  Map<String, String> environment = System.getenv();

  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    validate();
    Map<String, Object> settings = cluster.settings(environment);
    SegmenterConfig config = new SegmenterConfig(settings);
    // Settings first (a malformed registry URL too), then whether Kafka and the registry answer.
    Reachability.check(config, ClientSettings.adminWithBootstrap(settings));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Topics.prepare(config, settings, createTopics, List.of(SegmenterConfig.TOPIC_CLICKS, SegmenterConfig.TOPIC_ORDERS), out);
    } catch (Topics.MissingTopicsException e) {
      err.println("segmenter generate: " + e.getMessage());
      return ErrorReporter.FAILED;
    }

    GeneratorConfig history = GeneratorConfig.defaults()
        .withCustomers(customers)
        .withSpan(Duration.ofDays(days))
        .withSeed(seed)
        .withCurrency(config.getString(SegmenterConfig.CURRENCY))
        .withStart(start != null ? start : Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(days)));
    long startNanos = System.nanoTime();
    long deadline = durationSeconds == null ? Long.MAX_VALUE : startNanos + TimeUnit.SECONDS.toNanos(durationSeconds);
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        done.await(30, TimeUnit.SECONDS); // let the main thread flush and print its summary
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "segmenter-generate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Progress progress = new Progress(err, System.console() != null);
    long historyEvents = 0;
    long liveEvents = 0;
    boolean complete = false;
    try (EventSender sender = new EventSender(config, settings)) {
      out.printf(Locale.ROOT, "generate: %,d customers, history %s .. %s, to %s and %s%n", customers, history.start(),
          history.end(), sender.clicksTopic(), sender.ordersTopic());
      out.flush();
      Pacer pacer = new Pacer(rate);
      for (GeneratedEvent e : SyntheticGenerator.create(history)) {
        if (stopped(deadline)) break;
        pacer.await();
        sender.send(e.customerId(), e.event());
        historyEvents++;
        progress.maybeShow("history", historyEvents, e.occurredAtMs(), history);
      }
      complete = !stopped(deadline);
      if (live && complete) {
        LiveEvents events = new LiveEvents(history);
        Pacer livePacer = new Pacer(liveRate);
        progress.done();
        out.printf(Locale.ROOT, "generate: history done; live events at %s per second until %s%n", DemoView.rate(liveRate),
            durationSeconds == null ? "Ctrl-C" : "the end of --duration");
        out.flush();
        while (!stopped(deadline)) {
          livePacer.await();
          GeneratedEvent e = events.next(System.currentTimeMillis());
          sender.send(e.customerId(), e.event());
          liveEvents++;
          progress.maybeShowLive(liveEvents);
        }
      }
      sender.flush();
      progress.done();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      out.printf(Locale.ROOT, "generate: %,d events (%,d orders, %,d clicks) in %.1f s, %s events/s%n", sender.acked(),
          sender.ackedOrders(), sender.ackedClicks(), seconds, DemoView.rate(sender.acked() / Math.max(seconds, 1e-3)));
      out.printf(Locale.ROOT, "  history: %,d events%s; live: %,d events%n", historyEvents,
          complete ? "" : " (stopped before the end)", liveEvents);
      out.flush();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down (Ctrl-C): the hook waits for the summary above.
      }
    }
  }

  private boolean stopped(long deadline) {
    return stop.getCount() == 0 || System.nanoTime() >= deadline;
  }

  private void validate() {
    List<String> bad = new ArrayList<>();
    if (customers < 1) bad.add("--customers must be at least 1");
    if (days < 1) bad.add("--days must be at least 1");
    if (!(rate >= 0) || Double.isInfinite(rate)) bad.add("--rate must be a number >= 0");
    if (!(liveRate > 0) || Double.isInfinite(liveRate)) bad.add("--live-rate must be a number > 0");
    if (durationSeconds != null && durationSeconds < 1) bad.add("--duration must be at least 1 second");
    if (start != null && start.getNano() % 1_000_000 != 0) bad.add("--start must have millisecond precision");
    if (!bad.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", bad));
  }

  /** A progress line on stderr: redrawn in place on a terminal, one line every 5 s otherwise. */
  static final class Progress {
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long TERMINAL_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private final PrintWriter err;
    private final boolean terminal;
    private final long interval;
    private long last = System.nanoTime();
    private boolean drawn;

    Progress(PrintWriter err, boolean terminal) {
      this.err = err;
      this.terminal = terminal;
      this.interval = terminal ? TERMINAL_EVERY_NANOS : EVERY_NANOS;
    }

    void maybeShow(String what, long events, long atMs, GeneratorConfig history) {
      if ((events & 1023) != 0 || System.nanoTime() - last < interval) return;
      long span = history.span().toMillis();
      long doneMs = atMs - history.start().toEpochMilli();
      show(String.format(Locale.ROOT, "%s %s %,d events, simulated time %s", what,
          DemoView.bar(doneMs, span), events, Instant.ofEpochMilli(atMs).truncatedTo(ChronoUnit.SECONDS)));
    }

    void maybeShowLive(long events) {
      if (System.nanoTime() - last < interval) return;
      show(String.format(Locale.ROOT, "live %,d events", events));
    }

    private void show(String line) {
      last = System.nanoTime();
      if (terminal) {
        err.print("\r" + line + DemoRun.Ansi.CLEAR_LINE);
        drawn = true;
      } else {
        err.println("generate: " + line);
      }
      err.flush();
    }

    void done() {
      if (drawn) {
        err.println();
        err.flush();
        drawn = false;
      }
    }
  }
}
