package io.segmenter.bench;

import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.OrderEvent;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.service.TopicSetup;
import io.segmenter.topology.SegmenterRuntime;
import io.segmenter.topology.SegmenterTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * How long an instance that lost its state directory takes to be ready again, and what the state
 * costs per customer. One application id, one in-JVM broker:
 *
 * <ol>
 *   <li>builds the state of N customers: a short synthetic input (by default a week: every order and a
 *       tenth of the clicks, about five events per customer) processed by segmenter at its defaults until the
 *       input is committed, a model exists and has not changed for a while;</li>
 *   <li>pauses the instance and records its answers ({@link RestoreAnswers}), closes it, and measures
 *       its RocksDB files and its changelog topics per store ({@link StateFootprint});</li>
 *   <li>deletes the state directory, starts a new instance with the same application id, times it
 *       until it is RUNNING with every restoration ended ({@link RestoreTally}), pauses it, and
 *       compares its answers with the recorded ones: any difference fails the run.</li>
 * </ol>
 *
 * <p>Usage: {@code RestoreBenchmark [customers=100000]}; system properties {@code bench.days} (7),
 * {@code bench.click.share} (0.1 of the clicks are sent; 1 = every click),
 * {@code bench.threads} (2), {@code bench.sample} (1000 customers), {@code bench.seed} (42),
 * {@code bench.quiet.s} (the longest wall-clock punctuation interval plus 15 s: 75),
 * {@code bench.deadline.s} (3600), {@code bench.progress.s} (30),
 * {@code bench.commit.ms} (unset: Kafka Streams' default). Any {@code -Dsegmenter.<setting>} that is
 * one of segmenter's own settings overrides its default. Stores and changelogs are discovered from the
 * topology and the broker, not named here (except the profiles store, which defines a customer).
 */
public final class RestoreBenchmark {
  static final String APPLICATION_ID = "bench-restore";
  static final int INPUT_PARTITIONS = 4;
  /** The aim for the whole state of one customer in RocksDB. */
  static final double AIM_ROCKSDB_BYTES_PER_CUSTOMER = 300;

  private RestoreBenchmark() { }

  public static void main(String[] args) throws Exception {
    // Before any Avro use: Avro 1.12 refuses to instantiate classes outside trusted packages.
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.segmenter.events,io.segmenter.internal");
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int days = Integer.getInteger("bench.days", 7);
    double clickShare = Double.parseDouble(System.getProperty("bench.click.share", "0.1"));
    int threads = Integer.getInteger("bench.threads", 2);
    int sampleSize = Integer.getInteger("bench.sample", 1_000);
    long seed = Long.getLong("bench.seed", 42L);
    Duration deadline = Duration.ofSeconds(Long.getLong("bench.deadline.s", 3_600L));
    Duration progress = Duration.ofSeconds(Long.getLong("bench.progress.s", 30L));

    Path stateDir = Files.createTempDirectory(APPLICATION_ID + "-state-");
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
         EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
         SchemaRegistryClient client = CachedSchemaRegistryClient.fromProperties(
             Map.of("schema.registry.url", registry.url()));
         Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Map<String, Object> p = new HashMap<>();
      p.put(SegmenterConfig.SCHEMA_REGISTRY_URL, registry.url());
      p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
      p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
      p.put(SegmenterConfig.TOPICS_PARTITIONS, INPUT_PARTITIONS);
      // As the service sets it: without it Kafka Streams shares no key metadata and queryMetadataForKey,
      // which GET /customers/{id} starts from, answers NOT_AVAILABLE. Metadata only: nothing listens there.
      p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:18080");
      if (System.getProperty("bench.commit.ms") != null) {
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.getInteger("bench.commit.ms"));
      }
      Map<String, String> overrides = new TreeMap<>();
      System.getProperties().stringPropertyNames().stream()
          .filter(n -> n.startsWith("segmenter.") && SegmenterConfig.CONFIG.names().contains(n))
          .forEach(n -> overrides.put(n, System.getProperty(n)));
      p.putAll(overrides);
      SegmenterConfig config = new SegmenterConfig(p);
      // Settled for longer than the longest wall-clock punctuation interval: then every punctuation
      // has run at least once with the newest model (the customers seen before the first version are
      // assigned by one). A restored task runs its stream-time punctuation at once (its stream time
      // comes back with the committed offsets): with less time, it would do the pending work of the
      // first instance and the answers would differ for a good reason.
      long longestPunctuationMs = Math.max(config.getLong(SegmenterConfig.INACTIVITY_PUNCTUATE_MS),
          config.getLong(SegmenterConfig.MODEL_DELTA_INTERVAL_MS));
      Duration quiet = Duration.ofSeconds(Long.getLong("bench.quiet.s", longestPunctuationMs / 1000 + 15));
      TopicSetup.createMissing(config, Map.of("bootstrap.servers", kafka.bootstrapServers()));

      long produceStart = System.nanoTime();
      Input input = produce(config, customers, days, clickShare, seed);
      System.out.printf("input: %,d customers, %d days, every order and a share of %.2f of the clicks: %,d events "
              + "(%.1f per customer: %,d clicks, %,d orders) produced in %.1f s%n", customers, days, clickShare,
          input.clicks() + input.orders(), (double) (input.clicks() + input.orders()) / customers, input.clicks(),
          input.orders(), seconds(produceStart));
      System.out.printf("instance: %d stream threads, exactly_once_v2, commit.interval.ms=%s, %d input partitions; "
              + "segmenter settings: %s%n", threads,
          p.getOrDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "default (100)"),
          INPUT_PARTITIONS, overrides.isEmpty() ? "defaults" : "defaults except " + overrides);
      List<String> sample = sample(input.customerIds(), sampleSize, seed);

      // 1. Build the state and record what the instance answers.
      SegmenterRuntime built = SegmenterRuntime.standalone();
      Topology topology = SegmenterTopology.build(config, client, built);
      TopologyDescription description = topology.describe();
      Set<String> storeNames = stores(description);
      RestoreAnswers before;
      try (KafkaStreams streams = new KafkaStreams(topology, SegmenterTopology.streamsProperties(config, built))) {
        long start = System.nanoTime();
        streams.start();
        InputProgress.of(admin, List.of(config.getString(SegmenterConfig.TOPIC_CLICKS),
                config.getString(SegmenterConfig.TOPIC_ORDERS)))
            .awaitCommitted(admin, APPLICATION_ID, streams, deadline, progress);
        double committed = seconds(start);
        awaitModel(built, streams, deadline);
        awaitSettled(admin, streams, sources(description), globalSources(description), quiet, deadline);
        // Paused, the instance neither processes nor punctuates: what it answers now is what it commits
        // and flushes when it closes.
        streams.pause();
        System.out.printf("state built: input committed after %.1f s, model version %d, no newer version for %d s, "
                + "every delta merged, after %.1f s%n",
            committed, built.model().current().version(), quiet.toSeconds(), seconds(start));
        before = RestoreAnswers.read(streams, built, config, sample, storeNames, Duration.ofMinutes(1));
        closeLeavingGroup(streams);
      }
      Path applicationState = stateDir.resolve(APPLICATION_ID);
      Map<String, StateFootprint.Disk> diskBuilt = StateFootprint.onDisk(applicationState);
      Map<String, String> changelogs = changelogs(admin);
      Map<String, Long> changelogBytes = StateFootprint.topicBytes(admin, changelogs.values());

      // 2. The instance's state directory is lost.
      deleteTree(applicationState);

      // 3. A new instance restores it from the changelogs.
      SegmenterRuntime restoredRuntime = SegmenterRuntime.standalone();
      Topology again = SegmenterTopology.build(config, client, restoredRuntime);
      int tasks = tasks(admin, again.describe());
      RestoreTally tally = new RestoreTally();
      RestoreAnswers after;
      double readySeconds;
      double firstRestoreSeconds;
      AtomicBoolean ready = new AtomicBoolean();
      AtomicInteger rebalancesAfterReady = new AtomicInteger();
      try (KafkaStreams streams = new KafkaStreams(again,
          SegmenterTopology.streamsProperties(config, restoredRuntime))) {
        streams.setGlobalStateRestoreListener(tally);
        streams.setStateListener((now, was) -> {
          if (ready.get() && now == KafkaStreams.State.REBALANCING) rebalancesAfterReady.incrementAndGet();
        });
        long start = System.nanoTime();
        streams.start();
        awaitReady(streams, tally, tasks, deadline);
        readySeconds = seconds(start);
        ready.set(true);
        streams.pause();
        firstRestoreSeconds = (tally.firstStartNanos() - start) / 1e9;
        after = RestoreAnswers.read(streams, restoredRuntime, config, sample, storeNames, Duration.ofMinutes(1));
        closeLeavingGroup(streams);
      }
      Map<String, StateFootprint.Disk> diskRestored = StateFootprint.onDisk(applicationState);
      Map<String, Long> compacted = StateFootprint.compacted(applicationState);

      long withProfile = before.entries(SegmenterTopology.PROFILES_STORE);
      System.out.printf("customers:                  %,d in the input, %,d with a profile (the denominator of every "
          + "per-customer figure)%n", input.customerIds().size(), withProfile);
      printFootprint(before, diskBuilt, diskRestored, compacted, changelogs, changelogBytes, withProfile);
      printRestore(tally, changelogs, changelogBytes, readySeconds, firstRestoreSeconds, tasks,
          rebalancesAfterReady.get());
      List<String> differences = before.differences(after);
      System.out.printf("answers equal:              %s (%,d sampled profiles, %,d of them stored; populations %s; "
              + "%,d unassigned; model version %d; %d stores compared entry by entry)%n",
          differences.isEmpty() ? "yes" : "NO", before.profiles().size(), before.profilesFound(), before.populations(),
          before.unassigned(), before.modelVersion(), before.stores().size());
      if (!differences.isEmpty()) {
        differences.forEach(d -> System.out.println("  differs: " + d));
        throw new IllegalStateException("the restored instance does not answer as the one that built the state: "
            + differences);
      }
    } finally {
      deleteTree(stateDir);
    }
  }

  /** The customers of the input, and what was sent. */
  record Input(List<String> customerIds, long clicks, long orders) { }

  /**
   * Produces a compact input keyed by customer id: the synthetic generator's customers over a short
   * span (a week by default), every order, and a random share of the clicks (a tenth by default), so
   * that 100,000 customers stay cheap to produce and to process. The span matters: a customer gives
   * the model at most one training point per day of event time, and the first points of brand-new
   * customers are much alike, so a one-day input never fills the first model version's warm-up sample.
   */
  private static Input produce(SegmenterConfig config, int customers, int days, double clickShare, long seed) {
    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(customers).withSpan(Duration.ofDays(days)).withSeed(seed));
    Random keep = new Random(seed);
    Set<String> ids = new TreeSet<>();
    long clicks = 0;
    long orders = 0;
    try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
      for (GeneratedEvent e : generator) {
        boolean order = e.event() instanceof OrderEvent;
        if (!order && keep.nextDouble() >= clickShare) continue;
        sender.send(e.customerId(), e.event());
        ids.add(e.customerId());
        if (order) {
          orders++;
        } else {
          clicks++;
        }
      }
      sender.flush();
    }
    return new Input(new ArrayList<>(ids), clicks, orders);
  }

  private static List<String> sample(List<String> ids, int size, long seed) {
    List<String> shuffled = new ArrayList<>(ids);
    Collections.shuffle(shuffled, new Random(seed));
    return shuffled.subList(0, Math.min(size, shuffled.size()));
  }

  /** Every state store of the topology, local and global. */
  static Set<String> stores(TopologyDescription description) {
    Set<String> out = new TreeSet<>();
    for (TopologyDescription.Subtopology s : description.subtopologies()) {
      for (TopologyDescription.Node n : s.nodes()) {
        if (n instanceof TopologyDescription.Processor processor) out.addAll(processor.stores());
      }
    }
    for (TopologyDescription.GlobalStore g : description.globalStores()) out.addAll(g.processor().stores());
    return out;
  }

  /** The topics the stream tasks read (not the global stores' topics). */
  static List<String> sources(TopologyDescription description) {
    Set<String> out = new TreeSet<>();
    for (TopologyDescription.Subtopology s : description.subtopologies()) {
      for (TopologyDescription.Node n : s.nodes()) {
        if (n instanceof TopologyDescription.Source source && source.topicSet() != null) out.addAll(source.topicSet());
      }
    }
    return new ArrayList<>(out);
  }

  /** The topics the global stores read. */
  static List<String> globalSources(TopologyDescription description) {
    Set<String> out = new TreeSet<>();
    for (TopologyDescription.GlobalStore g : description.globalStores()) out.addAll(g.source().topicSet());
    return new ArrayList<>(out);
  }

  /** Tasks of the topology: per sub-topology, as many as the partitions of its widest source topic. */
  static int tasks(Admin admin, TopologyDescription description) throws Exception {
    int tasks = 0;
    for (TopologyDescription.Subtopology s : description.subtopologies()) {
      Set<String> topics = new TreeSet<>();
      for (TopologyDescription.Node n : s.nodes()) {
        if (n instanceof TopologyDescription.Source source && source.topicSet() != null) {
          topics.addAll(source.topicSet());
        }
      }
      tasks += admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
          .mapToInt(d -> d.partitions().size()).max().orElse(0);
    }
    return tasks;
  }

  /** Store name to changelog topic, for every changelog of the application on the broker. */
  private static Map<String, String> changelogs(Admin admin) throws Exception {
    Map<String, String> out = new TreeMap<>();
    String prefix = APPLICATION_ID + "-";
    String suffix = "-changelog";
    for (String t : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
      if (t.startsWith(prefix) && t.endsWith(suffix)) {
        out.put(t.substring(prefix.length(), t.length() - suffix.length()), t);
      }
    }
    return out;
  }

  private static void awaitModel(SegmenterRuntime runtime, KafkaStreams streams, Duration deadline) throws Exception {
    Instant until = Instant.now().plus(deadline);
    Instant nextReport = Instant.now().plusSeconds(30);
    while (runtime.model().current() == null) {
      if (Instant.now().isAfter(nextReport)) {
        System.out.println("  input committed, waiting for the first model version");
        nextReport = nextReport.plusSeconds(30);
      }
      if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("the instance stopped (" + streams.state() + ") before a model existed");
      }
      if (Instant.now().isAfter(until)) throw new IllegalStateException("no model version within " + deadline);
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /**
   * Waits until the model has settled: no new version on the topics of the global stores (the model)
   * for {@code quiet}, and the application's committed offsets at the end of every topic its tasks
   * read (its input, and every model delta merged). Changelogs, outputs and deltas may still move: as
   * the wall clock advances, the inactivity punctuator re-checks the few customers falling due each
   * minute (a delta every minute or so at 100,000 customers, too few points for a new version); a
   * restored instance, whose clock starts again from the committed stream time, has none of those
   * left to do.
   */
  private static void awaitSettled(Admin admin, KafkaStreams streams, List<String> sources, List<String> globalSources,
      Duration quiet, Duration deadline) throws Exception {
    Instant until = Instant.now().plus(deadline);
    Map<TopicPartition, Long> last = Map.of();
    Instant stableSince = Instant.now();
    List<String> topics = new ArrayList<>(sources);
    topics.addAll(globalSources);
    while (true) {
      Map<TopicPartition, Long> ends = endOffsets(admin, topics);
      Map<TopicPartition, Long> model = new HashMap<>(ends);
      model.keySet().removeIf(tp -> !globalSources.contains(tp.topic()));
      if (!model.equals(last)) {
        last = model;
        stableSince = Instant.now();
      }
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APPLICATION_ID)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      boolean consumed = ends.entrySet().stream().filter(e -> sources.contains(e.getKey().topic()))
          .allMatch(e -> e.getValue() == 0 || committed.get(e.getKey()) != null
              && committed.get(e.getKey()).offset() >= e.getValue());
      if (consumed && !Instant.now().isBefore(stableSince.plus(quiet))) return;
      if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("the instance stopped (" + streams.state() + ") before the model settled");
      }
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("the model did not settle within " + deadline);
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) ->
        d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /**
   * Ready: RUNNING, every task of the topology active on this instance, and no restoration in
   * progress (the restore listener saw at least one, and each one that started has ended).
   */
  private static void awaitReady(KafkaStreams streams, RestoreTally tally, int tasks, Duration deadline)
      throws Exception {
    Instant until = Instant.now().plus(deadline);
    while (true) {
      KafkaStreams.State state = streams.state();
      if (state == KafkaStreams.State.RUNNING && tally.started() > 0 && tally.inProgress() == 0
          && activeTasks(streams) == tasks) {
        return;
      }
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("the restoring instance stopped (" + state + ")");
      }
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("not ready within " + deadline + ": " + state + ", " + tally.inProgress()
            + " restorations in progress, " + activeTasks(streams) + " of " + tasks + " tasks active");
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  private static int activeTasks(KafkaStreams streams) {
    int n = 0;
    for (ThreadMetadata t : streams.metadataForLocalThreads()) n += t.activeTasks().size();
    return n;
  }

  /**
   * Closes and leaves the consumer group, as an instance that is gone for good: otherwise the next
   * instance's first rebalance waits for this member's session to time out (45 s), which measures the
   * group protocol, not the restore.
   */
  private static void closeLeavingGroup(KafkaStreams streams) {
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(60)));
  }

  private static void printFootprint(RestoreAnswers before, Map<String, StateFootprint.Disk> built,
      Map<String, StateFootprint.Disk> restored, Map<String, Long> compacted, Map<String, String> changelogs,
      Map<String, Long> changelogBytes, long customers) {
    System.out.printf("%-18s %11s %14s %14s %14s %14s%n", "bytes per customer", "entries", "RocksDB SST",
        "after restore", "compacted", "changelog");
    Set<String> names = new TreeSet<>(before.stores().keySet());
    names.addAll(built.keySet());
    names.addAll(changelogs.keySet());
    long entries = 0;
    long sst = 0;
    long sstRestored = 0;
    long changelog = 0;
    long live = 0;
    for (String store : names) {
      long s = built.containsKey(store) ? built.get(store).sstBytes() : 0;
      long r = restored.containsKey(store) ? restored.get(store).sstBytes() : 0;
      long c = changelogs.containsKey(store) ? changelogBytes.getOrDefault(changelogs.get(store), 0L) : 0;
      long l = compacted.getOrDefault(store, 0L);
      live += l;
      entries += before.entries(store);
      sst += s;
      sstRestored += r;
      changelog += c;
      System.out.printf("  %-16s %,11d %14s %14s %14s %14s%n", store, before.entries(store),
          perCustomer(s, customers), perCustomer(r, customers), perCustomer(l, customers),
          changelogs.containsKey(store) ? perCustomer(c, customers) : "(no changelog)");
    }
    System.out.printf("  %-16s %,11d %14s %14s %14s %14s%n", "total", entries, perCustomer(sst, customers),
        perCustomer(sstRestored, customers), perCustomer(live, customers), perCustomer(changelog, customers));
    long allFiles = built.values().stream().mapToLong(StateFootprint.Disk::allBytes).sum();
    long allRestored = restored.values().stream().mapToLong(StateFootprint.Disk::allBytes).sum();
    System.out.printf("RocksDB per customer:       %.0f B in SST files after processing (%s MB; %.0f B with RocksDB's "
            + "logs and manifests), %.0f B after restore (%.0f B with logs), %.0f B fully compacted; "
            + "aim <= %.0f B: %s%n",
        (double) sst / customers, mb(sst), (double) allFiles / customers, (double) sstRestored / customers,
        (double) allRestored / customers, (double) live / customers, AIM_ROCKSDB_BYTES_PER_CUSTOMER,
        sst / (double) customers <= AIM_ROCKSDB_BYTES_PER_CUSTOMER ? "met"
            : live / (double) customers <= AIM_ROCKSDB_BYTES_PER_CUSTOMER ? "met once compacted only" : "NOT met");
    System.out.printf("changelogs per customer:    %.0f B (%s MB, not compacted yet: every record written since the "
        + "topics were created)%n", (double) changelog / customers, mb(changelog));
  }

  private static void printRestore(RestoreTally tally, Map<String, String> changelogs, Map<String, Long> changelogBytes,
      double readySeconds, double firstRestoreSeconds, int tasks, int rebalancesAfterReady) {
    System.out.printf("restore after the state directory was deleted: ready (RUNNING, %d tasks active, every "
        + "restoration ended) %.1f s after start; the first restoration began at %.1f s%n", tasks, readySeconds,
        firstRestoreSeconds);
    long restoredBytes = 0;
    for (Map.Entry<String, RestoreTally.Store> e : tally.stores().entrySet()) {
      RestoreTally.Store s = e.getValue();
      String topic = changelogs.get(e.getKey());
      long bytes = topic == null ? 0 : changelogBytes.getOrDefault(topic, 0L);
      restoredBytes += bytes;
      System.out.printf("  %-18s %,11d records from %2d partition(s) in %5.1f s%s%n", e.getKey(), s.records(),
          s.partitions(), s.seconds(), topic == null ? " (global store, from its source topic)" : "");
    }
    double s = tally.seconds();
    System.out.printf("restore rate:               %,d records in %.1f s = %,.0f records/s, %.1f MB/s of changelog%n",
        tally.records(), s, s > 0 ? tally.records() / s : 0, s > 0 ? restoredBytes / 1e6 / s : 0);
    if (rebalancesAfterReady > 0) {
      System.out.printf("  note: %d rebalance(s) after ready (tasks moving between stream threads)%n",
          rebalancesAfterReady);
    }
  }

  private static String perCustomer(long bytes, long customers) {
    return customers == 0 ? "-" : String.format("%.1f", (double) bytes / customers);
  }

  private static String mb(long bytes) {
    return String.format("%.1f", bytes / 1e6);
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) return;
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
