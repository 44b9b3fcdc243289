package io.segmenter.topology;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.ErasureRequest;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.events.SegmentChange;
import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.SchemaRegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * segmenter's real topology in Kafka's TopologyTestDriver, with the project's Avro serde talking
 * to a real (embedded, HTTP) schema registry. One task, so the model-deltas and model topics loop
 * back into the same driver exactly as they would through a broker.
 */
final class TopologyHarness implements AutoCloseable {
  /**
   * For a replay of history at the driver's pace: the event-time clock, and the future checks off
   * (the mock wall clock stays at its start while the events run months ahead of it).
   */
  static final Map<String, Object> HISTORY_REPLAY = Map.of(
      SegmenterConfig.CLOCK, SegmenterConfig.CLOCK_EVENT,
      SegmenterConfig.MAX_FUTURE_MS, Long.MAX_VALUE / 4,
      SegmenterConfig.CLOCK_MAX_AHEAD_MS, Long.MAX_VALUE / 4);

  final SegmenterConfig config;
  final TopologyTestDriver driver;
  final TestInputTopic<String, ClickEvent> clicks;
  final TestInputTopic<String, OrderEvent> orders;
  final TestInputTopic<String, ErasureRequest> erasures;
  /** The input topics as raw bytes, for records that are not what their topic promises. */
  final TestInputTopic<byte[], byte[]> rawClicks;
  final TestInputTopic<byte[], byte[]> rawOrders;
  final TestInputTopic<String, ModelDelta> deltasIn;
  final TestInputTopic<String, ModelVersion> modelIn;
  /** The internal topics as raw bytes, for records that are not what the topic promises. */
  final TestInputTopic<byte[], byte[]> rawDeltas;
  final TestInputTopic<String, byte[]> rawModels;
  final TestOutputTopic<String, SegmentChange> changes;
  final TestOutputTopic<String, CustomerSegment> segments;
  final TestOutputTopic<String, ModelVersion> models;
  final TestOutputTopic<String, ModelDelta> deltasOut;
  final TestOutputTopic<byte[], byte[]> dlq;
  final TestOutputTopic<String, SegmentCatalogEntry> catalog;
  /** What the topology shares with the instance's operations side: model holder, meters, populations. */
  final SegmenterRuntime runtime;

  TopologyHarness(SchemaRegistryClient registry, String registryUrl, Map<String, ?> overrides, Instant wallClockStart) {
    this(registry, registryUrl, overrides, wallClockStart, SegmenterRuntime.standalone());
  }

  TopologyHarness(SchemaRegistryClient registry, String registryUrl, Map<String, ?> overrides, Instant wallClockStart,
      SegmenterRuntime runtime) {
    this.runtime = runtime;
    Map<String, Object> props = new HashMap<>();
    props.put(SegmenterConfig.SCHEMA_REGISTRY_URL, registryUrl);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try {
      Path stateDir = Files.createTempDirectory("ttd-state-");
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    // Versions computed on the stream thread: a test steps the driver and expects each step's outputs
    // at once. The aggregator's own thread has its tests (BackgroundVersionsTest) and runs on the broker.
    props.put(SegmenterConfig.MODEL_BACKGROUND, false);
    props.putAll(overrides);
    config = new SegmenterConfig(props);
    Properties streams = SegmenterTopology.streamsProperties(config, runtime);
    driver = new TopologyTestDriver(SegmenterTopology.build(config, registry, runtime), streams, wallClockStart);
    Map<String, Object> serdeConfig = config.serdeConfig();
    clicks = driver.createInputTopic(topic(SegmenterConfig.TOPIC_CLICKS), Serdes.String().serializer(),
        serde(ClickEvent.class, registry, serdeConfig).serializer());
    orders = driver.createInputTopic(topic(SegmenterConfig.TOPIC_ORDERS), Serdes.String().serializer(),
        serde(OrderEvent.class, registry, serdeConfig).serializer());
    erasures = driver.createInputTopic(topic(SegmenterConfig.TOPIC_ERASURES), Serdes.String().serializer(),
        serde(ErasureRequest.class, registry, serdeConfig).serializer());
    rawClicks = driver.createInputTopic(topic(SegmenterConfig.TOPIC_CLICKS), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer());
    rawOrders = driver.createInputTopic(topic(SegmenterConfig.TOPIC_ORDERS), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer());
    deltasIn = driver.createInputTopic(topic(SegmenterConfig.TOPIC_MODEL_DELTAS), Serdes.String().serializer(),
        InternalSerdes.modelDeltas().serializer());
    modelIn = driver.createInputTopic(topic(SegmenterConfig.TOPIC_MODEL), Serdes.String().serializer(),
        InternalSerdes.modelVersions().serializer());
    rawDeltas = driver.createInputTopic(topic(SegmenterConfig.TOPIC_MODEL_DELTAS), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer());
    rawModels = driver.createInputTopic(topic(SegmenterConfig.TOPIC_MODEL), Serdes.String().serializer(),
        Serdes.ByteArray().serializer());
    changes = driver.createOutputTopic(topic(SegmenterConfig.TOPIC_SEGMENT_CHANGES), Serdes.String().deserializer(),
        serde(SegmentChange.class, registry, serdeConfig).deserializer());
    segments = driver.createOutputTopic(topic(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS), Serdes.String().deserializer(),
        serde(CustomerSegment.class, registry, serdeConfig).deserializer());
    models = driver.createOutputTopic(topic(SegmenterConfig.TOPIC_MODEL), Serdes.String().deserializer(),
        InternalSerdes.modelVersions().deserializer());
    deltasOut = driver.createOutputTopic(topic(SegmenterConfig.TOPIC_MODEL_DELTAS), Serdes.String().deserializer(),
        InternalSerdes.modelDeltas().deserializer());
    catalog = driver.createOutputTopic(topic(SegmenterConfig.TOPIC_SEGMENT_CATALOG), Serdes.String().deserializer(),
        serde(SegmentCatalogEntry.class, registry, serdeConfig).deserializer());
    dlq = driver.createOutputTopic(topic(SegmenterConfig.TOPIC_DLQ), Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer());
  }

  String topic(String key) {
    return config.getString(key);
  }

  /** Pipes an event with its occurredAt as the Kafka record timestamp. */
  void pipe(SpecificRecord event) {
    pipe(event, null);
  }

  /** Pipes an event with the given Kafka record timestamp (null: the event's occurredAt). */
  void pipe(SpecificRecord event, Instant recordTime) {
    if (event instanceof ClickEvent c) {
      clicks.pipeInput(new TestRecord<>(c.getCustomerId(), c, recordTime != null ? recordTime : c.getOccurredAt()));
    } else if (event instanceof OrderEvent o) {
      orders.pipeInput(new TestRecord<>(o.getCustomerId(), o, recordTime != null ? recordTime : o.getOccurredAt()));
    } else {
      throw new IllegalArgumentException("not an input event: " + event.getSchema().getFullName());
    }
  }

  /** Pipes an erasure request for the customer, requested at {@code at}. */
  void erase(String customerId, Instant at) {
    erasures.pipeInput(new TestRecord<>(customerId, new ErasureRequest("req-" + customerId, customerId, at), at));
  }

  void publishModel(ModelVersion v) {
    modelIn.pipeInput(SegmenterTopology.MODEL_KEY, v, v.getCreatedAt());
  }

  CustomerProfile profile(String customerId) {
    byte[] b = driver.<String, byte[]>getKeyValueStore(SegmenterTopology.PROFILES_STORE).get(customerId);
    return b == null ? null : ProfileCodec.decode(b);
  }

  List<SegmentChange> drainChanges() {
    return changes.readValuesToList();
  }

  /**
   * Reads and drops the high-volume outputs of a long replay (changes, current segments, deltas): the
   * driver keeps each record until read. Model versions and the catalog stay for the test to read.
   */
  void discardOutputs() {
    changes.readRecordsToList();
    segments.readRecordsToList();
    deltasOut.readRecordsToList();
  }

  /** {@link #HISTORY_REPLAY} with the given settings added. */
  static Map<String, Object> historyReplay(Map<String, ?> settings) {
    Map<String, Object> out = new HashMap<>(HISTORY_REPLAY);
    out.putAll(settings);
    return out;
  }

  private static <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type, SchemaRegistryClient registry,
      Map<String, Object> serdeConfig) {
    SpecificAvroSerde<T> s = new SpecificAvroSerde<>(type, registry);
    s.configure(serdeConfig, false);
    return s;
  }

  @Override
  public void close() {
    driver.close();
  }
}
