package io.segmenter.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.service.TopicSetup;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.replay.OnlineRetailOrders;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.topology.SegmenterRuntime;
import io.segmenter.topology.SegmenterTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * End-to-end throughput of segmenter against the cheapest stateful Kafka Streams application over
 * the same input: a count per customer. Both run on the same in-JVM broker, with the same threads,
 * exactly-once, commit interval and Avro serdes, so the ratio is the price of segmenter's own work
 * (profiles, dedup, due index, model batches), not of Kafka, Avro or transactions.
 *
 * <p>Usage: {@code ThroughputBenchmark [customers] [days]}; system properties {@code bench.threads}
 * (2), {@code bench.commit.ms} (100), {@code bench.seed} (42), {@code bench.deadline.s} (1800),
 * {@code bench.progress.s} (30: how often a run prints its committed input; 0 = never),
 * {@code bench.pseudonymise} (empty: "after" or "before" adds a run of segmenter with customer
 * ids pseudonymised, after or before the plain one, and its CPU per event against the plain run's;
 * "abba" adds four runs, plain, pseudonymised, pseudonymised, plain, and compares their sums),
 * {@code bench.jfr} (false: true records the plain segmenter run with JDK Flight Recorder and prints
 * the stream threads' hot methods, see {@link HotMethods}; {@code bench.jfr.period.ms} (10) and
 * {@code bench.jfr.top} (25) tune it), {@code bench.input} ("generator"; "online-retail" replays the
 * orders of the UCI Online Retail II file in {@code bench.data}, default
 * {@code ../shared/data/online-retail-ii}, instead, and ignores customers and days),
 * {@code bench.rounds} (1: more rounds run both applications again over the same input, each under
 * its own application id, the order alternating (segmenter first in even rounds), and print every
 * round's ratio and their median; the first round's JVM is cold for both),
 * {@code bench.challenger} (empty: a strategy spec such as {@code "k6: k=6"} adds a run of segmenter
 * with that challenger beside the champion: four runs after the plain one, plain, challenger,
 * challenger, plain, and the sums of each pair compared, as for pseudonymisation's "abba"). Any
 * {@code -Dsegmenter.<setting>} that is one of segmenter's own settings overrides its default; any
 * {@code -Dbench.streams.<setting>} sets that Kafka Streams setting for both applications.
 */
public final class ThroughputBenchmark {
  static final String CLICKS = "clicks";
  static final String ORDERS = "orders";
  static final String BASELINE_OUT = "baseline-counts";
  static final int INPUT_PARTITIONS = 4;
  private static final String STREAMS_PREFIX = "bench.streams.";

  private ThroughputBenchmark() { }

  public static void main(String[] args) throws Exception {
    // Before any Avro use: Avro 1.12 refuses to instantiate classes outside trusted packages.
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.segmenter.events,io.segmenter.internal");
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 90;
    int threads = Integer.getInteger("bench.threads", 2);
    int commitMs = Integer.getInteger("bench.commit.ms", 100);
    long seed = Long.getLong("bench.seed", 42L);
    Duration deadline = Duration.ofSeconds(Long.getLong("bench.deadline.s", 1_800L));
    // bench.input=online-retail: the orders of the UCI Online Retail II file instead of generated
    // input; a wrong value or a missing file is said before the broker starts.
    String inputKind = System.getProperty("bench.input", "generator");
    boolean onlineRetail = switch (inputKind) {
      case "generator" -> false;
      case "online-retail" -> true;
      default -> throw new IllegalArgumentException("bench.input: \"" + inputKind + "\" is neither generator nor online-retail");
    };
    Path retailFile = onlineRetail ? OnlineRetailInput.dataFile(
        Path.of(System.getProperty("bench.data", OnlineRetailInput.DEFAULT_DIRECTORY))) : null;

    try (EmbeddedKafka kafka = EmbeddedKafka.start();
         EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
         SchemaRegistryClient client = CachedSchemaRegistryClient.fromProperties(
             Map.of("schema.registry.url", registry.url()));
         Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Map<String, Object> common = new HashMap<>();
      common.put(SegmenterConfig.SCHEMA_REGISTRY_URL, registry.url());
      common.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      common.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
      common.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
      common.put(SegmenterConfig.TOPICS_PARTITIONS, INPUT_PARTITIONS);
      // -Dsegmenter.<setting>=<value> overrides one of segmenter's own settings (an experiment, e.g. a
      // punctuation interval); they are printed so that a figure is never mistaken for the default one.
      Map<String, String> overrides = new java.util.TreeMap<>();
      System.getProperties().stringPropertyNames().stream()
          .filter(n -> n.startsWith("segmenter.") && SegmenterConfig.CONFIG.names().contains(n))
          .forEach(n -> overrides.put(n, System.getProperty(n)));
      common.putAll(overrides);
      // -Dbench.streams.<Kafka Streams setting>=<value> sets it for BOTH applications (e.g. max.task.idle.ms).
      Map<String, String> streamsSettings = new java.util.TreeMap<>();
      System.getProperties().stringPropertyNames().stream()
          .filter(n -> n.startsWith(STREAMS_PREFIX))
          .forEach(n -> streamsSettings.put(n.substring(STREAMS_PREFIX.length()), System.getProperty(n)));
      common.putAll(streamsSettings);

      // The file's amounts are in GBP, and segmenter dead-letters orders in another currency than its own.
      if (onlineRetail) common.putIfAbsent(SegmenterConfig.CURRENCY, OnlineRetailOrders.CURRENCY);

      SegmenterConfig segmenter = config(common, "bench-segmenter");
      createTopics(admin, segmenter);
      long produceStart = System.nanoTime();
      String described;
      if (onlineRetail) {
        OnlineRetailOrders.Stats s = OnlineRetailInput.produce(retailFile, segmenter);
        described = String.format("%s: %,d orders (%,d cancellations) of %,d customers, %s .. %s, orders only",
            retailFile, s.invoices(), s.cancellations(), s.customers(), s.first(), s.last());
      } else {
        SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
            .withCustomers(customers).withSpan(Duration.ofDays(days)).withSeed(seed));
        described = String.format("%d customers x %d days = %d events", customers, days, produce(segmenter, generator));
      }
      InputProgress input = InputProgress.of(admin, List.of(CLICKS, ORDERS));
      System.out.printf("input: %s (%d on clicks+orders) produced in %.1f s; "
              + "%d stream threads, exactly_once_v2, commit.interval.ms=%d%n",
          described, input.total(), seconds(produceStart), threads, commitMs);
      System.out.println("segmenter settings: " + (overrides.isEmpty() ? "defaults" : "defaults except " + overrides)
          + (onlineRetail && !overrides.containsKey(SegmenterConfig.CURRENCY) ? ", currency " + OnlineRetailOrders.CURRENCY : ""));
      if (!streamsSettings.isEmpty()) System.out.println("Kafka Streams settings of both applications: " + streamsSettings);

      SegmenterConfig baseline = config(common, "bench-baseline");
      Run a = run("baseline count-by-customer", countByCustomer(baseline, client, BASELINE_OUT), baseline, SegmenterRuntime.standalone(),
          input, deadline, List.of(BASELINE_OUT), null);
      System.out.println(a);
      // bench.pseudonymise: "after" (or "true") runs segmenter with pseudonymised ids after the plain
      // run, "before" before it: two runs with the order swapped show what is order (JIT, broker
      // state) and what is the option.
      String pseudonymise = System.getProperty("bench.pseudonymise", "");
      boolean pseudonymiseAfter = pseudonymise.equals("after") || pseudonymise.equals("true");
      Run c = pseudonymise.equals("before") ? pseudonymised(common, client, admin, input, deadline) : null;
      // bench.jfr=true: the plain segmenter run (only it) under JDK Flight Recorder, its hot methods printed.
      // Not a later round's: a recording started in a warm JVM slowed that run threefold (a profile of a
      // warm round: -XX:StartFlightRecording from the start, its samples taken by thread name).
      Recording recording = Boolean.getBoolean("bench.jfr") ? recording() : null;
      MeterRegistry meters = new SimpleMeterRegistry();
      SegmenterRuntime runtime = new SegmenterRuntime(meters);
      Run b = run("segmenter", SegmenterTopology.build(segmenter, client, runtime), segmenter, runtime, input, deadline,
          outputs(segmenter), recording);
      System.out.println(b);
      System.out.printf("%-28s%.2f   (aim >= 0.5)%n", "ratio segmenter/baseline:", b.rate() / a.rate());
      System.out.printf("%-28s%s%n%-28s%s%n", "work per input event:", a.work(), "", b.work());
      System.out.printf("%-28s%s%n", "", SegmenterCounts.of(meters, b.events()));
      if (recording != null) hotMethods(recording);
      int rounds = Integer.getInteger("bench.rounds", 1);
      if (rounds > 1) rounds(common, client, admin, input, deadline, b.rate() / a.rate(), rounds);
      if (pseudonymiseAfter) c = pseudonymised(common, client, admin, input, deadline);
      if (pseudonymise.equals("abba")) abba(common, client, input, deadline, "pseudonymised", true, Map.of());
      if (c != null) {
        System.out.println(c);
        System.out.printf("%-28s%s%n", "", c.work());
        System.out.printf("%-28s%.3f CPU per event, %.3f events/s (same input, same JVM, run %s the plain one)%n",
            "pseudonymised/plain:", (c.cpuSeconds() / c.events()) / (b.cpuSeconds() / b.events()), c.rate() / b.rate(),
            pseudonymiseAfter ? "after" : "before");
      }
      // bench.challenger=<spec>: segmenter again with one challenger strategy beside the champion
      // (docs/STRATEGIES.md), after the plain run, and its cost against the plain run.
      String challenger = System.getProperty("bench.challenger", "");
      if (!challenger.isBlank()) {
        // ABBA after the plain run: a single pair measures mostly which run came first (JIT, broker state).
        abba(common, client, input, deadline, "challenger", false, Map.of(SegmenterConfig.STRATEGY_CHALLENGERS, challenger));
      }
      long dead = InputProgress.of(admin, List.of(segmenter.getString(SegmenterConfig.TOPIC_DLQ))).total();
      if (dead > 0) System.out.printf("WARNING: %d offsets on the dead-letter topic%n", dead);
    }
  }

  /**
   * Rounds 2..n after the first pair: baseline and segmenter again, each under its own application id
   * and output topics, segmenter first in even rounds (so that neither is always the one that runs on
   * a JVM the other just warmed, or on a broker the other just filled). One round's ratio is only as
   * good as that pair's luck on a shared machine; the median of several is the figure to quote.
   */
  private static void rounds(Map<String, Object> common, SchemaRegistryClient client, Admin admin,
      InputProgress input, Duration deadline, double firstRatio, int rounds) throws Exception {
    List<Double> ratios = new java.util.ArrayList<>(List.of(firstRatio));
    for (int r = 2; r <= rounds; r++) {
      Run base = null;
      Run seg = null;
      for (int step = 0; step < 2; step++) {
        boolean segmenterNow = (step == 0) == (r % 2 == 0);
        if (segmenterNow) {
          seg = variant(common, client, input, deadline, "segmenter, round " + r, "round-" + r, false);
        } else {
          base = baseline(common, client, admin, input, deadline, r);
        }
      }
      for (Run run : List.of(base, seg)) {
        System.out.println(run);
        System.out.printf("%-28s%s%n", "", run.work());
      }
      ratios.add(seg.rate() / base.rate());
      System.out.printf("%-28s%.2f   (%s first)%n", "ratio, round " + r + ":", seg.rate() / base.rate(),
          r % 2 == 0 ? "segmenter" : "baseline");
    }
    StringBuilder each = new StringBuilder();
    for (double x : ratios) each.append(each.length() == 0 ? "" : ", ").append(String.format("%.2f", x));
    System.out.printf("%-28s%.2f   (aim >= 0.5; rounds in order: %s)%n", "ratio, median of " + ratios.size() + " rounds:",
        median(ratios), each);
    // The first round is both applications' first run on a cold JVM, where the JIT is most of the baseline's time.
    System.out.printf("%-28s%.2f%n", "warm median, rounds 2.." + rounds + ":", median(ratios.subList(1, ratios.size())));
    for (int r = 2; r <= rounds; r++) {
      long dead = InputProgress.of(admin, List.of("round-" + r + "-dlq")).total();
      if (dead > 0) System.out.printf("WARNING: %d offsets on round %d's dead-letter topic%n", dead, r);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The baseline once more, under its own application id and output topic (round {@code r}). */
  private static Run baseline(Map<String, Object> common, SchemaRegistryClient client, Admin admin,
      InputProgress input, Duration deadline, int r) throws Exception {
    String out = BASELINE_OUT + "-" + r;
    admin.createTopics(List.of(new NewTopic(out, INPUT_PARTITIONS, (short) 1)
        .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
    SegmenterConfig c = config(common, "bench-baseline-" + r);
    return run("baseline, round " + r, countByCustomer(c, client, out), c, SegmenterRuntime.standalone(), input,
        deadline, List.of(out), null);
  }

  /**
   * segmenter once more over the same input with customer ids pseudonymised (a random 48-byte key in
   * a file, as a mounted Secret would be), under its own application id and its own output topics,
   * so that its changelog and output offsets are its own.
   */
  private static Run pseudonymised(Map<String, Object> common, SchemaRegistryClient client, Admin admin,
      InputProgress input, Duration deadline) throws Exception {
    return variant(common, client, input, deadline, "segmenter, pseudonymised", "pseudonymised", true);
  }

  /**
   * After the plain run (which warms the JVM up): plain, pseudonymised, pseudonymised, plain, each
   * under its own application id and output topics. The first segmenter run of a JVM costs far more
   * CPU per event than the later ones, and a single pair is mostly that order; ABBA cancels a
   * steady drift, and the sums of each pair of runs are compared.
   */
  private static void abba(Map<String, Object> common, SchemaRegistryClient client, InputProgress input,
      Duration deadline, String label, boolean pseudonymise, Map<String, Object> settings) throws Exception {
    double[] cpu = new double[2];
    long[] events = new long[2];
    double[] seconds = new double[2];
    boolean[] order = {false, true, true, false};
    for (int i = 0; i < order.length; i++) {
      boolean on = order[i];
      Run r = variant(common, client, input, deadline, (on ? label + " " : "plain ") + (i + 1),
          (on ? label + "-" : "plain-") + (i + 1), on && pseudonymise, on ? settings : Map.of());
      System.out.println(r);
      System.out.printf("%-28s%s%n", "", r.work());
      int k = on ? 1 : 0;
      cpu[k] += r.cpuSeconds();
      events[k] += r.events();
      seconds[k] += r.seconds();
    }
    System.out.printf("%-28s%.3f CPU per event (%.1f vs %.1f us), %.3f events/s (runs 2+3 against 1+4)%s%n",
        "ABBA " + label + "/plain:", (cpu[1] / events[1]) / (cpu[0] / events[0]), cpu[1] * 1e6 / events[1],
        cpu[0] * 1e6 / events[0], (events[1] / seconds[1]) / (events[0] / seconds[0]),
        settings.isEmpty() ? "" : " " + settings);
  }

  private static Run variant(Map<String, Object> common, SchemaRegistryClient client, InputProgress input,
      Duration deadline, String name, String prefix, boolean pseudonymise) throws Exception {
    return variant(common, client, input, deadline, name, prefix, pseudonymise, Map.of());
  }

  private static Recording recording() {
    return HotMethods.recording(Duration.ofMillis(Long.getLong("bench.jfr.period.ms", 10L)));
  }

  private static Run variant(Map<String, Object> common, SchemaRegistryClient client, InputProgress input,
      Duration deadline, String name, String prefix, boolean pseudonymise, Map<String, Object> settings) throws Exception {
    byte[] key = new byte[48];
    new java.security.SecureRandom().nextBytes(key);
    Path keyFile = Files.createTempFile("bench-pseudonymise-", ".key");
    Files.write(keyFile, key);
    try {
      Map<String, Object> p = new HashMap<>(common);
      if (pseudonymise) p.put(SegmenterConfig.PSEUDONYMISE_KEY_FILE, keyFile.toString());
      p.put(SegmenterConfig.TOPIC_SEGMENT_CHANGES, prefix + "-segment-changes");
      p.put(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS, prefix + "-customer-segments");
      p.put(SegmenterConfig.TOPIC_SEGMENT_CATALOG, prefix + "-segment-catalog");
      p.put(SegmenterConfig.TOPIC_DLQ, prefix + "-dlq");
      p.putAll(settings);
      SegmenterConfig c = config(p, "bench-" + prefix);
      TopicSetup.createMissing(c, Map.of("bootstrap.servers", c.originals().get("bootstrap.servers")));
      SegmenterRuntime runtime = SegmenterRuntime.standalone();
      return run(name, SegmenterTopology.build(c, client, runtime), c, runtime, input, deadline, outputs(c), null);
    } finally {
      Files.deleteIfExists(keyFile);
    }
  }

  /** segmenter's output topics, whose offsets a run counts. */
  private static List<String> outputs(SegmenterConfig c) {
    return List.of(c.getString(SegmenterConfig.TOPIC_SEGMENT_CHANGES), c.getString(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS),
        c.getString(SegmenterConfig.TOPIC_MODEL_DELTAS), c.getString(SegmenterConfig.TOPIC_MODEL));
  }

  /**
   * Saves the recording beside the run's other files (java.io.tmpdir; kept after the run, to open in
   * JDK Mission Control) and prints the stream threads' hot methods.
   */
  private static void hotMethods(Recording recording) throws Exception {
    Path file = Files.createTempFile("segmenter-throughput-", ".jfr");
    recording.dump(file);
    recording.close();
    System.out.println("JFR recording of the segmenter run: " + file.toAbsolutePath());
    HotMethods.read(file, HotMethods.STREAM_THREADS).print(System.out, Integer.getInteger("bench.jfr.top", 25));
  }

  private static SegmenterConfig config(Map<String, Object> common, String applicationId) throws Exception {
    Map<String, Object> p = new HashMap<>(common);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    // java.io.tmpdir decides where: run with -Djava.io.tmpdir=<build dir> to keep RocksDB off /tmp.
    p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(applicationId + "-state-").toString());
    return new SegmenterConfig(p);
  }

  /** The baseline: every event becomes a 1 under its customer, summed per customer. */
  static Topology countByCustomer(SegmenterConfig config, SchemaRegistryClient client, String outputTopic) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, Long> clicks = builder.stream(CLICKS,
        Consumed.with(Serdes.String(), serde(ClickEvent.class, client, config))).mapValues(v -> 1L);
    KStream<String, Long> orders = builder.stream(ORDERS,
        Consumed.with(Serdes.String(), serde(OrderEvent.class, client, config))).mapValues(v -> 1L);
    // mapValues keeps the key, so groupByKey needs no repartition topic: one stateful step, like segmenter.
    clicks.merge(orders)
        .groupByKey(Grouped.with(Serdes.String(), Serdes.Long()))
        .count()
        .toStream()
        .to(outputTopic, Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build();
  }

  /**
   * One application over the input, timed from start until its committed offsets reach the input's
   * end; {@code recording} (null: none) is started just before and stopped just after that span.
   */
  private static Run run(String name, Topology topology, SegmenterConfig config, SegmenterRuntime runtime,
      InputProgress input, Duration deadline, List<String> outputs, Recording recording) throws Exception {
    // Both applications with segmenter's error handlers (they only act on errors; none in this input).
    Properties props = SegmenterTopology.streamsProperties(config, runtime);
    String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)));
         KafkaStreams streams = new KafkaStreams(topology, props)) {
      if (recording != null) recording.start();
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      streams.start();
      input.awaitCommitted(admin, applicationId, streams, deadline,
          Duration.ofSeconds(Long.getLong("bench.progress.s", 30L)));
      double s = seconds(start);
      double cpu = (processCpuNanos() - cpuStart) / 1e9;
      if (recording != null) recording.stop();
      streams.close(Duration.ofSeconds(60));
      streams.cleanUp();
      deleteTree(Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG)));
      Map<String, Long> perChangelog = new java.util.TreeMap<>();
      for (String t : changelogs(admin, applicationId)) {
        perChangelog.put(t.substring(applicationId.length() + 1, t.length() - "-changelog".length()), offsets(admin, List.of(t)));
      }
      return new Run(name, input.total(), s, cpu, perChangelog, offsets(admin, outputs));
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** CPU time of this whole JVM (stream threads, broker, registry): what a run cost, whatever else the machine ran. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static List<String> changelogs(Admin admin, String applicationId) throws Exception {
    return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
        .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog"))
        .sorted().toList();
  }

  /** Offsets written to the topics (records, plus one transaction marker per partition and commit). */
  static long offsets(Admin admin, List<String> topics) throws Exception {
    return topics.isEmpty() ? 0 : InputProgress.of(admin, topics).total();
  }

  /** segmenter's topics as the service creates them (TopicSetup), plus the baseline's output. */
  private static void createTopics(Admin admin, SegmenterConfig c) throws Exception {
    TopicSetup.createMissing(c, Map.of("bootstrap.servers", c.originals().get("bootstrap.servers")));
    admin.createTopics(List.of(new NewTopic(BASELINE_OUT, INPUT_PARTITIONS, (short) 1)
        .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
  }



  /**
   * Produces the one input set, keyed by customer id. The record timestamp is left to the producer
   * (now): the events are dated months ago, and an event-time stamp would make the broker's 7-day
   * time-based retention delete the input at its first check (the segmenter reads event time from the
   * payload; the baseline does not care).
   */
  private static long produce(SegmenterConfig config, SyntheticGenerator generator) {
    try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
      return sender.sendAll(generator);
    }
  }

  static <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type, SchemaRegistryClient client,
      SegmenterConfig config) {
    SpecificAvroSerde<T> s = new SpecificAvroSerde<>(type, client);
    s.configure(config.serdeConfig(), false);
    return s;
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  record Run(String name, long events, double seconds, double cpuSeconds, Map<String, Long> changelogOffsets,
      long outputOffsets) {
    double rate() {
      return events / seconds;
    }

    String work() {
      long changelogs = changelogOffsets.values().stream().mapToLong(Long::longValue).sum();
      StringBuilder perStore = new StringBuilder();
      changelogOffsets.forEach((store, n) -> perStore.append(perStore.length() == 0 ? "" : ", ")
          .append(store).append(String.format(" %.2f", (double) n / events)));
      return String.format("%s: %.0f us CPU (whole JVM), %.2f changelog offsets (%s), %.2f output offsets", name,
          cpuSeconds * 1e6 / events, (double) changelogs / events, perStore, (double) outputOffsets / events);
    }

    @Override
    public String toString() {
      return String.format("%-28s%,d events in %.1f s = %,.0f events/s", name + ":", events, seconds, rate());
    }
  }
}
