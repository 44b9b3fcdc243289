package io.segmenter.bench;

import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.SegmentChange;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.service.TopicSetup;
import io.segmenter.topology.SegmenterRuntime;
import io.segmenter.topology.SegmenterTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Latency under a steady load: events sent at a fixed rate, live (occurredAt = now), into one
 * segmenter instance at its default settings (exactly_once_v2, Kafka Streams' commit interval, one
 * stream thread), and for every change they cause, the time from the event's send to the change
 * being returned by a {@code read_committed} consumer of {@code segment-changes}. Under
 * exactly-once a change is readable only once the transaction that wrote it commits, so the commit
 * interval is a floor under this latency; the run prints the interval in force.
 *
 * <p>Usage: no arguments; system properties {@code bench.rates} (1000,5000,10000 events/s),
 * {@code bench.seconds} (20 per level), {@code bench.new.share} (0.05: the share of events that are
 * a new customer's first event, each of which provably yields a change; every new customer is also a
 * training point, so a larger share means more model versions, each the aggregator's work), {@code bench.commit.ms}
 * (empty; a value adds a second pass with that commit interval, same JVM and state), {@code
 * bench.warmup.customers} (1000), {@code bench.warmup.days} (14), {@code bench.drain.s} (60: how
 * long a level may take, after its last send, to deliver the changes it is sure to cause), {@code
 * bench.transaction.version} (empty: the broker's default; 1 or 2 sets the cluster feature first);
 * any {@code -Dsegmenter.<setting>} that is one of segmenter's own settings overrides its default.
 */
public final class LatencyBenchmark {
  private static final String APPLICATION_ID = "bench-latency";
  private static final int INPUT_PARTITIONS = 4;
  /** Kafka's producer default since 4.0; the EventSender's own default (20 ms) is for bulk history. */
  private static final int LINGER_MS = 5;
  /** A level keeps up when, over its last third, the input waiting for segmenter is under this much sending time. */
  private static final double MAX_LAG_SECONDS = 2.0;

  private LatencyBenchmark() { }

  /** One level's outcome, kept for the summary. */
  record LevelResult(int target, LatencyLoad.Sent sent, LatencyProbe.Percentiles latency, boolean producerKept,
      boolean segmenterKept, long missing) {
    boolean sustained() {
      return producerKept && segmenterKept && missing == 0;
    }
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.segmenter.events,io.segmenter.internal");
    int[] rates = Arrays.stream(System.getProperty("bench.rates", "1000,5000,10000").split(","))
        .map(String::trim).mapToInt(Integer::parseInt).toArray();
    int seconds = Integer.getInteger("bench.seconds", 20);
    double newShare = Double.parseDouble(System.getProperty("bench.new.share", "0.05"));
    String secondCommitMs = System.getProperty("bench.commit.ms", "").trim();
    int warmupCustomers = Integer.getInteger("bench.warmup.customers", 1_000);
    int warmupDays = Integer.getInteger("bench.warmup.days", 14);
    Duration drain = Duration.ofSeconds(Long.getLong("bench.drain.s", 60L));

    Path stateDir = Files.createTempDirectory("bench-latency-state-");
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
         EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
         SchemaRegistryClient client = CachedSchemaRegistryClient.fromProperties(
             Map.of("schema.registry.url", registry.url()));
         Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      String transactions = transactionVersion(admin, System.getProperty("bench.transaction.version", "").trim());
      Map<String, Object> settings = new HashMap<>();
      settings.put(SegmenterConfig.SCHEMA_REGISTRY_URL, registry.url());
      settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      settings.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
      settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      settings.put(SegmenterConfig.TOPICS_PARTITIONS, INPUT_PARTITIONS);
      // -Dsegmenter.<setting>=<value> overrides one of segmenter's own settings (an experiment, e.g.
      // -Dsegmenter.model.background=false: versions computed on the stream thread, as before issue 19's third pass).
      Map<String, String> overrides = new java.util.TreeMap<>();
      System.getProperties().stringPropertyNames().stream()
          .filter(n -> n.startsWith("segmenter.") && SegmenterConfig.CONFIG.names().contains(n))
          .forEach(n -> overrides.put(n, System.getProperty(n)));
      settings.putAll(overrides);
      System.out.println("segmenter settings: " + (overrides.isEmpty() ? "defaults" : "defaults except " + overrides));
      SegmenterConfig config = new SegmenterConfig(settings);
      TopicSetup.createMissing(config, Map.of("bootstrap.servers", kafka.bootstrapServers()));
      List<String> inputs = List.of(config.getString(SegmenterConfig.TOPIC_CLICKS),
          config.getString(SegmenterConfig.TOPIC_ORDERS));

      Instance instance = Instance.start(config, client, null);
      try {
        List<String> warmed = warmUp(config, warmupCustomers, warmupDays);
        instance.awaitReady(admin, inputs, Duration.ofSeconds(180));
        System.out.printf("warm-up: %,d customers x %d days of history ending now; model version %d in force; "
            + "broker: transaction.version %s%n", warmed.size(), warmupDays,
            instance.runtime.model().current().version(), transactions);

        SpecificAvroSerde<SegmentChange> changes = ThroughputBenchmark.serde(SegmentChange.class, client, config);
        Map<String, Object> producerSettings = new HashMap<>(config.originals());
        producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        producerSettings.put(ProducerConfig.CLIENT_ID_CONFIG, "latency-load");
        try (LatencyProbe probe = LatencyProbe.start(kafka.bootstrapServers(),
                 config.getString(SegmenterConfig.TOPIC_SEGMENT_CHANGES), changes);
             EventSender sender = new EventSender(config, producerSettings)) {
          LatencyLoad load = new LatencyLoad(sender, probe, newShare, "lat1-", warmed);
          List<LevelResult> first = pass(instance, load, probe, admin, inputs, rates, seconds, drain);
          summarise(instance.commitIntervalMs, first);
          if (!secondCommitMs.isEmpty()) {
            instance.close();
            Map<String, Object> faster = new HashMap<>(settings);
            faster.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.parseInt(secondCommitMs));
            instance = Instance.start(new SegmenterConfig(faster), client, "second pass, commit.interval.ms=" + secondCommitMs);
            instance.awaitReady(admin, inputs, Duration.ofSeconds(180));
            LatencyLoad again = new LatencyLoad(sender, probe, newShare, "lat2-", warmed);
            List<LevelResult> second = pass(instance, again, probe, admin, inputs, rates, seconds, drain);
            summarise(instance.commitIntervalMs, second);
          }
          System.out.printf("%nchanges read that no sent event explains (new model versions, inactivity): %,d%n",
              probe.unmatched());
        } finally {
          changes.close();
        }
      } finally {
        instance.close();
      }
    } finally {
      deleteTree(stateDir);
    }
  }

  /** The levels, one after the other, on the running instance. */
  private static List<LevelResult> pass(Instance instance, LatencyLoad load, LatencyProbe probe, Admin admin,
      List<String> inputs, int[] rates, int seconds, Duration drain) throws Exception {
    System.out.printf("%n%s: %s, commit.interval.ms=%d in force, %d stream thread(s), %d input partitions, "
            + "producer linger.ms=%d; a level is %d s%n", instance.name, instance.guarantee, instance.commitIntervalMs,
        instance.threads, INPUT_PARTITIONS, LINGER_MS, seconds);
    List<LevelResult> results = new ArrayList<>();
    for (int rate : rates) {
      results.add(level(instance, load, probe, admin, inputs, rate, seconds, drain));
    }
    return results;
  }

  private static LevelResult level(Instance instance, LatencyLoad load, LatencyProbe probe, Admin admin,
      List<String> inputs, int rate, int seconds, Duration drain) throws Exception {
    LatencyProbe.Level level = new LatencyProbe.Level(rate + "/s");
    List<long[]> lags = new CopyOnWriteArrayList<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "latency-lag-sampler");
      t.setDaemon(true);
      return t;
    });
    MachineUse use = MachineUse.now();
    Map<String, Long> changelogsBefore = changelogOffsets(admin);
    long versionBefore = instance.runtime.model().current().version();
    long start = System.nanoTime();
    sampler.scheduleAtFixedRate(() -> {
      try {
        lags.add(new long[] {System.nanoTime() - start, inputLag(admin, APPLICATION_ID, inputs)});
      } catch (Exception e) {
        // A missed sample leaves a gap; the verdict uses the samples it has.
      }
    }, 500, 500, TimeUnit.MILLISECONDS);
    LatencyLoad.Sent sent;
    try {
      sent = load.run(level, rate, seconds);
    } finally {
      sampler.shutdownNow();
    }
    String machine = use.since();
    long versionAfter = instance.runtime.model().current().version();
    boolean arrived = probe.awaitFirstChanges(level, drain);
    instance.checkRunning();
    // Every input record of the level committed (so its transaction's writes and markers are all on
    // the changelogs) before they are counted; a level that never catches up is counted as it stands.
    boolean inputCommitted = awaitNoInputLag(admin, inputs, drain);
    Map<String, Long> changelogsAfter = changelogOffsets(admin);
    long missing = level.awaitingFirst.size();
    probe.forget(level);

    LatencyProbe.Percentiles latency = level.latencies();
    double lastThirdLag = lags.stream().filter(s -> s[0] >= seconds * 2e9 / 3).mapToLong(s -> s[1]).average()
        .orElse(Double.NaN);
    long maxLag = lags.stream().mapToLong(s -> s[1]).max().orElse(-1);
    boolean producerKept = sent.rate() >= 0.95 * rate;
    boolean segmenterKept = lastThirdLag <= MAX_LAG_SECONDS * rate;
    System.out.printf("%nlevel %,d events/s: sent %,d in %.1f s = %,.0f events/s (at most %.0f ms behind schedule); "
            + "%,d were new customers' first events%n", rate, sent.events(), sent.seconds(), sent.rate(),
        sent.maxBehindNanos() / 1e6, sent.firstEvents());
    System.out.printf("  send -> readable (read_committed): %s; %,d of the %,d new customers had theirs%n", latency,
        level.firstChanges.get(), sent.firstEvents());
    System.out.printf("  send -> decided (the change's processingTime, ms clock): %s%n", level.toDecision());
    System.out.printf("  segmenter's input lag (offsets not yet committed): mean %,.0f over the last third "
        + "(%.2f s of input), max %,d%n", lastThirdLag, lastThirdLag / rate, maxLag);
    // Each version is the aggregator's work (merges, and every few versions a refresh of the centres)
    // on the same stream thread(s) as the customers' events: a cause of pauses to look at.
    System.out.printf("  while sending: %s; model versions %d to %d%n", machine, versionBefore, versionAfter);
    System.out.printf("  changelog offsets per event sent, from the level's start until its input was committed%s: %s%n",
        inputCommitted ? "" : " (NOT all committed " + drain.toSeconds() + " s after the changes arrived)",
        perEvent(changelogsBefore, changelogsAfter, sent.events()));
    if (!arrived) {
      System.out.printf("  MISSING: %,d new customers without a readable change %d s after the last send%n", missing,
          drain.toSeconds());
    }
    LevelResult r = new LevelResult(rate, sent, latency, producerKept, segmenterKept, missing);
    List<String> why = new ArrayList<>();
    if (!producerKept) why.add("the producer fell behind its schedule");
    if (!segmenterKept) why.add("segmenter's input lag over the last third exceeded " + MAX_LAG_SECONDS + " s of input");
    if (missing > 0) why.add("changes missing");
    System.out.printf("  sustained: %s%n", r.sustained() ? "yes" : "NO (" + String.join("; ", why) + ")");
    return r;
  }

  /** The highest sustained level and its p99, the 5,000 events/s line, and what the commit interval means. */
  private static void summarise(long commitIntervalMs, List<LevelResult> results) {
    System.out.printf("%nsummary, commit.interval.ms=%d:%n", commitIntervalMs);
    System.out.printf("  %-12s %-10s %-8s %-8s %-8s %-8s %-9s %s%n", "target/s", "achieved", "p50 ms", "p99 ms",
        "p999 ms", "max ms", "changes", "sustained");
    LevelResult best = null;
    for (LevelResult r : results) {
      System.out.printf("  %-12s %-10s %-8.0f %-8.0f %-8.0f %-8.0f %-9s %s%n", String.format("%,d", r.target()),
          String.format("%,.0f", r.sent().rate()), r.latency().ms(0.50), r.latency().ms(0.99), r.latency().ms(0.999),
          r.latency().maxMs(), String.format("%,d", r.latency().count()), r.sustained() ? "yes" : "NO");
      if (r.sustained() && (best == null || r.target() > best.target())) best = r;
    }
    if (best == null) {
      System.out.println("  no level was sustained on this machine");
    } else {
      System.out.printf("  highest sustained rate: %,d events/s (achieved %,.0f), p99 %.0f ms%n", best.target(),
          best.sent().rate(), best.latency().ms(0.99));
    }
    results.stream().filter(r -> r.target() == 5_000).findFirst().ifPresent(r -> System.out.printf(
        "  at 5,000 events/s: p99 %.0f ms, %s (aim: under 250 ms)%n", r.latency().ms(0.99),
        !r.sustained() ? "NOT sustained" : r.latency().ms(0.99) < 250 ? "under the aim" : "ABOVE the aim"));
    System.out.printf("  Under exactly_once_v2 a change is readable to read_committed consumers only when the "
        + "transaction that wrote it commits, every commit.interval.ms (%d ms here): that bounds the latency "
        + "below. A smaller commit.interval.ms lowers it at the price of more transactions (commit markers, "
        + "producer and broker round trips, offset commits) and so less throughput per core; at_least_once has "
        + "no such floor, but gives up exactly-once.%n", commitIntervalMs);
  }

  /**
   * The broker's transaction protocol version (a cluster feature): 2 on a new Kafka 4.x cluster,
   * where each commit also bumps the producer epoch. {@code wanted} (bench.transaction.version)
   * changes it before any producer starts, to compare the protocols under the same load.
   */
  private static String transactionVersion(Admin admin, String wanted) throws Exception {
    String feature = "transaction.version";
    if (!wanted.isEmpty()) {
      admin.updateFeatures(Map.of(feature, new FeatureUpdate(Short.parseShort(wanted),
          FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)), new UpdateFeaturesOptions()).all().get(30, TimeUnit.SECONDS);
    }
    var level = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS).finalizedFeatures().get(feature);
    return (level == null ? "none" : String.valueOf(level.maxVersionLevel()))
        + (wanted.isEmpty() ? " (the cluster's default)" : " (set by bench.transaction.version)");
  }

  /**
   * End offsets of segmenter's changelogs, by store. Live events are minutes or hours apart per
   * customer, not milliseconds as in a replay of history, so the record cache rarely folds two
   * writes of one key into one commit: this is the changelog cost of live traffic.
   */
  private static Map<String, Long> changelogOffsets(Admin admin) throws Exception {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (String t : ThroughputBenchmark.changelogs(admin, APPLICATION_ID)) {
      out.put(t.substring(APPLICATION_ID.length() + 1, t.length() - "-changelog".length()),
          ThroughputBenchmark.offsets(admin, List.of(t)));
    }
    return out;
  }

  /** Waits until segmenter has committed all of its input; false when {@code deadline} passed first. */
  private static boolean awaitNoInputLag(Admin admin, List<String> inputs, Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (inputLag(admin, APPLICATION_ID, inputs) > 0) {
      if (System.nanoTime() > end) return false;
      Thread.sleep(100); // polling the broker's committed offsets, not synchronising threads
    }
    return true;
  }

  /** Offsets written between the two readings per event, in total and by store (transaction markers included). */
  private static String perEvent(Map<String, Long> before, Map<String, Long> after, long events) {
    if (events == 0) return "no events sent";
    long total = 0;
    StringBuilder byStore = new StringBuilder();
    for (var e : after.entrySet()) {
      long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      total += n;
      byStore.append(byStore.length() == 0 ? "" : ", ").append(e.getKey()).append(String.format(" %.2f", (double) n / events));
    }
    return String.format("%.2f (%s)", (double) total / events, byStore);
  }

  /** Events of the input topics that segmenter's committed offsets have not reached yet. */
  private static long inputLag(Admin admin, String groupId, List<String> topics) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, d) ->
        d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    long lag = 0;
    for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
    }
    return lag;
  }

  /**
   * Customers with history ending now, so that a model exists before the live events, and so that
   * the warm-up's customers are not all due for a re-check at once when the live events start.
   */
  private static List<String> warmUp(SegmenterConfig config, int customers, int days) {
    Instant start = Instant.now().minus(Duration.ofDays(days)).truncatedTo(ChronoUnit.MILLIS);
    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(customers).withSpan(Duration.ofDays(days)).withStart(start));
    Set<String> ids = new LinkedHashSet<>();
    try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
      for (GeneratedEvent e : generator) {
        sender.send(e.customerId(), e.event());
        ids.add(e.customerId());
      }
      sender.flush();
    }
    return new ArrayList<>(ids);
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) return;
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /**
   * How busy the machine and this JVM were: on a shared machine a latency means little without the
   * load it was measured under (the stream thread waits for a core like every other thread).
   */
  private record MachineUse(long wallNanos, long cpuNanos, long gcMillis) {
    static MachineUse now() {
      long gc = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
          .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
      long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
          .getOperatingSystemMXBean()).getProcessCpuTime();
      return new MachineUse(System.nanoTime(), cpu, gc);
    }

    String since() {
      MachineUse end = now();
      double wall = (end.wallNanos - wallNanos) / 1e9;
      var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      return String.format("this JVM (broker, registry, segmenter, producer, probe) used %.2f of %d cores, "
              + "%.0f ms in GC pauses; machine load average %.1f", (end.cpuNanos - cpuNanos) / 1e9 / wall,
          os.getAvailableProcessors(), (double) (end.gcMillis - gcMillis), os.getSystemLoadAverage());
    }
  }

  /** The one segmenter instance, with what it runs with. */
  private static final class Instance implements AutoCloseable {
    final String name;
    final SegmenterRuntime runtime = SegmenterRuntime.standalone();
    final KafkaStreams streams;
    final long commitIntervalMs;
    final int threads;
    final String guarantee;
    private boolean closed;

    private Instance(String name, SegmenterConfig config, SchemaRegistryClient client) {
      this.name = name;
      Properties props = SegmenterTopology.streamsProperties(config, runtime);
      // What Kafka Streams will use, its own defaults included (commit.interval.ms is 100 under exactly-once).
      StreamsConfig effective = new StreamsConfig(props);
      this.commitIntervalMs = effective.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
      this.threads = effective.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG);
      this.guarantee = effective.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
      this.streams = new KafkaStreams(SegmenterTopology.build(config, client, runtime), props);
    }

    static Instance start(SegmenterConfig config, SchemaRegistryClient client, String name) {
      Instance i = new Instance(name == null ? "first pass, segmenter's defaults" : name, config, client);
      i.streams.start();
      return i;
    }

    /** Waits until a model version is in force here and the input so far is processed and committed. */
    void awaitReady(Admin admin, List<String> inputs, Duration deadline) throws Exception {
      long until = System.nanoTime() + deadline.toNanos();
      while (runtime.model().current() == null || inputLag(admin, APPLICATION_ID, inputs) > 0) {
        checkRunning();
        if (System.nanoTime() > until) {
          throw new IllegalStateException("no model version, or input not committed, within " + deadline
              + " (model " + (runtime.model().current() == null ? "none" : "present") + ", input lag "
              + inputLag(admin, APPLICATION_ID, inputs) + "): more warm-up customers or days?");
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }

    void checkRunning() {
      KafkaStreams.State s = streams.state();
      if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING || s == KafkaStreams.State.PENDING_ERROR) {
        throw new IllegalStateException("segmenter stopped: " + s);
      }
    }

    /** Leaves the group, so that a next instance of the same application gets the partitions at once. */
    @Override
    public void close() {
      if (closed) return;
      closed = true;
      streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
          .withTimeout(Duration.ofSeconds(60)));
    }
  }
}
