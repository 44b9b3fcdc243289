package io.segmenter.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A read_committed consumer over every partition of one topic, without a consumer group: the tests
 * must see only what the application committed, and must not leave offsets behind that could be
 * mistaken for the application's own.
 */
final class TopicReader<V> implements AutoCloseable {
  private final KafkaConsumer<String, V> consumer;
  private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

  TopicReader(String bootstrapServers, String topic, Deserializer<V> valueDeserializer) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", "false");
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), valueDeserializer);
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls once and returns everything read so far, in offset order within each partition. */
  /** The keys of every record in the topics, each read to its end (the customer ids of input topics). */
  static Set<String> keys(String bootstrapServers, Duration deadline, String... topics) {
    Set<String> keys = new HashSet<>();
    for (String topic : topics) {
      try (TopicReader<byte[]> reader = new TopicReader<>(bootstrapServers, topic, new ByteArrayDeserializer())) {
        reader.readToEnd(deadline).forEach(r -> keys.add(r.key()));
      }
    }
    return keys;
  }

  List<ConsumerRecord<String, V>> poll(Duration timeout) {
    consumer.poll(timeout).forEach(records::add);
    return records;
  }

  /**
   * Reads up to the current end of every partition. With read_committed the end offsets are the
   * last stable offsets, so "position reached the end" means everything committed so far was read.
   */
  List<ConsumerRecord<String, V>> readToEnd(Duration deadline) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    Instant until = Instant.now().plus(deadline);
    while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      if (Instant.now().isAfter(until)) {
        throw new AssertionError("did not reach the end offsets " + ends + " within " + deadline);
      }
      poll(Duration.ofMillis(100));
    }
    return records;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
