package io.segmenter.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The end offsets of the input partitions, and a wait until an application's committed offsets
 * reach them: under exactly-once a committed offset means the records before it were processed and
 * their results committed, which is the point where a run is done.
 */
final class InputProgress {
  private final Map<TopicPartition, Long> ends;

  private InputProgress(Map<TopicPartition, Long> ends) {
    this.ends = ends;
  }

  static InputProgress of(Admin admin, List<String> topics) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) ->
        d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
    return new InputProgress(ends);
  }

  /** Offsets in all the partitions (records, for a topic written without transactions). */
  long total() {
    return ends.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Per partition "committed/end", to show which tasks are behind. */
  private String lag(Map<TopicPartition, OffsetAndMetadata> committed) {
    Map<String, String> out = new java.util.TreeMap<>();
    ends.forEach((tp, end) -> out.put(tp.toString(),
        (committed.get(tp) == null ? "none" : String.valueOf(committed.get(tp).offset())) + "/" + end));
    return out.toString();
  }

  /** Offsets committed in the input partitions, capped at their end offsets. */
  private long committedTotal(Map<TopicPartition, OffsetAndMetadata> committed) {
    long sum = 0;
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      if (c != null) sum += Math.min(c.offset(), e.getValue());
    }
    return sum;
  }

  /**
   * Polls the group's committed offsets (every 50 ms) until they reach the end offsets, printing
   * progress every {@code report} (zero: never), so that a slow run shows its pace as it goes.
   */
  void awaitCommitted(Admin admin, String groupId, KafkaStreams streams, Duration deadline, Duration report)
      throws Exception {
    Instant start = Instant.now();
    Instant until = start.plus(deadline);
    Instant nextReport = report.isZero() ? Instant.MAX : start.plus(report);
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      if (Instant.now().isAfter(nextReport)) {
        System.out.printf("  %s: %,d of %,d input offsets committed after %d s%n", groupId, committedTotal(committed),
            total(), Duration.between(start, Instant.now()).toSeconds());
        nextReport = nextReport.plus(report);
      }
      if (ends.entrySet().stream().allMatch(e -> e.getValue() == 0
          || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue())) {
        return;
      }
      KafkaStreams.State state = streams.state();
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException(groupId + " stopped (" + state + ") before consuming its input");
      }
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException(groupId + " did not commit its input within " + deadline + ": " + lag(committed));
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
