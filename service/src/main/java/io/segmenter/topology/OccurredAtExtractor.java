package io.segmenter.topology;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Stream time is the time the event happened ({@code occurredAt} in the payload), not the Kafka
 * record timestamp. A replay of history is produced now (so the broker's time-based retention does
 * not delete it on arrival) but must still be processed in its own time: a record timestamp of "now"
 * would make every replayed customer look active today.
 *
 * <p>An event without a usable time keeps the record timestamp (or the partition time): the
 * processor then rejects it to the dead-letter topic with a reason. Returning a negative timestamp
 * instead would make Kafka Streams drop the record silently.
 */
final class OccurredAtExtractor implements TimestampExtractor {
  private final long maxFutureMs;
  private final long minEventTime;

  /** Times outside [minEventTime, wall clock + maxFutureMs] are not trusted (see extract). */
  OccurredAtExtractor(long maxFutureMs, long minEventTime) {
    this.maxFutureMs = maxFutureMs;
    this.minEventTime = minEventTime;
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    Instant occurredAt = null;
    if (record.value() instanceof ClickEvent c) occurredAt = c.getOccurredAt();
    if (record.value() instanceof OrderEvent o) occurredAt = o.getOccurredAt();
    // In time order with the customer's events, so that it counts under the segment they held then.
    if (record.value() instanceof io.segmenter.events.CampaignOutcome c) occurredAt = c.getOccurredAt();
    // An erasure is ordered with the customer's events by the time it was requested: events that
    // happened before it are processed first (then erased), later ones start a fresh profile.
    if (record.value() instanceof io.segmenter.events.ErasureRequest e) occurredAt = e.getRequestedAt();
    // An impossible time is rejected by the processor; it must not become the task's stream time
    // first (a time a year ahead would move every stream-time punctuation a year ahead).
    if (occurredAt != null && occurredAt.toEpochMilli() >= Math.max(0, minEventTime)
        && occurredAt.toEpochMilli() <= System.currentTimeMillis() + maxFutureMs) {
      return occurredAt.toEpochMilli();
    }
    if (record.timestamp() >= 0) return record.timestamp();
    return Math.max(0, partitionTime);
  }
}
