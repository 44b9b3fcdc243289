package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.SegmentChange;
import io.segmenter.events.SegmentRef;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Features;
import io.segmenter.model.ModelAggregator;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.topology.InternalSerdes;
import org.apache.kafka.common.serialization.Serde;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.config.SettingsSources;
import io.segmenter.service.TopicSetup;
import io.segmenter.topology.ModelCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Crash safety: {@code segmenter run} as a separate OS process, SIGKILLed (no shutdown hook, no
 * commit, an open transaction left behind) several times while orders flow into its input, and
 * restarted each time with the same settings and state directory, as a supervisor restarts a pod.
 *
 * <ol>
 *   <li>The model under kills, learning on: the versions on the model topic are 1..n and are exactly
 *       what the pure aggregator makes of the committed deltas, i.e. every committed delta was applied
 *       once; the restarted process serves the last version.</li>
 *   <li>The segments under kills, with a fixed model: per customer, the changes and the final segment
 *       equal those of a run of the same input that was never killed.</li>
 * </ol>
 * The second uses the model the first learnt, hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CrashIT {
  private static final int CUSTOMERS = 1_000;
  /** Less than the active window (segmenter.segment.active.days, 90): see fixedModelSettings. */
  private static final Duration SPAN = Duration.ofDays(60);
  private static final int PARTITIONS = 4;
  /** Orders per second while the kills go on (the feed then sends the rest at full speed). */
  private static final int PACED_RATE = 60;
  /**
   * While the kills go on, the feed stays at most this many orders ahead of what the run committed,
   * so that input is still flowing at the last kill however slow the restarts are (on a loaded
   * machine a restart takes 20-30 s, which would otherwise exhaust the input first).
   */
  private static final int LEAD = 600;
  /**
   * Input records committed since the previous kill before the next one: the process is killed only
   * after it has made progress, and at different moments of the stream.
   */
  private static final int[] KILL_AFTER = {100, 300, 200};
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  /** How long the model must stay unchanged to count as settled: 10 delta flush intervals of scenario B. */
  private static final Duration QUIET = Duration.ofSeconds(5);
  /** Longer than any run: a punctuation or re-check this far away never happens. */
  private static final long NEVER_MS = Duration.ofDays(36_500).toMillis();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;
  private static SchemaRegistryClient client;
  private static Admin admin;
  private static List<OrderEvent> orders;
  private static Set<String> orderingCustomers;
  private static final long STARTED = System.nanoTime();

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    registry = EmbeddedSchemaRegistry.start();
    client = CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url()));
    admin = Admin.create(kafka.clientConfig());
    // Orders only (see fixedModelSettings). The generator yields events in non-decreasing occurredAt
    // order and, by default, no re-sent duplicates, so every partition's orders are in time order.
    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(CUSTOMERS).withSpan(SPAN).withSeed(11L));
    orders = generator.stream().filter(GeneratedEvent::isOrder).map(e -> (OrderEvent) e.event()).toList();
    orderingCustomers = new TreeSet<>(orders.stream().map(OrderEvent::getCustomerId).toList());
    for (int i = 1; i < orders.size(); i++) {
      assertThat(orders.get(i).getOccurredAt()).as("input in time order").isAfterOrEqualTo(orders.get(i - 1).getOccurredAt());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (admin != null) admin.close();
    if (client != null) client.close();
    if (registry != null) registry.close();
    if (kafka != null) kafka.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Scenario B: the model path under kills.
  // ---------------------------------------------------------------------------------------------

  /**
   * Why the comparison below is fair: ModelAggregatorProcessor is a pure function of the sequence of
   * deltas it consumed. Its only state is the current version and the merged pending deltas, both in
   * its changelogged store and written in the transaction that consumes the delta (and writes the
   * version it completes); after a crash they are restored as of the last commit and the deltas after
   * it are read again. The Avro round trip of that state is exact (doubles as doubles); the one
   * difference, an empty pending delta's max event time stored as 0 instead of Long.MIN_VALUE, is
   * erased by the max() of the next merge. No wall clock, seeds derived from the version. It starts
   * from the model topic (global store) only when its own store holds no version, which cannot happen
   * here: the model topic starts empty.
   */
  @Test
  @Order(1)
  void theModelIsTheCommittedDeltasAppliedOnceWhateverTheKills() throws Exception {
    Run run = new Run("crash-b");
    Map<String, String> env = run.env();
    env.put("SEGMENTER_MODEL_WARMUP_POINTS", "200");
    env.put("SEGMENTER_MODEL_MIN_BATCH_POINTS", "500");
    env.put("SEGMENTER_MODEL_DELTA_POINTS", "100");
    env.put("SEGMENTER_MODEL_DELTA_INTERVAL_MS", "500");
    env.put("SEGMENTER_INACTIVITY_PUNCTUATE_INTERVAL_MS", "1000");
    // A version at least every 3 days of event time (default 6 h): about 20 versions over the 60 days
    // rather than 200, which would make the test slow, not more thorough.
    env.put("SEGMENTER_MODEL_MAX_INTERVAL_MS", Long.toString(Duration.ofDays(3).toMillis()));
    SegmenterConfig config = run.createTopics();

    // The first half of the orders (a month): enough for kills with versions before and after them;
    // the rest would only make the test longer.
    List<OrderEvent> input = orders.subList(0, orders.size() / 2);
    KilledRun killed;
    try (OrderFeed feed = new OrderFeed(config, input)) {
      // The last kill waits for a first version too, so that the aggregator is killed and restored
      // both while it builds the first version and with versions behind it.
      killed = runWithKills(run, feed, p -> modelVersion(p) != null);
      feed.fullSpeed();
      assertThat(feed.awaitEnd(DEADLINE)).isEqualTo(input.size());
    }
    try (SegmenterProcess last = killed.last()) {
      awaitCommitted(last, run.appId, run.topic(SegmenterConfig.TOPIC_ORDERS), input.size());
      long served = awaitModelSettled(last, run, config);
      assertThat(last.stop(Duration.ofSeconds(60))).as("exit status of run after SIGTERM").isEqualTo(143);

      // The process is stopped: the model topic, the deltas and the aggregator's committed offset on
      // them are one consistent, frozen picture.
      List<ModelVersion> versions = readAll(run.topic(SegmenterConfig.TOPIC_MODEL), InternalSerdes.modelVersions());
      List<ConsumerRecord<String, ModelDelta>> deltas = readRecords(run.topic(SegmenterConfig.TOPIC_MODEL_DELTAS),
          InternalSerdes.modelDeltas());
      long aggregated = committed(run.appId, run.topic(SegmenterConfig.TOPIC_MODEL_DELTAS));
      List<ModelVersion> replayed = replay(config, deltas, aggregated);

      assertThat(versions).as("model versions").hasSizeGreaterThanOrEqualTo(2);
      for (int i = 0; i < versions.size(); i++) {
        assertThat(versions.get(i).getVersion()).as("version at position %d of the model topic", i).isEqualTo(i + 1L);
      }
      assertThat(killed.kills().get(killed.kills().size() - 1).modelVersion())
          .as("model version when the process was last killed (versions were cut across the kills)")
          .isNotNull().isLessThan(versions.size());
      // Every field: centres (ids, positions, weights, versions, names), feature statistics,
      // nextCentreId, decay and createdAt, which is an event time (the newest merged), not wall time.
      assertThat(versions).as("model topic vs the committed deltas (offsets < %d) replayed through ModelAggregator",
          aggregated).isEqualTo(replayed);
      assertThat(served).as("/model of the restarted process").isEqualTo(versions.get(versions.size() - 1).getVersion());
      assertDeltaSequencesGapless(deltas);
      Map<String, List<Change>> changes = changesPerCustomer(run.topic(SegmenterConfig.TOPIC_SEGMENT_CHANGES), config);
      assertGapless(changes, "crash-b");

      System.out.printf("CrashIT model: %d orders, %d kills %s; %d deltas committed (aggregator's committed offset %d), "
              + "%d model versions on the topic = the replay of the committed deltas below it; /model after the last restart: version %d; "
              + "%d segment changes, sequences gapless%n",
          input.size(), killed.kills().size(), killed.kills(), deltas.size(), aggregated, versions.size(), served,
          changes.values().stream().mapToInt(List::size).sum());
    }
  }

  /** Feeds the committed deltas below the aggregator's committed offset to a fresh pure aggregator. */
  private static List<ModelVersion> replay(SegmenterConfig config,
      List<ConsumerRecord<String, ModelDelta>> deltas, long aggregatedUpTo) {
    // With the predictive fitter as the service runs it: its reservoir is part of what the deltas decide.
    io.segmenter.clv.ClvFitter clv = config.clvEnabled() ? new io.segmenter.clv.ClvFitter(config.clvSettings(),
        config.clvParametersFromFile(), new io.segmenter.clv.SummaryReservoir(config.clvSettings().reservoirSize(),
        config.modelSettings().seed())) : null;
    ModelAggregator aggregator = new ModelAggregator(config.modelSettings(), Features.DIMENSION, null, null, clv);
    List<ModelVersion> out = new ArrayList<>();
    for (ConsumerRecord<String, ModelDelta> d : deltas) {
      if (d.offset() >= aggregatedUpTo) break;
      aggregator.accept(ModelCodec.fromAvro(d.value())).ifPresent(v -> out.add(ModelCodec.toAvro(v)));
    }
    return out;
  }

  /**
   * Each task numbers its deltas 1, 2, 3, ... and keeps the number in its changelogged batch store:
   * after a crash the committed deltas of a task must still be 1..n (a delta sent in an aborted
   * transaction is re-sent with the same number, and only one of the two is committed).
   */
  private static void assertDeltaSequencesGapless(List<ConsumerRecord<String, ModelDelta>> deltas) {
    Map<String, List<Long>> perTask = new TreeMap<>();
    for (ConsumerRecord<String, ModelDelta> d : deltas) {
      perTask.computeIfAbsent(d.value().getTaskId(), t -> new ArrayList<>()).add(d.value().getSequence());
    }
    assertThat(perTask).as("tasks that sent deltas").hasSize(PARTITIONS);
    perTask.forEach((task, seq) -> assertThat(seq).as("delta sequence numbers of task %s", task).isEqualTo(oneTo(seq.size())));
  }

  /**
   * Waits until the aggregator has consumed every committed delta and the process serves the newest
   * version on the model topic, and that has stayed so for {@link #QUIET}; returns that version.
   *
   * <p>Why a quiet period: the moment the input offsets are committed is not the end of the model's
   * work. Tasks send the rest of their mini-batches on their next wall-clock flush, and a task that was
   * restored late after the last kill may still be catching up on re-evaluations; a snapshot taken in
   * between looks settled (every visible delta consumed, the newest version served) and is not (CI
   * once saw version 14 served at such a moment and 23 versions on the topic at the stop).
   */
  private static long awaitModelSettled(SegmenterProcess p, Run run, SegmenterConfig config) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    String deltasTopic = run.topic(SegmenterConfig.TOPIC_MODEL_DELTAS);
    Long settledVersion = null;
    Instant settledSince = null;
    while (true) {
      assertAlive(p);
      List<ConsumerRecord<String, ModelDelta>> deltas = readRecords(deltasTopic, InternalSerdes.modelDeltas());
      long lastDelta = deltas.isEmpty() ? -1 : deltas.get(deltas.size() - 1).offset();
      Long served = modelVersion(p);
      List<ModelVersion> versions = readAll(run.topic(SegmenterConfig.TOPIC_MODEL), InternalSerdes.modelVersions());
      boolean settled = committed(run.appId, deltasTopic) > lastDelta && served != null && !versions.isEmpty()
          && served == versions.get(versions.size() - 1).getVersion();
      if (!settled || !served.equals(settledVersion)) {
        settledVersion = settled ? served : null;
        settledSince = settled ? Instant.now() : null;
      } else if (Duration.between(settledSince, Instant.now()).compareTo(QUIET) >= 0) {
        return served;
      }
      assertThat(Instant.now()).as("model settled for %s within %s (served %s, %d versions on the topic)", QUIET,
          DEADLINE, served, versions.size()).isBefore(deadline);
      TimeUnit.MILLISECONDS.sleep(300); // poll interval of a wait with a deadline
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Scenario A: the segments under kills equal those of a run without kills.
  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(2)
  void segmentChangesUnderKillsEqualThoseOfARunWithoutKills() throws Exception {
    Run killedRun = new Run("crash-a");
    Run cleanRun = new Run("crash-a-clean");
    for (Run r : List.of(killedRun, cleanRun)) {
      fixedModelSettings(r.env());
      // Same input for both: the clean run reads the very records the killed run read.
      r.env().put("SEGMENTER_TOPIC_ORDERS", "crash-a-orders");
      r.env().put("SEGMENTER_TOPIC_CLICKS", "crash-a-clicks");
    }
    SegmenterConfig killedConfig = killedRun.createTopics();
    SegmenterConfig cleanConfig = cleanRun.createTopics();
    ModelVersion model = lastVersion("crash-b-model", killedConfig);
    publishModel(killedConfig, model);
    publishModel(cleanConfig, model);

    KilledRun killed;
    try (OrderFeed feed = new OrderFeed(killedConfig, orders)) {
      killed = runWithKills(killedRun, feed, p -> true);
      feed.fullSpeed();
      assertThat(feed.awaitEnd(DEADLINE)).isEqualTo(orders.size());
    }
    try (SegmenterProcess last = killed.last()) {
      awaitCommitted(last, killedRun.appId, "crash-a-orders", orders.size());
      assertThat(last.stop(Duration.ofSeconds(60))).as("exit status of the killed run after SIGTERM").isEqualTo(143);
    }
    // The run without kills starts once the input is complete and the killed run has processed it.
    try (SegmenterProcess clean = SegmenterProcess.start(cleanRun.appId, cleanRun.env(), cleanRun.port, "run")) {
      clean.awaitReady(DEADLINE);
      awaitCommitted(clean, cleanRun.appId, "crash-a-orders", orders.size());
      assertThat(clean.stop(Duration.ofSeconds(60))).as("exit status of the clean run after SIGTERM").isEqualTo(143);
    }

    String killedChangesTopic = killedRun.topic(SegmenterConfig.TOPIC_SEGMENT_CHANGES);
    Map<String, List<Change>> killedChanges = changesPerCustomer(killedChangesTopic, killedConfig);
    Map<String, List<Change>> cleanChanges = changesPerCustomer(cleanRun.topic(SegmenterConfig.TOPIC_SEGMENT_CHANGES), cleanConfig);
    Map<String, Segment> killedSegments = latestSegments(killedRun.topic(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS), killedConfig);
    Map<String, Segment> cleanSegments = latestSegments(cleanRun.topic(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS), cleanConfig);

    // The premise of the comparison: the model stayed the fixed one in both runs.
    assertThat(readAll(killedRun.topic(SegmenterConfig.TOPIC_MODEL), InternalSerdes.modelVersions()))
        .as("model topic of the killed run (the aggregator cut no version)").containsExactly(model);
    assertThat(readAll(cleanRun.topic(SegmenterConfig.TOPIC_MODEL), InternalSerdes.modelVersions()))
        .as("model topic of the clean run").containsExactly(model);
    assertThat(killedChanges.values()).allSatisfy(list -> assertThat(list)
        .allSatisfy(c -> assertThat(c.modelVersion()).isEqualTo(model.getVersion())));

    assertThat(killedChanges.keySet()).as("customers with segment changes, killed run").isEqualTo(orderingCustomers);
    assertGapless(killedChanges, "killed run");
    assertGapless(cleanChanges, "clean run");
    assertThat(killedChanges).as("per-customer segment changes: killed run vs run without kills").isEqualTo(cleanChanges);
    assertThat(killedSegments).as("final customer-segments: killed run vs run without kills").isEqualTo(cleanSegments);
    assertThat(killedSegments.keySet()).isEqualTo(orderingCustomers);
    for (Run r : List.of(killedRun, cleanRun)) {
      assertThat(countAll(r.topic(SegmenterConfig.TOPIC_DLQ), "read_committed")).as("dead letters of %s", r.appId).isZero();
    }

    long committedChanges = killedChanges.values().stream().mapToInt(List::size).sum();
    long uncommitted = countAll(killedChangesTopic, "read_uncommitted");
    System.out.printf("CrashIT segments: %d orders, %d customers, %d segment changes (equal to the run without kills), "
            + "%d final segments equal; %d kills %s; segment-changes records in aborted transactions "
            + "(read_uncommitted minus read_committed): %d; model version %d fixed%n",
        orders.size(), killedChanges.size(), committedChanges, killedSegments.size(), killed.kills().size(), killed.kills(),
        uncommitted - committedChanges, model.getVersion());
    System.out.printf("CrashIT: total wall time %.1f s%n", (System.nanoTime() - STARTED) / 1e9);
  }

  /**
   * Settings that make the output a function of the input alone, so that a killed run can be
   * compared with a clean one. Configuration only; each switches off one source of timing:
   * <ul>
   *   <li>The model: versions are cut when enough deltas arrive, and deltas are flushed on wall-clock
   *       intervals, and the global store takes a new version asynchronously: which events are assigned
   *       with which version depends on timing. So a fixed model is published before the start and the
   *       aggregator may never cut another: before a model exists it cuts version 1 after the warm-up
   *       points; afterwards when min.batch.points are pending or when their event time is
   *       max.interval.ms past the current version. All three out of reach. Deltas still flow; they
   *       change nothing.</li>
   *   <li>"Now": the hybrid clock adds the wall time since stream time last advanced; the event clock
   *       is event time only.</li>
   *   <li>Inactivity re-evaluations happen at punctuations, on the wall clock (never, here) and on
   *       stream time: that one is aligned to multiples of its interval since the epoch, so with 100
   *       years it fires once at a task's first record, which a restart repeats. It then finds nothing
   *       due: re-checks are booked 100 years ahead, or at the end of the 90-day active window, which
   *       60 days of history never reach.</li>
   *   <li>One input topic: a task reads partition n of clicks AND of orders, and interleaves the two by
   *       fetch timing, which differs between runs and after a restart; profiles and "now" would then
   *       see the events in another order. Orders only, so each task has one ordered input.</li>
   * </ul>
   * The input is also in time order per partition: SegmentingProcessor keeps the newest event time
   * in memory only, so after a restart a task's "now" starts again from the first event it processes,
   * which equals the uninterrupted run's "now" only when no earlier-stamped event follows a later one.
   */
  private static void fixedModelSettings(Map<String, String> env) {
    env.put("SEGMENTER_MODEL_WARMUP_POINTS", Integer.toString(1_000_000_000));
    env.put("SEGMENTER_MODEL_MIN_BATCH_POINTS", Long.toString(Long.MAX_VALUE));
    env.put("SEGMENTER_MODEL_MAX_INTERVAL_MS", Long.toString(NEVER_MS));
    env.put("SEGMENTER_CLOCK", SegmenterConfig.CLOCK_EVENT);
    env.put("SEGMENTER_INACTIVITY_RECHECK_INTERVAL_MS", Long.toString(NEVER_MS));
    env.put("SEGMENTER_INACTIVITY_PUNCTUATE_INTERVAL_MS", Long.toString(NEVER_MS));
    env.put("SEGMENTER_INACTIVITY_STREAM_PUNCTUATE_INTERVAL_MS", Long.toString(NEVER_MS));
  }

  private static ModelVersion lastVersion(String topic, SegmenterConfig config) {
    List<ModelVersion> versions = readAll(topic, InternalSerdes.modelVersions());
    assertThat(versions).as("model learnt by the model scenario (on %s): it runs first", topic).isNotEmpty();
    return versions.get(versions.size() - 1);
  }

  /** Writes the version to the run's model topic, as the aggregator would (key "model", internal encoding). */
  private static void publishModel(SegmenterConfig config, ModelVersion version) throws Exception {
    try (KafkaProducer<String, ModelVersion> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
        new StringSerializer(), InternalSerdes.modelVersions().serializer())) {
      producer.send(new ProducerRecord<>(config.getString(SegmenterConfig.TOPIC_MODEL), "model", version)).get(30, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Kills and restarts.
  // ---------------------------------------------------------------------------------------------

  /**
   * One SIGKILL: when (seconds since the test started; seconds the process had been up, of which it
   * needed this many to become ready), how far it had got, and the model version it served.
   */
  record Kill(int n, long pid, double atSeconds, double upSeconds, double readyAfterSeconds, long committedInput,
      int produced, long deltasAggregated, Long modelVersion, int exitCode) {
    @Override
    public String toString() {
      return String.format("#%d pid %d at %.1f s (up %.1f s, ready after %.1f s): input offsets committed %d of %d "
              + "produced, deltas aggregated %d, model v%s, exit %d",
          n, pid, atSeconds, upSeconds, readyAfterSeconds, committedInput, produced, deltasAggregated, modelVersion, exitCode);
    }
  }

  record KilledRun(SegmenterProcess last, List<Kill> kills) { }

  /**
   * Starts the run, then for each KILL_AFTER step: waits until the input committed by the run has
   * grown by that much since the previous kill (it made progress after its restart), SIGKILLs it
   * while the feed goes on, and restarts it with the same environment and state directory.
   */
  private static KilledRun runWithKills(Run run, OrderFeed feed, Check lastKillAlsoAwaits) throws Exception {
    String input = run.topic(SegmenterConfig.TOPIC_ORDERS);
    String deltas = run.topic(SegmenterConfig.TOPIC_MODEL_DELTAS);
    long launched = System.nanoTime();
    SegmenterProcess p = SegmenterProcess.start(run.appId, run.env(), run.port, "run");
    List<Kill> kills = new ArrayList<>();
    try {
      p.awaitReady(DEADLINE);
      double readyAfter = (System.nanoTime() - launched) / 1e9;
      feed.start();
      long committed = 0;
      for (int i = 0; i < KILL_AFTER.length; i++) {
        long target = committed + KILL_AFTER[i];
        Check extra = i == KILL_AFTER.length - 1 ? lastKillAlsoAwaits : any -> true;
        SegmenterProcess current = p;
        awaitCondition(p, "progress before kill " + (i + 1), () -> {
          long c = committed(run.appId, input);
          feed.allowUpTo(c + LEAD);
          return c >= target && extra.test(current);
        });
        assertThat(feed.sent()).as("orders still flowing at kill %d", kills.size() + 1).isLessThan(feed.total());
        Long version = modelVersion(p);
        int produced = feed.sent();
        p.kill();
        long now = System.nanoTime();
        // What the restart resumes from: the killed process can no longer commit anything.
        committed = committed(run.appId, input);
        kills.add(new Kill(kills.size() + 1, p.pid(), (now - STARTED) / 1e9, (now - launched) / 1e9, readyAfter,
            committed, produced, committed(run.appId, deltas), version, p.exitCode()));
        // 137 = 128 + SIGKILL: the JVM died without running its shutdown hook (no clean close).
        assertThat(p.exitCode()).as("exit status after SIGKILL").isEqualTo(137);
        assertThat(p.logText()).as("log of a killed run").doesNotContain("PENDING_SHUTDOWN");
        launched = System.nanoTime();
        p = p.restart();
        p.awaitReady(DEADLINE);
        readyAfter = (System.nanoTime() - launched) / 1e9;
      }
      return new KilledRun(p, kills);
    } catch (Throwable t) {
      p.close();
      throw t;
    }
  }

  /** Waits until the run's committed offsets on the topic add up to at least {@code minimum}. */
  private static void awaitCommitted(SegmenterProcess p, String appId, String topic, long minimum) throws Exception {
    awaitCondition(p, appId + " committed " + minimum + " offsets of " + topic, () -> committed(appId, topic) >= minimum);
  }

  /** A condition on a running process. */
  interface Check {
    boolean test(SegmenterProcess p) throws Exception;
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls the condition until it holds; fails if the process exits or the deadline passes. */
  private static void awaitCondition(SegmenterProcess p, String what, Condition condition) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!condition.holds()) {
      assertAlive(p);
      assertThat(Instant.now()).as("%s within %s", what, DEADLINE).isBefore(deadline);
      TimeUnit.MILLISECONDS.sleep(200); // poll interval of a wait with a deadline
    }
  }

  /** Sum of the consumer group's committed offsets over the topic's partitions (what it has processed). */
  private static long committed(String group, String topic) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    return offsets.entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  private static void assertAlive(SegmenterProcess p) {
    if (!p.isAlive()) throw new AssertionError("segmenter exited with " + p.exitCode() + "; log:\n" + p.logText());
  }

  /** The version /model reports, or null before the first one. */
  private static Long modelVersion(SegmenterProcess p) throws Exception {
    JsonNode body = JSON.readTree(p.get("/model").body());
    return body.path("version").isNumber() ? body.path("version").asLong() : null;
  }

  /** Sends the orders to the run's input from a thread: paced while the kills go on, then at full speed. */
  static final class OrderFeed implements AutoCloseable {
    private final EventSender sender;
    private final List<OrderEvent> events;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean paced = true;
    private volatile long limit = LEAD;

    OrderFeed(SegmenterConfig config, List<OrderEvent> events) {
      this.sender = new EventSender(config, new HashMap<>(config.originals()));
      this.events = events;
      this.thread = new Thread(this::sendAll, "order-feed");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    private void sendAll() {
      try {
        int perTick = PACED_RATE / 10;
        for (OrderEvent e : events) {
          // Rate control, not synchronisation: the input trickles in while the process is killed.
          if (paced && sent.get() % perTick == 0) TimeUnit.MILLISECONDS.sleep(100);
          while (paced && sent.get() >= limit) TimeUnit.MILLISECONDS.sleep(50);
          sender.send(e.getCustomerId(), e);
          sent.incrementAndGet();
        }
        sender.flush();
      } catch (Throwable t) {
        failure.set(t);
      }
    }

    int sent() {
      return sent.get();
    }

    int total() {
      return events.size();
    }

    /** Lets the paced feed send up to this many orders in all. */
    void allowUpTo(long orders) {
      limit = Math.max(limit, orders);
    }

    void fullSpeed() {
      paced = false;
    }

    /** Waits until every order is acknowledged by the broker; returns how many. */
    long awaitEnd(Duration timeout) throws InterruptedException {
      thread.join(timeout.toMillis());
      if (failure.get() != null) throw new AssertionError("sending orders failed", failure.get());
      assertThat(thread.isAlive()).as("feed still sending after %s", timeout).isFalse();
      return sender.ackedOrders();
    }

    @Override
    public void close() throws InterruptedException {
      paced = false;
      thread.join(DEADLINE.toMillis());
      sender.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One application's settings and topics.
  // ---------------------------------------------------------------------------------------------

  /** A segmenter application: its id, state directory, HTTP port and topics of its own (prefix = id). */
  static final class Run {
    final String appId;
    final int port;
    private final Map<String, String> env = new LinkedHashMap<>();

    Run(String appId) {
      this.appId = appId;
      this.port = SegmenterProcess.freePort();
      env.put("SEGMENTER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
      env.put("SEGMENTER_SCHEMA_REGISTRY_URL", registry.url());
      env.put("SEGMENTER_APPLICATION_ID", appId);
      try {
        env.put("SEGMENTER_STATE_DIR", Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")),
            appId + "-state-").toString());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      env.put("SEGMENTER_HTTP_PORT", Integer.toString(port));
      // Access control has its own test (HttpSecurityIT); here the endpoints are read without credentials.
      env.put("SEGMENTER_HTTP_ACCESS_CONTROL", "false");
      env.put("SEGMENTER_HTTP_ADVERTISED_HOST", "127.0.0.1");
      env.put("SEGMENTER_TOPICS_PARTITIONS", Integer.toString(PARTITIONS));
      // The restarted process joins the group while the killed member is still in it; the group
      // waits for the dead member's session to expire (45 s by default) before it rebalances.
      env.put("SEGMENTER_SESSION_TIMEOUT_MS", "6000");
      env.put("SEGMENTER_HEARTBEAT_INTERVAL_MS", "1500");
      env.put("SEGMENTER_TOPIC_CLICKS", appId + "-clicks");
      env.put("SEGMENTER_TOPIC_ORDERS", appId + "-orders");
      env.put("SEGMENTER_TOPIC_SEGMENT_CHANGES", appId + "-segment-changes");
      env.put("SEGMENTER_TOPIC_CUSTOMER_SEGMENTS", appId + "-customer-segments");
      env.put("SEGMENTER_TOPIC_SEGMENT_CATALOG", appId + "-segment-catalog");
      env.put("SEGMENTER_TOPIC_MODEL_DELTAS", appId + "-model-deltas");
      env.put("SEGMENTER_TOPIC_MODEL", appId + "-model");
      env.put("SEGMENTER_TOPIC_DLQ", appId + "-dlq");
    }

    Map<String, String> env() {
      return env;
    }

    /** The settings the process will see, through the product's own mapping of the variables. */
    SegmenterConfig config() {
      return new SegmenterConfig(SettingsSources.fromEnvironment(env));
    }

    String topic(String key) {
      return config().getString(key);
    }

    /** Creates the topics as the service would (inputs co-partitioned, model topics with one partition). */
    SegmenterConfig createTopics() throws Exception {
      SegmenterConfig config = config();
      TopicSetup.createMissing(config, kafka.clientConfig());
      return config;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the outputs (read_committed: what a downstream consumer sees).
  // ---------------------------------------------------------------------------------------------

  /** What a downstream service relies on in a SegmentChange (processingTime and rfm are the emission's). */
  record Change(long sequence, Integer previous, Integer next, String reason, Instant eventTime, long modelVersion) { }

  /** The current segment of a customer, as the compacted topic keeps it. */
  record Segment(Integer id, Instant since, long modelVersion) { }

  private static Map<String, List<Change>> changesPerCustomer(String topic, SegmenterConfig config) {
    Map<String, List<Change>> out = new TreeMap<>();
    for (ConsumerRecord<String, SegmentChange> r : readRecords(topic, serde(SegmentChange.class, config))) {
      SegmentChange c = r.value();
      assertThat(r.key()).isEqualTo(c.getCustomerId());
      out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new Change(c.getSequence(), id(c.getPreviousSegment()),
          id(c.getNewSegment()), c.getReason().name(), c.getEventTime(), c.getModelVersion()));
    }
    return out;
  }

  private static Map<String, Segment> latestSegments(String topic, SegmenterConfig config) {
    Map<String, Segment> out = new TreeMap<>();
    for (ConsumerRecord<String, CustomerSegment> r : readRecords(topic, serde(CustomerSegment.class, config))) {
      CustomerSegment s = r.value();
      out.put(r.key(), new Segment(id(s.getSegment()), s.getSince(), s.getModelVersion()));
    }
    return out;
  }

  /** Per customer (one key, one partition, so offset order is emission order): 1, 2, 3, ... */
  private static void assertGapless(Map<String, List<Change>> changes, String run) {
    assertThat(changes).as("segment changes of the %s", run).isNotEmpty();
    changes.forEach((customer, list) -> assertThat(list.stream().map(Change::sequence).toList())
        .as("change sequence of %s in the %s", customer, run).isEqualTo(oneTo(list.size())));
  }

  private static List<Long> oneTo(int n) {
    List<Long> out = new ArrayList<>(n);
    for (long i = 1; i <= n; i++) out.add(i);
    return out;
  }

  private static Integer id(SegmentRef ref) {
    return ref == null ? null : ref.getId();
  }

  private static <V> List<V> readAll(String topic, Serde<V> serde) {
    return readRecords(topic, serde).stream().map(ConsumerRecord::value).toList();
  }

  private static <V> List<ConsumerRecord<String, V>> readRecords(String topic, Serde<V> serde) {
    try (TopicReader<V> reader = new TopicReader<>(kafka.bootstrapServers(), topic, serde.deserializer())) {
      return new ArrayList<>(reader.readToEnd(DEADLINE));
    }
  }

  /**
   * Records of a topic under an isolation level. read_uncommitted also returns the records of aborted
   * transactions, so the difference to read_committed is what the kills cut off.
   */
  private static long countAll(String topic, String isolation) throws Exception {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("isolation.level", isolation);
    config.put("enable.auto.commit", "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plus(DEADLINE);
      long count = 0;
      while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        assertThat(Instant.now()).as("read %s to its end", topic).isBefore(deadline);
        count += consumer.poll(Duration.ofMillis(100)).count();
      }
      return count;
    }
  }

  private static <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type, SegmenterConfig config) {
    SpecificAvroSerde<T> s = new SpecificAvroSerde<>(type, client);
    s.configure(config.serdeConfig(), false);
    return s;
  }
}
