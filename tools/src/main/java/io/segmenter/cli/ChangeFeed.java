package io.segmenter.cli;

import io.segmenter.events.PredictiveScores;
import io.segmenter.events.SegmentChange;
import io.segmenter.events.SegmentRef;
import io.segmenter.serde.SpecificAvroSerde;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the segment-changes topic from the beginning, as any downstream consumer would (committed
 * records only, no consumer group), and keeps what the demo shows: the newest changes, how many
 * there were, and each customer's current segment (from which it counts the customers per segment).
 */
final class ChangeFeed implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<String, SegmentChange> consumer;
  private final SpecificAvroSerde<SegmentChange> serde;
  private final String topic;
  private final int keep;
  private final Thread thread;
  private final ArrayDeque<SegmentChange> last = new ArrayDeque<>();
  private long total;
  private volatile boolean closed;
  private volatile Exception failure;

  ChangeFeed(String bootstrapServers, Map<String, Object> serdeConfig, Map<String, Object> consumerSettings, String topic,
      int keep) {
    this.topic = topic;
    this.keep = keep;
    this.serde = new SpecificAvroSerde<>(SegmentChange.class);
    serde.configure(serdeConfig, false);
    Map<String, Object> config = new HashMap<>(consumerSettings);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "segmenter-demo-changes");
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), serde.deserializer());
    this.thread = new Thread(this::run, "demo-segment-changes");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      while (partitions.isEmpty() && !closed) {
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
          partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        if (partitions.isEmpty()) consumer.poll(POLL); // not there yet: wait a little (wakeup() ends it)
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!closed) {
        for (ConsumerRecord<String, SegmentChange> r : consumer.poll(POLL)) add(r.value());
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } catch (Exception e) {
      if (!closed) failure = e;
    }
  }

  private synchronized void add(SegmentChange c) {
    if (c == null) return;
    total++;
    last.addLast(c);
    while (last.size() > keep) last.removeFirst();
  }

  synchronized long total() {
    return total;
  }

  /** The newest changes, newest last. */
  synchronized List<DemoSnapshot.ChangeRow> last() {
    List<DemoSnapshot.ChangeRow> rows = new ArrayList<>(last.size());
    for (SegmentChange c : last) rows.add(row(c));
    return rows;
  }

  /** What the view shows of a change: both segments, and the predictive segment before and after. */
  static DemoSnapshot.ChangeRow row(SegmentChange c) {
    PredictiveScores scores = c.getPredictiveScores();
    return new DemoSnapshot.ChangeRow(c.getProcessingTime(), c.getCustomerId(), name(c.getPreviousSegment()),
        name(c.getNewSegment()), c.getReason().toString(), label(c.getPreviousPredictiveSegment()),
        label(scores == null ? null : scores.getSegment()));
  }

  /** The readable label ("High churn risk"), or the symbol for one this release does not know. */
  private static String label(io.segmenter.events.PredictiveSegment s) {
    if (s == null) return null;
    try {
      return io.segmenter.clv.PredictiveSegment.valueOf(s.name()).label();
    } catch (IllegalArgumentException e) {
      return s.name();
    }
  }

  /** Why reading stopped, or null while it runs. */
  Exception failure() {
    return failure;
  }

  private static String name(SegmentRef ref) {
    return ref == null ? null : ref.getName();
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(Duration.ofSeconds(10).toMillis());
    if (!thread.isAlive()) consumer.close(Duration.ofSeconds(5));
    serde.close();
  }
}
