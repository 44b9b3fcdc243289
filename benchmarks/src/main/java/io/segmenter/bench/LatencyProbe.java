package io.segmenter.bench;

import io.segmenter.events.ChangeReason;
import io.segmenter.events.SegmentChange;
import io.segmenter.serde.SpecificAvroSerde;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The reading side of {@link LatencyBenchmark}: a {@code read_committed} consumer of
 * {@code segment-changes} (Confluent-format Avro through the project's serde, as any downstream
 * reader would see it) that matches each EVENT change to the send of the event that caused it and
 * keeps the time in between.
 *
 * <p>The match is by customer id and event time: a change caused by an event carries that event's
 * {@code occurredAt} as its {@code eventTime}, and the load never sends two events of one customer
 * in the same millisecond. Every new customer of a level must have a change before the level is
 * done (their first processed event assigns them a segment); the others may or may not. Changes of other reasons (a new model version, inactivity) carry an
 * evaluation time instead and match nothing; they are counted apart.
 */
final class LatencyProbe implements AutoCloseable {
  /** What the probe knows of one sent event until its change arrives (or the level ends without one). */
  record Sent(long sendNanos, long sendWallMs, boolean firstOfCustomer, Level level) { }

  /** The figures of one load level; written by the probe's thread, read once it has drained. */
  static final class Level {
    final String name;
    /** The level's new customers whose first change has not come yet. */
    final Set<String> awaitingFirst = ConcurrentHashMap.newKeySet();
    private long[] nanos = new long[1 << 14];
    private long[] decidedMs = new long[1 << 14];
    private int count;
    /** New customers whose first change came (by whichever of their events the task processed first). */
    final AtomicLong firstChanges = new AtomicLong();
    final AtomicLong eventChanges = new AtomicLong();

    Level(String name) {
      this.name = name;
    }

    synchronized void add(long latencyNanos, long sendToDecisionMs) {
      if (count == nanos.length) {
        nanos = Arrays.copyOf(nanos, count * 2);
        decidedMs = Arrays.copyOf(decidedMs, count * 2);
      }
      nanos[count] = latencyNanos;
      decidedMs[count++] = sendToDecisionMs;
    }

    synchronized Percentiles latencies() {
      return Percentiles.of(Arrays.copyOf(nanos, count));
    }

    /** Send to the stream thread's decision (the change's processingTime), wall-clock milliseconds. */
    synchronized Percentiles toDecision() {
      long[] ns = new long[count];
      for (int i = 0; i < count; i++) ns[i] = decidedMs[i] * 1_000_000L;
      return Percentiles.of(ns);
    }
  }

  /** Sorted latencies: the percentiles and the maximum, in milliseconds. */
  record Percentiles(long[] sorted) {
    static Percentiles of(long[] nanos) {
      long[] s = nanos.clone();
      Arrays.sort(s);
      return new Percentiles(s);
    }

    int count() {
      return sorted.length;
    }

    /** The nearest-rank percentile q (0..1), in ms; NaN without samples. */
    double ms(double q) {
      if (sorted.length == 0) return Double.NaN;
      int rank = (int) Math.ceil(q * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    double maxMs() {
      return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    @Override
    public String toString() {
      return String.format("p50 %.0f ms, p99 %.0f ms, p999 %.0f ms, max %.0f ms (%,d changes)",
          ms(0.50), ms(0.99), ms(0.999), maxMs(), count());
    }
  }

  private final Map<String, Sent> pending = new ConcurrentHashMap<>();
  private final KafkaConsumer<String, SegmentChange> consumer;
  private final Thread thread;
  private final AtomicLong otherReasons = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running = true;

  private LatencyProbe(KafkaConsumer<String, SegmentChange> consumer) {
    this.consumer = consumer;
    this.thread = new Thread(this::loop, "latency-probe");
    this.thread.setDaemon(true);
  }

  /**
   * Starts reading {@code topic} from its current end: what was written before (the warm-up's
   * changes) is not measured.
   */
  static LatencyProbe start(String bootstrapServers, String topic, SpecificAvroSerde<SegmentChange> serde)
      throws Exception {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        // What the issue measures: readable by a consumer that sees only committed transactions.
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.CLIENT_ID_CONFIG, "latency-probe",
        // A bound on the instrument's own delay: the broker answers a waiting fetch as soon as a
        // commit makes records readable, and if it did not, this caps the error at 20 ms (default 500).
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    KafkaConsumer<String, SegmentChange> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), serde.deserializer());
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      for (TopicPartition tp : partitions) consumer.position(tp, Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    LatencyProbe probe = new LatencyProbe(consumer);
    probe.thread.start();
    return probe;
  }

  /** Called just before the event is handed to the producer. */
  void sending(String customerId, long eventTimeMs, Sent sent) {
    if (sent.firstOfCustomer()) sent.level().awaitingFirst.add(customerId);
    pending.put(key(customerId, eventTimeMs), sent);
  }

  /** Forgets the level's events whose change did not come (events that changed nothing); returns how many. */
  int forget(Level level) {
    int[] n = {0};
    pending.values().removeIf(s -> {
      boolean mine = s.level() == level;
      if (mine) n[0]++;
      return mine;
    });
    return n[0];
  }

  /** Changes read that no sent event explains (reasons MODEL, INACTIVITY, PREDICTIVE without a match). */
  long unmatched() {
    return otherReasons.get();
  }

  /** Waits until every new customer of {@code level} has had a change, or the deadline passes. */
  boolean awaitFirstChanges(Level level, Duration deadline) throws InterruptedException {
    long until = System.nanoTime() + deadline.toNanos();
    while (!level.awaitingFirst.isEmpty()) {
      checkHealthy();
      if (System.nanoTime() > until) return false;
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return true;
  }

  void checkHealthy() {
    Throwable t = failure.get();
    if (t != null) throw new IllegalStateException("the latency probe failed: " + t, t);
  }

  private void loop() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(100));
        // One clock reading per poll: the moment these records became readable to this consumer.
        long received = System.nanoTime();
        for (ConsumerRecord<String, SegmentChange> r : records) {
          SegmentChange c = r.value();
          Sent s = c.getReason() == ChangeReason.EVENT
              ? pending.remove(key(c.getCustomerId(), c.getEventTime().toEpochMilli())) : null;
          if (s == null) {
            otherReasons.incrementAndGet();
            continue;
          }
          s.level().add(received - s.sendNanos(), c.getProcessingTime().toEpochMilli() - s.sendWallMs());
          s.level().eventChanges.incrementAndGet();
          // Usually the first event's own change; but a new customer's order (orders topic) can be
          // processed before their first click (clicks topic) when the task picks by timestamp among
          // its partitions, and then the order's change is the first one.
          if (s.level().awaitingFirst.remove(c.getCustomerId())) s.level().firstChanges.incrementAndGet();
        }
      }
    } catch (WakeupException e) {
      if (running) failure.set(e);
    } catch (Throwable t) {
      failure.set(t);
    }
  }

  private static String key(String customerId, long eventTimeMs) {
    return customerId + '|' + eventTimeMs;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
