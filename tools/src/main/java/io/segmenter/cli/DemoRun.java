package io.segmenter.cli;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.model.Centre;
import io.segmenter.model.Features;
import io.segmenter.model.KMeansModel;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.service.SegmenterService;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One run of {@code demo}: an in-JVM Kafka broker and schema registry, segmenter itself, a generated
 * history produced as fast as the machine allows, then a live trickle for the same customers, and a
 * view of what segmenter makes of it. State stores and the log live under one temporary directory
 * (deleted by the command after {@link #close()}); the broker deletes its own data when it closes.
 */
final class DemoRun implements AutoCloseable {
  /** Segment changes the view lists. */
  static final int LAST_CHANGES = 10;
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);
  /** How far the history producer may run ahead of what segmenter has processed and committed. */
  static final long MAX_AHEAD = 100_000;
  private static final long LAG_CHECK_EVERY = 5_000;
  private static final Duration LAG_POLL = Duration.ofMillis(100);
  /** How often the view loop checks milestones (cheap, in-memory checks only). */
  private static final Duration TICK = Duration.ofMillis(200);

  /**
   * What the user chose.
   *
   * @param duration how long to run, null for until Ctrl-C
   * @param ansi redraw in place (a terminal) rather than print blocks
   * @param refresh time between two views
   * @param overrides any segmenter or Kafka Streams setting, applied last
   */
  record Options(int customers, int days, long seed, Duration duration, int httpPort, double liveRate, boolean ansi,
      Duration refresh, Map<String, String> overrides) { }

  /** Seconds since start at which each milestone was reached; NaN until then. */
  static final class Timeline {
    volatile double broker = Double.NaN;
    volatile double service = Double.NaN;
    volatile double running = Double.NaN;
    volatile double firstModel = Double.NaN;
    volatile double firstTable = Double.NaN;
    volatile double historyProduced = Double.NaN;
    volatile double historyProcessed = Double.NaN;

    String line() {
      return String.format(Locale.ROOT, "timeline (s after start): broker ready %s, segmenter started %s, streams RUNNING %s, "
              + "first model %s, first segment table %s, history produced %s, history processed %s",
          f(broker), f(service), f(running), f(firstModel), f(firstTable), f(historyProduced), f(historyProcessed));
    }

    private static String f(double s) {
      return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.1f", s);
    }
  }

  private final Options options;
  private final Path root;
  private final Path logFile;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final Timeline timeline = new Timeline();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final DemoView view = new DemoView(ZoneId.systemDefault());

  private SegmenterService service;
  private SegmenterConfig config;
  private EventSender sender;
  private ChangeFeed feed;
  private Admin admin;
  private Thread producerThread;
  private volatile Exception producerFailure;
  private volatile long historyTotal = -1;
  private volatile long historyAcked;
  private volatile Double historySeconds;
  private volatile long historyInputEnd = -1;
  private volatile GeneratorConfig historyConfig;
  private List<TopicPartition> inputPartitions = List.of();

  // Rate bookkeeping between two snapshots (render thread only).
  private long lastAt;
  private long lastProduced;
  private long lastProcessed = -1;

  DemoRun(Options options, Path root, Path logFile, PrintStream out) {
    this.options = options;
    this.root = root;
    this.logFile = logFile;
    this.out = out;
  }

  Timeline timeline() {
    return timeline;
  }

  /** The generated history's settings (null before the service started). */
  GeneratorConfig historyConfig() {
    return historyConfig;
  }

  /** The service's settings (null before it started). */
  SegmenterConfig config() {
    return config;
  }

  /** Asks a running demo to stop (Ctrl-C); {@link #run()} then returns and the caller closes. */
  void requestStop() {
    stop.countDown();
  }

  /** Runs until the duration ends or {@link #requestStop()}; returns the exit code. */
  int run() throws Exception {
    out.println("segmenter demo: starting an in-JVM Kafka broker, a schema registry and segmenter"
        + (options.duration() == null ? " (Ctrl-C to stop)" : " for " + options.duration().toSeconds() + " s"));
    if (logFile != null) out.println("  log        " + logFile + "   (kept after exit)");
    if (options.customers() < 2 * KMeansModel.DEFAULT_K) {
      // k-means++ needs k different customers' points; with fewer the first version may never come.
      out.println("  note: with fewer than " + 2 * KMeansModel.DEFAULT_K + " customers the model may not find "
          + KMeansModel.DEFAULT_K + " different points to start from");
    }
    EmbeddedKafka kafka = quietly(EmbeddedKafka::start);
    resources.add(kafka);
    timeline.broker = seconds();
    EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
    resources.add(registry);
    if (stopRequested()) return 0;

    Map<String, Object> settings = settings(kafka.bootstrapServers(), registry.url(), options.httpPort());
    config = new SegmenterConfig(settings);
    service = startService(settings);
    resources.add(service);
    timeline.service = seconds();
    DemoSnapshot.Endpoints endpoints = new DemoSnapshot.Endpoints(kafka.bootstrapServers(), registry.url(),
        "http://localhost:" + service.httpPort(), logFile == null ? null : logFile.toString());
    if (!options.ansi()) printEndpoints(endpoints);

    admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    resources.add(admin);
    inputPartitions = inputPartitions();
    feed = new ChangeFeed(kafka.bootstrapServers(), config.serdeConfig(), Map.of(),
        config.getString(SegmenterConfig.TOPIC_SEGMENT_CHANGES), LAST_CHANGES);
    resources.add(feed);
    feed.start();
    sender = new EventSender(config, settings);
    resources.add(sender);

    GeneratorConfig history = GeneratorConfig.defaults()
        .withCustomers(options.customers())
        .withSpan(Duration.ofDays(options.days()))
        .withSeed(options.seed())
        .withCurrency(config.getString(SegmenterConfig.CURRENCY))
        .withStart(historyStart(Instant.now(), options.days()));
    historyConfig = history;
    producerThread = new Thread(() -> produce(history), "demo-producer");
    producerThread.setDaemon(true);
    producerThread.start();

    if (options.ansi()) out.print(Ansi.CLEAR_SCREEN + Ansi.HIDE_CURSOR);
    long deadline = options.duration() == null ? Long.MAX_VALUE : startNanos + options.duration().toNanos();
    long nextView = System.nanoTime();
    boolean tableShown = false;
    try {
      while (true) {
        // Milestones are checked every tick, views drawn every refresh, and once as soon as the
        // first segment table exists (in plain mode that can be seconds before the next view).
        long wait = Math.min(Math.min(nextView, deadline), System.nanoTime() + TICK.toNanos()) - System.nanoTime();
        if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) {
          show(snapshot(endpoints, deadline)); // Ctrl-C: the state at that moment
          break;
        }
        milestones();
        long now = System.nanoTime();
        boolean tableNow = !tableShown && !Double.isNaN(timeline.firstTable);
        if (now < nextView && now < deadline && !tableNow) continue;
        show(snapshot(endpoints, deadline));
        tableShown |= tableNow;
        if (System.nanoTime() >= deadline) break;
        failFast();
        if (now >= nextView) {
          nextView += options.refresh().toNanos();
          // A slow refresh (a loaded machine) skips views rather than catching up with a burst of them.
          if (nextView < System.nanoTime()) nextView = System.nanoTime() + options.refresh().toNanos();
        }
      }
    } finally {
      if (options.ansi()) out.print(Ansi.SHOW_CURSOR);
    }
    out.println(timeline.line());
    out.flush();
    return 0;
  }

  /**
   * The history ends at the start of the current UTC day, not at this millisecond: two runs with the
   * same seed on the same day then produce the same events at the same instants (and the model's
   * per-day sampling falls the same), where "now" would shift every timestamp by the seconds between
   * the runs. The live trickle starts at the wall clock, less than a day after the history.
   */
  static Instant historyStart(Instant now, int days) {
    return now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days));
  }

  /** Formatting the broker's storage prints to System.out; that is noise in the demo's output. */
  private static <T> T quietly(java.util.concurrent.Callable<T> start) throws Exception {
    PrintStream original = System.out;
    System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
    try {
      return start.call();
    } finally {
      System.setOut(original);
    }
  }

  private boolean stopRequested() {
    return stop.getCount() == 0;
  }

  /** The service's settings for the demo: small, quick model versions so that segments show within seconds. */
  Map<String, Object> settings(String bootstrap, String registryUrl, int httpPort) {
    Map<String, Object> s = new HashMap<>(demoDefaults(options.customers(), options.days()));
    // One --seed for the whole demo: the customers and the model (k-means++, re-seeds, the refresh
    // and the panel's keys) alike.
    s.put(SegmenterConfig.MODEL_SEED, options.seed());
    s.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    s.put(SegmenterConfig.SCHEMA_REGISTRY_URL, registryUrl);
    s.put(SegmenterConfig.HTTP_PORT, httpPort);
    s.put(StreamsConfig.STATE_DIR_CONFIG, root.resolve("state").toString());
    s.putAll(options.overrides());
    return s;
  }

  /** The tuned part of the demo's settings (without addresses and directories). */
  static Map<String, Object> demoDefaults(int customers, int days) {
    Map<String, Object> s = new HashMap<>();
    // Only this machine: the demo serves on loopback, with access control off (said where the
    // endpoints are printed) so that its synthetic customers can be looked at without tokens.
    s.put(SegmenterConfig.HTTP_HOST, "127.0.0.1");
    s.put(SegmenterConfig.HTTP_ACCESS_CONTROL, false);
    s.put(SegmenterConfig.HTTP_ADVERTISED_HOST, "localhost");
    s.put(SegmenterConfig.TOPICS_PARTITIONS, 4);
    s.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
    // Results become visible to read_committed readers (the view, any consumer you attach) quickly.
    s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500);
    // A first model version early, then frequent small versions while the history streams in.
    // Each customer gives at most one point per day of event time: the first 300 points come from
    // the first events of 300 customers, a few hundred events into the history. A small demo has
    // fewer points in all: it gets a smaller warm-up (never below 2k: k-means++ needs k distinct).
    long points = (long) customers * days;
    s.put(SegmenterConfig.MODEL_WARMUP_POINTS, (int) Math.max(2L * KMeansModel.DEFAULT_K, Math.min(300, points / 3)));
    s.put(SegmenterConfig.MODEL_MIN_BATCH_POINTS, 2000L);
    // The history races through 60 days in well under a minute: a version per day of event time
    // rather than per 6 hours (the default) keeps versions meaningful and saves the CPU of ~200 more.
    s.put(SegmenterConfig.MODEL_MAX_INTERVAL_MS, Duration.ofDays(1).toMillis());
    s.put(SegmenterConfig.MODEL_DELTA_POINTS, 100);
    s.put(SegmenterConfig.MODEL_DELTA_INTERVAL_MS, 500L);
    // Customers seen before the first version wait for the next wall-clock punctuation to be placed.
    s.put(SegmenterConfig.INACTIVITY_PUNCTUATE_MS, 1_000L);
    return s;
  }

  private SegmenterService startService(Map<String, Object> settings) throws Exception {
    try {
      return SegmenterService.start(config);
    } catch (BindException e) {
      return startOnFreePort(settings, e);
    } catch (Exception e) {
      if (cause(e, BindException.class) == null) throw e;
      return startOnFreePort(settings, e);
    }
  }

  private SegmenterService startOnFreePort(Map<String, Object> settings, Exception bindFailure) throws Exception {
    if (options.httpPort() == 0) throw bindFailure;
    out.println("  HTTP port " + options.httpPort() + " is taken; using a free port instead");
    settings.put(SegmenterConfig.HTTP_PORT, 0);
    config = new SegmenterConfig(settings);
    return SegmenterService.start(config);
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return type.cast(t);
    }
    return null;
  }

  private void printEndpoints(DemoSnapshot.Endpoints e) {
    out.println("  Kafka      " + e.bootstrapServers() + "   (bootstrap.servers)");
    out.println("  registry   " + e.registryUrl());
    out.println("  HTTP       " + e.httpBase() + "/segments   /customers/{id}   /model   /metrics   /health/ready");
    out.println("  page       " + e.httpBase() + "/   (open it in a browser: the live segment map, flows, lookup)");
    // Said as it is: a demo started with -s segmenter.http.access.control=true (and tokens) is not open.
    out.println(config.getBoolean(SegmenterConfig.HTTP_ACCESS_CONTROL)
        ? "             (loopback only, access control ON as set: send a token, see docs/SECURITY.md)"
        : "             (loopback only, access control off for the demo: `run` needs tokens, see docs/SECURITY.md)");
    out.flush();
  }

  private List<TopicPartition> inputPartitions() throws Exception {
    List<String> topics = List.of(config.getString(SegmenterConfig.TOPIC_CLICKS), config.getString(SegmenterConfig.TOPIC_ORDERS));
    List<TopicPartition> partitions = new ArrayList<>();
    Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
        .get(30, TimeUnit.SECONDS);
    for (TopicDescription d : described.values()) {
      d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
    }
    return partitions;
  }

  /** History as fast as possible, then live events at the chosen rate, until stopped. */
  private void produce(GeneratorConfig historyConfig) {
    try {
      SyntheticGenerator history = SyntheticGenerator.create(historyConfig);
      long total = 0;
      for (GeneratedEvent ignored : history) total++;
      historyTotal = total;
      // Starting Kafka Streams (rebalance, transactional producers) is CPU-bound on a small machine:
      // the history waits for it rather than compete with it.
      if (!service.awaitRunning(Duration.ofMinutes(5))) {
        if (!stopRequested()) producerFailure = new IllegalStateException("segmenter's Kafka Streams did not reach RUNNING");
        return;
      }
      if (Double.isNaN(timeline.running)) timeline.running = seconds();
      long sent = 0;
      for (GeneratedEvent e : history) {
        if (stopRequested()) return;
        if (sent % LAG_CHECK_EVERY == 0) awaitLagBelow(MAX_AHEAD, sent);
        sender.send(e.customerId(), e.event());
        sent++;
      }
      sender.flush();
      historyAcked = sender.acked();
      historySeconds = seconds();
      timeline.historyProduced = historySeconds;
      historyInputEnd = inputEnd();
      LiveEvents live = new LiveEvents(historyConfig);
      Pacer pacer = new Pacer(options.liveRate());
      while (!stopRequested()) {
        pacer.await();
        GeneratedEvent e = live.next(System.currentTimeMillis());
        sender.send(e.customerId(), e.event());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!stopRequested() && !closed.get()) producerFailure = e;
    }
  }

  /**
   * Holds the history back while segmenter is more than {@code maxAhead} events behind it. On a
   * small machine a producer running flat out takes the CPU segmenter needs, and the first model
   * would only appear once the whole history is in the topics; paced like this, segmenter works
   * from the first second and the history is done about as soon as it would be anyway.
   */
  private void awaitLagBelow(long maxAhead, long sent) throws InterruptedException {
    while (!stopRequested()) {
      long processed = processedAndEnd()[0];
      if (sent - Math.max(processed, 0) < maxAhead) return;
      if (stop.await(LAG_POLL.toMillis(), TimeUnit.MILLISECONDS)) return;
    }
  }

  private void failFast() throws Exception {
    if (producerFailure != null) throw new IllegalStateException("producing events failed: " + producerFailure, producerFailure);
    if (feed.failure() != null) throw new IllegalStateException("reading segment changes failed: " + feed.failure(), feed.failure());
    KafkaStreams.State state = service.streams().state();
    if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
        || state == KafkaStreams.State.PENDING_ERROR) {
      throw new IllegalStateException("segmenter's Kafka Streams stopped in state " + state + "; see the log");
    }
  }

  private void show(DemoSnapshot s) {
    if (options.ansi()) {
      StringBuilder b = new StringBuilder(Ansi.HOME);
      for (String line : view.lines(s)) b.append(line).append(Ansi.CLEAR_LINE).append('\n');
      b.append(Ansi.CLEAR_BELOW);
      out.print(b);
    } else {
      for (String line : view.plainBlock(s)) out.println(line);
    }
    out.flush();
  }

  /**
   * Records when the streams first run, the first model arrives, the first segment has customers and
   * the whole history is processed.
   */
  private void milestones() {
    if (Double.isNaN(timeline.running) && service.streams().state() == KafkaStreams.State.RUNNING) {
      timeline.running = seconds();
    }
    if (historyInputEnd >= 0 && Double.isNaN(timeline.historyProcessed) && processedAndEnd()[0] >= historyInputEnd) {
      timeline.historyProcessed = seconds();
    }
    ModelSnapshot m = service.runtime().model().current();
    if (m == null) return;
    if (Double.isNaN(timeline.firstModel)) timeline.firstModel = seconds();
    if (Double.isNaN(timeline.firstTable)) {
      Map<Integer, Long> populations = populations();
      for (Centre c : m.kmeans().centres()) {
        if (populations.getOrDefault(c.id(), 0L) > 0) {
          timeline.firstTable = seconds();
          return;
        }
      }
    }
  }

  private Map<Integer, Long> populations() {
    return service.runtime().populations().snapshot();
  }

  DemoSnapshot snapshot(DemoSnapshot.Endpoints endpoints, long deadline) {
    long now = System.nanoTime();
    double dt = lastAt == 0 ? 0 : (now - lastAt) / 1e9;
    long acked = sender.acked();
    double inRate = dt > 0 ? (acked - lastProduced) / dt : 0;
    long[] progress = processedAndEnd();
    long processed = progress[0];
    double processRate = dt > 0 && lastProcessed >= 0 && processed >= 0 ? (processed - lastProcessed) / dt : 0;
    lastAt = now;
    lastProduced = acked;
    if (processed >= 0) lastProcessed = processed;
    Double historyDone = historySeconds;
    long historyProduced = historyDone == null ? acked : historyAcked;
    long live = historyDone == null ? 0 : acked - historyAcked;
    DemoSnapshot.Input input = new DemoSnapshot.Input(historyProduced, Math.max(historyTotal, 0), historyDone, live, inRate,
        processed, progress[1], processRate);
    DemoSnapshot.Model model = model();
    Duration remaining = deadline == Long.MAX_VALUE ? null : Duration.ofNanos(Math.max(0, deadline - now));
    return new DemoSnapshot(Duration.ofNanos(now - startNanos), remaining, endpoints, input, model, feed.total(), feed.last());
  }

  /** The model in force and its segments as the view shows them (null before the first version). */
  DemoSnapshot.Model model() {
    ModelSnapshot m = service.runtime().model().current();
    if (m == null) return null;
    Map<Integer, Long> populations = populations();
    List<DemoSnapshot.SegmentRow> rows = new ArrayList<>();
    List<Centre> centres = new ArrayList<>(m.kmeans().centres());
    centres.sort(Comparator.comparingInt(Centre::id));
    for (Centre c : centres) {
      double[] centre = m.centreInOriginalUnits(c.id());
      long customers = populations.getOrDefault(c.id(), 0L);
      rows.add(new DemoSnapshot.SegmentRow(c.id(), m.name(c.id()), customers, centre[Features.RECENCY_DAYS],
          centre[Features.ORDERS], centre[Features.NET_SPEND]));
    }
    return new DemoSnapshot.Model(m.version(), config.getString(SegmenterConfig.CURRENCY), rows);
  }

  /** {processed, end}: committed input offsets of segmenter's application and the topics' end offsets; -1 if unknown. */
  private long[] processedAndEnd() {
    long end = inputEnd();
    long processed = -1;
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
              config.streamsProperties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG))
          .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long sum = 0;
      boolean any = false;
      for (TopicPartition tp : inputPartitions) {
        OffsetAndMetadata o = committed.get(tp);
        if (o != null) {
          sum += o.offset();
          any = true;
        }
      }
      processed = any ? sum : -1;
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
    return new long[] {processed, end};
  }

  private long inputEnd() {
    try {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      inputPartitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long sum = 0;
      for (ListOffsetsResult.ListOffsetsResultInfo info : ends.values()) sum += info.offset();
      return sum;
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      return -1;
    }
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * Stops the producer, then closes the change reader, segmenter, the registry and the broker, in
   * that order, and deletes the demo's directory. Safe to call twice and from a shutdown hook.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    stop.countDown();
    if (producerThread != null) {
      try {
        producerThread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        out.println("segmenter demo: closing " + resources.get(i).getClass().getSimpleName() + ": " + e);
        if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      }
    }
    resources.clear();
  }

  /** Deletes a directory tree; what cannot be deleted is left and reported. */
  static void deleteTree(Path dir, PrintStream out) {
    if (dir == null || !Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // A file still held open (e.g. by a thread that has not stopped yet): keep going.
        }
      }
    } catch (IOException e) {
      out.println("segmenter demo: could not delete " + dir + ": " + e);
    }
    if (Files.exists(dir)) out.println("segmenter demo: left behind " + dir);
  }

  /** The few ANSI sequences the view uses. */
  static final class Ansi {
    static final String HOME = "\u001b[H";
    static final String CLEAR_SCREEN = "\u001b[2J\u001b[H";
    static final String CLEAR_LINE = "\u001b[K";
    static final String CLEAR_BELOW = "\u001b[J";
    static final String HIDE_CURSOR = "\u001b[?25l";
    static final String SHOW_CURSOR = "\u001b[?25h";

    private Ansi() { }
  }
}
