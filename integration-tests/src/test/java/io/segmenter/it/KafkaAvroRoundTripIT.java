package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ClickEvent;
import io.segmenter.serde.AvroSerdeException;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The serde in real Kafka clients against a real broker (in-JVM KRaft) and the embedded registry
 * over HTTP: what a transactional producer writes, a read_committed consumer reads back, in the
 * Confluent wire format.
 */
@Timeout(120)
class KafkaAvroRoundTripIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;
  private static SchemaRegistryClient client;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    registry = EmbeddedSchemaRegistry.start();
    client = CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void transactionalProducerAndReadCommittedConsumerRoundTripClickEvents() throws Exception {
    String topic = "clicks-roundtrip";
    kafka.createTopic(topic, 2);
    List<ClickEvent> sent = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      sent.add(Fixtures.click("customer-" + (i % 37), i));
    }

    Map<String, Object> producerConfig = new HashMap<>(kafka.clientConfig());
    producerConfig.put("transactional.id", "roundtrip-tx");
    producerConfig.put("schema.registry.url", registry.url());
    try (SpecificAvroSerde<ClickEvent> serde = new SpecificAvroSerde<>(ClickEvent.class, client)) {
      serde.configure(producerConfig, false);
      try (KafkaProducer<String, ClickEvent> producer =
               new KafkaProducer<>(producerConfig, new StringSerializer(), serde.serializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        for (ClickEvent event : sent) {
          producer.send(new ProducerRecord<>(topic, event.getCustomerId(), event));
        }
        producer.commitTransaction();
      }

      List<ConsumerRecord<String, ClickEvent>> received =
          consume(topic, serde.deserializer(), records -> records.size() >= sent.size());
      assertThat(received).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(received).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getCustomerId()));
    }

    int id = client.getLatestVersion(topic + "-value").id();
    List<ConsumerRecord<String, byte[]>> raw =
        consume(topic, new ByteArrayDeserializer(), records -> records.size() >= sent.size());
    assertThat(raw).allSatisfy(r -> {
      assertThat(r.value()[0]).as("magic byte").isZero();
      assertThat(ByteBuffer.wrap(r.value(), 1, 4).getInt()).as("schema id").isEqualTo(id);
    });
  }

  @Test
  void aConsumerMeetingBadBytesGetsTheTypedReason() throws Exception {
    String topic = "clicks-bad-bytes";
    kafka.createTopic(topic, 1);
    try (KafkaProducer<String, byte[]> producer =
             new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "c-1", new byte[] {7, 0, 0, 0, 1, 2, 3})).get();
    }

    try (SpecificAvroSerde<ClickEvent> serde = new SpecificAvroSerde<>(ClickEvent.class, client)) {
      serde.configure(Map.of("schema.registry.url", registry.url()), false);
      assertThatThrownBy(() -> consume(topic, serde.deserializer(), records -> !records.isEmpty()))
          .isInstanceOfSatisfying(RecordDeserializationException.class, e -> {
            assertThat(e.topicPartition().topic()).isEqualTo(topic);
            assertThat(e.offset()).isZero();
            assertThat(e.getCause()).isInstanceOfSatisfying(AvroSerdeException.class,
                cause -> assertThat(cause.reason()).isEqualTo(AvroSerdeException.Reason.BAD_MAGIC_BYTE));
          });
    }
  }

  private static <V> List<ConsumerRecord<String, V>> consume(
      String topic, Deserializer<V> valueDeserializer, Predicate<List<ConsumerRecord<String, V>>> done) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("group.id", "reader-" + topic + "-" + System.nanoTime());
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    List<ConsumerRecord<String, V>> received = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), valueDeserializer)) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plus(DEADLINE);
      while (!done.test(received)) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("only " + received.size() + " records from " + topic + " within " + DEADLINE);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    return received;
  }
}
