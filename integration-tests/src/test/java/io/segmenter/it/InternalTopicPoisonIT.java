package io.segmenter.it;

import static io.segmenter.it.Deployment.await;
import static io.segmenter.it.Deployment.count;
import static io.segmenter.it.Deployment.get;
import static io.segmenter.it.Deployment.modelVersion;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.internal.ModelVersion;
import io.segmenter.service.SegmenterService;
import io.segmenter.testing.EmbeddedRegistryFixture;
import io.segmenter.topology.InternalSerdes;
import io.segmenter.topology.SegmenterMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No record on an internal topic can stop segmenter, on the in-JVM broker with the real service:
 * 8 bytes of junk, or a model version with NaN centres, written to the model topic by a stray
 * producer (as an operator could); junk on the model-deltas topic; and the schema registry replaced
 * by an empty one while the service runs. Each time the service stays ready, keeps the last good
 * model, counts what it rejected, and starts again ready after a restart from an empty state
 * directory (which makes it read the whole model topic again, junk included).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InternalTopicPoisonIT {
  @RegisterExtension
  static final SharedKafka KAFKA = new SharedKafka();
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final java.time.Instant START = java.time.Instant.parse("2026-01-01T00:00:00Z");
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  /**
   * A deployment the test closes and starts again under the same application id. Closing does not
   * leave the consumer group, so the new member's join waits until the old one's session expires
   * (45 s by default): the broker's minimum, 6 s, keeps that wait out of the test.
   */
  private static Deployment restartable(String registryUrl, String prefix) {
    Deployment d = new Deployment(KAFKA, registryUrl, SharedKafka.uniqueName(prefix));
    d.settings.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000);
    d.settings.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
    return d;
  }

  /** Starts the deployment, feeds it synthetic customers and waits for a model version. */
  private static SegmenterService withModel(Deployment d, long seed) throws Exception {
    SegmenterService service = d.start();
    feed(d.config(), seed, 80, 0);
    await("a first model version", DEADLINE, () -> modelVersion(service) >= 1);
    return service;
  }

  /**
   * Synthetic customers' events over 20 days, period {@code period} (0: from 2026-01-01): a later
   * period carries event time on, so the same customers contribute new training points (at most one
   * per customer and day of event time).
   */
  private static void feed(SegmenterConfig config, long seed, int customers, int period) {
    try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
      sender.sendAll(SyntheticGenerator.create(GeneratorConfig.defaults().withCustomers(customers)
          .withStart(START.plus(Duration.ofDays(20L * period))).withSpan(Duration.ofDays(20)).withSeed(seed)));
    }
  }

  private static void produceRaw(String topic, String key, byte[] value) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KAFKA.clientConfig(), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
    }
  }

  private static double rejected(SegmenterService s, String topic, String reason) {
    return count(s, SegmenterMetrics.INTERNAL_REJECTED, "topic", topic, "reason", reason);
  }

  private static void assertReady(SegmenterService s) throws Exception {
    assertThat(s.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    assertThat(get(s, "/health/ready").statusCode()).isEqualTo(200);
    assertThat(get(s, "/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void junkAndNanCentresOnTheModelTopicAreSkippedCountedAndSurviveARestart() throws Exception {
    Deployment d = restartable(REGISTRY.registry().url(), "poison-model");
    String modelTopic = d.topic(SegmenterConfig.TOPIC_MODEL);
    long good;
    try (SegmenterService service = withModel(d, 21)) {
      produceRaw(modelTopic, "model", new byte[] {0, 0, 0, 0, 42, 1, 2, 3});
      await("the junk record counted", DEADLINE, () -> rejected(service, "model", "UNKNOWN_FORMAT") == 1);
      // A version newer than any, with a NaN in one centre: it must not be used.
      good = modelVersion(service);
      ModelVersion nan = newest(modelTopic);
      nan.setVersion(good + 1000);
      nan.getCentres().get(0).getVector().set(0, Double.NaN);
      produceRaw(modelTopic, "model", InternalSerdes.modelVersions().serializer().serialize(modelTopic, nan));
      await("the NaN version counted", DEADLINE, () -> rejected(service, "model", "NOT_FINITE") == 1);
      assertReady(service);
      assertThat(modelVersion(service)).as("the last good version stays in force").isBetween(good, good + 999);
      good = modelVersion(service);
      service.close();
    }

    d.newStateDirectory();
    try (SegmenterService restarted = d.start()) {
      assertReady(restarted);
      assertThat(modelVersion(restarted)).as("the last good version, restored from the topic").isGreaterThanOrEqualTo(good)
          .isLessThan(good + 1000);
      assertThat(rejected(restarted, "model", "UNKNOWN_FORMAT")).as("junk counted again while restoring").isEqualTo(1);
      assertThat(rejected(restarted, "model", "NOT_FINITE")).isEqualTo(1);
      // It still segments: a new customer gets a segment from the good model.
      feed(d.config(), 22, 10, 1);
      await("new customers assigned after the restart", DEADLINE,
          () -> count(restarted, SegmenterMetrics.SEGMENT_CHANGES) > 0);
      assertReady(restarted);
    }
  }

  @Test
  void junkOnTheModelDeltasTopicIsDeadLetteredCountedAndTheModelGoesOnLearning() throws Exception {
    Deployment d = new Deployment(KAFKA, REGISTRY.registry().url(), SharedKafka.uniqueName("poison-deltas"));
    try (SegmenterService service = withModel(d, 23)) {
      long before = modelVersion(service);
      produceRaw(d.topic(SegmenterConfig.TOPIC_MODEL_DELTAS), "0_0", "junk".getBytes(StandardCharsets.UTF_8));
      await("the junk delta counted", DEADLINE, () -> rejected(service, "model-deltas", "UNKNOWN_FORMAT") == 1);
      try (TopicReader<byte[]> dlq = new TopicReader<>(KAFKA.bootstrapServers(), d.topic(SegmenterConfig.TOPIC_DLQ),
          new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
        // Committed with the aggregator's next transaction (read_committed); the reader accumulates.
        await("the junk delta in the dead-letter topic", DEADLINE, () -> !dlq.readToEnd(DEADLINE).isEmpty());
        List<ConsumerRecord<String, byte[]>> dead = dlq.readToEnd(DEADLINE);
        assertThat(dead).singleElement().satisfies(r -> {
          assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("junk");
          assertThat(new String(r.headers().lastHeader("segmenter.dlq.reason").value(), StandardCharsets.UTF_8))
              .isEqualTo("UNKNOWN_FORMAT");
          assertThat(new String(r.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8))
              .isEqualTo(d.topic(SegmenterConfig.TOPIC_MODEL_DELTAS));
        });
      }
      feed(d.config(), 24, 80, 1);
      await("a newer model version after the junk", DEADLINE, () -> modelVersion(service) > before);
      assertReady(service);
    }
  }

  @Test
  void aRegistryReplacedByAnEmptyOneLosesNoStateAndTheServiceRestartsReady() throws Exception {
    EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start();
    int port = first.port();
    Deployment d = restartable(first.url(), "registry-swap");
    registerInputSchemas(first.url(), d.config());
    EmbeddedSchemaRegistry second = null;
    try {
      long good;
      try (SegmenterService service = withModel(d, 25)) {
        first.close();
        second = EmbeddedSchemaRegistry.builder().host("127.0.0.1").port(port).start();
        // The producers register their schemas again, in the new registry: the same ids as before
        // (registered in the same order), so that the running instance's cached schemas still fit.
        registerInputSchemas(second.url(), d.config());
        feed(d.config(), 26, 80, 1);
        long before = modelVersion(service);
        await("the model learns on after the swap", DEADLINE, () -> modelVersion(service) > before);
        assertReady(service);
        good = modelVersion(service);
      }
      d.newStateDirectory();
      try (SegmenterService restarted = d.start()) {
        assertReady(restarted);
        assertThat(modelVersion(restarted)).as("the model, restored without the old registry").isGreaterThanOrEqualTo(good);
        assertThat(count(restarted, SegmenterMetrics.INTERNAL_REJECTED)).isZero();
        assertThat(get(restarted, "/customers/cust-000001").statusCode()).as("a customer of before the swap")
            .isEqualTo(200);
        feed(d.config(), 27, 20, 2);
        await("new events processed after the restart", DEADLINE,
            () -> count(restarted, SegmenterMetrics.EVENTS_IN, "outcome", "processed") > 0);
        assertThat(count(restarted, SegmenterMetrics.EVENTS_INVALID)).isZero();
      }
    } finally {
      if (second != null) second.close();
    }
  }

  private static void registerInputSchemas(String url, SegmenterConfig config) {
    try (var client = io.segmenter.serde.registry.CachedSchemaRegistryClient.fromProperties(
        Map.of("schema.registry.url", url))) {
      client.register(config.getString(SegmenterConfig.TOPIC_CLICKS) + "-value", ClickEvent.getClassSchema());
      client.register(config.getString(SegmenterConfig.TOPIC_ORDERS) + "-value", OrderEvent.getClassSchema());
    }
  }

  /** The newest model version on the topic that decodes (the topic may hold junk a test wrote). */
  private static ModelVersion newest(String topic) {
    try (TopicReader<byte[]> reader = new TopicReader<>(KAFKA.bootstrapServers(), topic,
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      ModelVersion newest = null;
      for (ConsumerRecord<String, byte[]> r : reader.readToEnd(DEADLINE)) {
        try {
          newest = InternalSerdes.modelVersions().deserializer().deserialize(topic, r.value());
        } catch (org.apache.kafka.common.errors.SerializationException junk) {
          // skipped, as the service skips it
        }
      }
      assertThat(newest).as("a model version on %s", topic).isNotNull();
      return newest;
    }
  }
}
