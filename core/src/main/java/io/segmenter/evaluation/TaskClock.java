package io.segmenter.evaluation;

import java.util.function.LongSupplier;

/**
 * What "now" is for recency, per stream task.
 *
 * <p>Event time alone is right for a fast replay of history (recency is measured against the newest
 * event seen, not against today's date, which would make every 2010 customer 16 years inactive), but
 * it stops when the stream goes quiet, and then nobody would ever become "at risk". Wall-clock time
 * alone is right for live traffic but wrong for a replay. The hybrid clock is stream time (the
 * largest event time the task has processed) plus the wall-clock time elapsed since stream time last
 * advanced: during a replay stream time races ahead and the wall-clock part stays near zero; in live
 * traffic stream time tracks the wall clock; when traffic stops, "now" keeps moving with the wall
 * clock. The event-only mode drops the wall-clock part (deterministic replays, tests).
 *
 * <p>No single record may push the clock into the future: an event time later than the wall clock
 * plus {@code maxAheadMs} counts as that limit for the task's clock. The event itself is still
 * processed at its own time for its own customer (the caller takes the later of the two), so a
 * producer with a clock a day fast moves that customer's recency, not everyone's.
 */
public final class TaskClock {
  /** Before the task has seen any event time. */
  public static final long UNKNOWN = Long.MIN_VALUE;

  private final boolean hybrid;
  private final long maxAheadMs;
  /** Newest (capped) event time this task processed; UNKNOWN until then. */
  private long newestEventTime = UNKNOWN;
  /** The stream time last used for "now", and the wall clock when it last advanced. */
  private long streamTime = UNKNOWN;
  private long wallAtAdvance;

  /**
   * @param hybrid stream time plus idle wall-clock time (true), or stream time alone
   * @param maxAheadMs how far past the wall clock an event may move the task's clock
   */
  public TaskClock(boolean hybrid, long maxAheadMs) {
    if (maxAheadMs < 0) throw new IllegalArgumentException("max ahead must be >= 0 ms: " + maxAheadMs);
    this.hybrid = hybrid;
    this.maxAheadMs = maxAheadMs;
  }

  /** Notes the event time of an event the task processed. */
  public void observe(long eventTime, long wall) {
    long capped = Math.min(eventTime, limit(wall));
    if (capped > newestEventTime) newestEventTime = capped;
  }

  /**
   * Now for the task, given the wall clock.
   *
   * @param kafkaStreamTime Kafka's stream time of the task, asked for only until the task has processed an
   *     event of its own (after a restart it is what survives, committed with the offsets); it counts
   *     the raw timestamps of every input partition, so it is capped like an event time
   * @return now, or UNKNOWN before any record
   */
  public long now(LongSupplier kafkaStreamTime, long wall) {
    long current = newestEventTime;
    if (current == UNKNOWN) {
      long kafka = kafkaStreamTime.getAsLong();
      current = kafka < 0 ? UNKNOWN : Math.min(kafka, limit(wall));
    }
    if (current != UNKNOWN && current > streamTime) {
      streamTime = current;
      wallAtAdvance = wall;
    }
    if (streamTime == UNKNOWN || streamTime < 0) return UNKNOWN;
    return hybrid ? streamTime + Math.max(0, wall - wallAtAdvance) : streamTime;
  }

  private long limit(long wall) {
    // Saturating: tests and replays of history run with a huge allowance.
    return wall > Long.MAX_VALUE - maxAheadMs ? Long.MAX_VALUE : wall + maxAheadMs;
  }
}
