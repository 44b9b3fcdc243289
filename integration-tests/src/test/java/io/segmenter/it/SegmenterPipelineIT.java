package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.SegmentChange;
import io.segmenter.events.SegmentRef;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.internal.ModelVersion;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.topology.InternalSerdes;
import io.segmenter.topology.SegmenterRuntime;
import io.segmenter.topology.SegmenterTopology;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.service.TopicSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole pipeline on real parts: synthetic customers produced to a real broker (in-JVM KRaft),
 * the real topology in KafkaStreams with two stream threads and exactly-once, and the project's
 * serde against the embedded registry over HTTP. Checks what a downstream consumer relies on: every
 * customer ends up in a segment, change sequences have no gaps or repeats (no duplicate emission
 * under exactly-once), every change names a model version that really was published, and no valid
 * input went to the dead-letter topic.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SegmenterPipelineIT {
  private static final int CUSTOMERS = 400;
  private static final int DAYS = 30;
  private static final int INPUT_PARTITIONS = 4;
  private static final Duration ASSIGNMENT_DEADLINE = Duration.ofMinutes(3);
  private static final Duration READ_DEADLINE = Duration.ofSeconds(30);

  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;
  private static SchemaRegistryClient client;
  private static Path stateDir;

  @BeforeAll
  static void start() throws Exception {
    // Failsafe points java.io.tmpdir at the build directory: RocksDB stays out of /tmp.
    // Read the property rather than rely on Files.createTempDirectory(prefix): the JDK caches the temp
    // directory when first used, which can be before Failsafe sets the property.
    stateDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pipeline-state-");
    kafka = EmbeddedKafka.start();
    registry = EmbeddedSchemaRegistry.start();
    client = CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) client.close();
    if (registry != null) registry.close();
    if (kafka != null) kafka.close();
    if (stateDir != null) deleteTree(stateDir);
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  @Test
  void everyCustomerGetsASegmentExactlyOnceAndInOrder() throws Exception {
    SegmenterConfig config = new SegmenterConfig(settings());
    Properties streamsProps = SegmenterTopology.streamsProperties(config, SegmenterRuntime.standalone());
    // The exactly-once claim below rests on the default, not on this test setting it.
    assertThat(streamsProps.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    createTopics(config);

    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(CUSTOMERS).withSpan(Duration.ofDays(DAYS)).withSeed(7L).withDuplicateRate(0.02));
    long events = produce(config, generator);
    Set<String> customers = generator.groundTruth().keySet();

    Topology topology = io.segmenter.topology.SegmenterTopology.build(config, client);
    long started = System.nanoTime();
    KafkaStreams streams = new KafkaStreams(topology, streamsProps);
    try (TopicReader<SegmentChange> changes = new TopicReader<>(kafka.bootstrapServers(),
        config.getString(SegmenterConfig.TOPIC_SEGMENT_CHANGES), serde(SegmentChange.class, config).deserializer())) {
      CountDownLatch running = new CountDownLatch(1);
      streams.setStateListener((now, before) -> {
        if (now == KafkaStreams.State.RUNNING) running.countDown();
      });
      streams.start();
      awaitRunning(streams, running);

      List<ConsumerRecord<String, SegmentChange>> received =
          awaitEveryCustomerAssigned(changes, customers, streams, generator.groundTruth(),
              config.getString(SegmenterConfig.TOPIC_DLQ));
      double seconds = (System.nanoTime() - started) / 1e9;
      assertTaskLayout(streams, topology, config);

      // Read again to the end: changes committed since the wait ended must satisfy the rules too.
      received = changes.readToEnd(READ_DEADLINE);
      // Models after changes: a change can only name a version that was committed before it (the
      // segmenting tasks see committed versions only), so this read covers every version named above.
      List<ModelVersion> models = readAll(config.getString(SegmenterConfig.TOPIC_MODEL),
          InternalSerdes.modelVersions().deserializer());
      assertThat(models).as("model versions").isNotEmpty();
      assertStrictlyIncreasing(models);
      Set<Long> published = models.stream().map(ModelVersion::getVersion).collect(Collectors.toSet());
      assertThat(received).allSatisfy(r -> {
        SegmentChange c = r.value();
        assertThat(r.key()).isEqualTo(c.getCustomerId());
        assertThat(published).as("model version of %s", c).contains(c.getModelVersion());
        if (c.getReason() == ChangeReason.PREDICTIVE) {
          // Only the predictive segment changed: the K-means one stays, the predictive one moves.
          assertThat(segmentId(c.getPreviousSegment())).as("K-means segment of %s", c).isEqualTo(segmentId(c.getNewSegment()));
          assertThat(c.getPredictiveScores()).as("scores of %s", c).isNotNull();
          assertThat(c.getPreviousPredictiveSegment()).as("previous vs new predictive segment of %s", c)
              .isNotEqualTo(c.getPredictiveScores().getSegment());
        } else {
          assertThat(segmentId(c.getPreviousSegment())).as("previous vs new of %s", c)
              .isNotEqualTo(segmentId(c.getNewSegment()));
        }
      });
      assertGaplessSequences(received);
      List<byte[]> dead = readAll(config.getString(SegmenterConfig.TOPIC_DLQ), new ByteArrayDeserializer());
      assertThat(dead).as("dead-letter records").isEmpty();

      System.out.printf("SegmenterPipelineIT: %d customers, %d events, %d segment changes, %d model versions "
              + "(last %d), all customers assigned after %.1f s%n",
          customers.size(), events, received.size(), models.size(),
          models.get(models.size() - 1).getVersion(), seconds);
    } finally {
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
    }
  }

  private static Map<String, Object> settings() {
    Map<String, Object> p = new HashMap<>();
    p.put(SegmenterConfig.SCHEMA_REGISTRY_URL, registry.url());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-pipeline-it");
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(SegmenterConfig.TOPICS_PARTITIONS, INPUT_PARTITIONS);
    // Short commits make results visible to read_committed readers quickly.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    // A small model early, so that the test is about the pipeline, not about waiting for data.
    p.put(SegmenterConfig.MODEL_WARMUP_POINTS, 200);
    p.put(SegmenterConfig.MODEL_MIN_BATCH_POINTS, 500L);
    p.put(SegmenterConfig.MODEL_DELTA_POINTS, 100);
    p.put(SegmenterConfig.MODEL_DELTA_INTERVAL_MS, 500L);
    p.put(SegmenterConfig.INACTIVITY_PUNCTUATE_MS, 1_000L);
    return p;
  }

  private static void createTopics(SegmenterConfig config) throws Exception {
    TopicSetup.createMissing(config, kafka.clientConfig());
  }

  /**
   * Produces every generated event keyed by customer id, as {@code generate} does. The record
   * timestamp is left to the producer (now): the events are dated months ago, and an event-time stamp
   * would make the broker's 7-day time-based retention delete the input at its first check. The
   * topology reads event time from the payload ({@code occurredAt}).
   */
  private static long produce(SegmenterConfig config, SyntheticGenerator generator) {
    try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
      return sender.sendAll(generator);
    }
  }

  /** Waits for RUNNING, failing fast if the application dies on the way. */
  private static void awaitRunning(KafkaStreams streams, CountDownLatch running) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!running.await(100, TimeUnit.MILLISECONDS)) {
      assertThat(streams.state()).as("Kafka Streams state").isNotIn(KafkaStreams.State.ERROR,
          KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING);
      assertThat(Instant.now()).as("RUNNING within 60 s").isBefore(deadline);
    }
  }

  private static List<ConsumerRecord<String, SegmentChange>> awaitEveryCustomerAssigned(
      TopicReader<SegmentChange> changes, Set<String> customers, KafkaStreams streams,
      Map<String, io.segmenter.generator.Persona> truth, String dlqTopic) {
    Instant deadline = Instant.now().plus(ASSIGNMENT_DEADLINE);
    Set<String> assigned = new HashSet<>();
    int seen = 0;
    while (true) {
      List<ConsumerRecord<String, SegmentChange>> all = changes.poll(Duration.ofMillis(200));
      for (; seen < all.size(); seen++) {
        SegmentChange c = all.get(seen).value();
        if (c.getNewSegment() != null) assigned.add(c.getCustomerId());
      }
      if (assigned.containsAll(customers)) return all;
      if (Instant.now().isAfter(deadline)) {
        Set<String> missing = new HashSet<>(customers);
        missing.removeAll(assigned);
        throw new AssertionError(missing.size() + " of " + customers.size() + " customers have no segment after "
            + ASSIGNMENT_DEADLINE + " (" + all.size() + " changes), e.g. "
            + missing.stream().sorted().limit(10).toList() + "\n"
            + PipelineDiagnosis.describe(streams, missing, truth)
            + PipelineDiagnosis.deadLetters(kafka.bootstrapServers(), dlqTopic));
      }
    }
  }

  /** 4 tasks read clicks+orders, exactly 1 reads model-deltas: the aggregator is a singleton. */
  private static void assertTaskLayout(KafkaStreams streams, Topology topology, SegmenterConfig config) {
    int segmenting = subtopologyReading(topology, config.getString(SegmenterConfig.TOPIC_CLICKS));
    int aggregating = subtopologyReading(topology, config.getString(SegmenterConfig.TOPIC_MODEL_DELTAS));
    Map<Integer, Long> tasksPerSubtopology = streams.metadataForLocalThreads().stream()
        .flatMap(t -> t.activeTasks().stream())
        .map(TaskMetadata::taskId)
        .collect(Collectors.groupingBy(id -> id.subtopology(), TreeMap::new, Collectors.counting()));
    assertThat(tasksPerSubtopology).as("active tasks per sub-topology")
        .containsEntry(segmenting, (long) INPUT_PARTITIONS)
        .containsEntry(aggregating, 1L)
        .hasSize(2);
  }

  private static int subtopologyReading(Topology topology, String topic) {
    for (TopologyDescription.Subtopology s : topology.describe().subtopologies()) {
      for (TopologyDescription.Node n : s.nodes()) {
        if (n instanceof TopologyDescription.Source src && src.topicSet() != null && src.topicSet().contains(topic)) {
          return s.id();
        }
      }
    }
    throw new AssertionError("no sub-topology reads " + topic + ": " + topology.describe());
  }

  private static void assertStrictlyIncreasing(List<ModelVersion> models) {
    for (int i = 1; i < models.size(); i++) {
      assertThat(models.get(i).getVersion()).as("model version at position %d", i)
          .isGreaterThan(models.get(i - 1).getVersion());
    }
  }

  /** Per customer, in offset order (one key, one partition): 1, 2, 3, ... */
  private static void assertGaplessSequences(List<ConsumerRecord<String, SegmentChange>> received) {
    Map<String, List<Long>> sequences = new HashMap<>();
    for (ConsumerRecord<String, SegmentChange> r : received) {
      sequences.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().getSequence());
    }
    sequences.forEach((customer, seq) -> {
      List<Long> expected = new ArrayList<>();
      for (long i = 1; i <= seq.size(); i++) expected.add(i);
      assertThat(seq).as("change sequence of %s", customer).isEqualTo(expected);
    });
  }

  private static <V> List<V> readAll(String topic, org.apache.kafka.common.serialization.Deserializer<V> deserializer) {
    try (TopicReader<V> reader = new TopicReader<>(kafka.bootstrapServers(), topic, deserializer)) {
      return reader.readToEnd(READ_DEADLINE).stream().map(ConsumerRecord::value).toList();
    }
  }

  private static Integer segmentId(SegmentRef ref) {
    return ref == null ? null : ref.getId();
  }

  private static <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type, SegmenterConfig config) {
    SpecificAvroSerde<T> s = new SpecificAvroSerde<>(type, client);
    s.configure(config.serdeConfig(), false);
    return s;
  }
}
