package io.segmenter.topology;

/**
 * What "now" is for recency, per task.
 *
 * <p>Event time alone is right for a fast replay of history (recency is measured against the newest
 * event seen, not against today's date, which would make every 2010 customer 16 years inactive), but
 * it stops when the stream goes quiet, and then nobody would ever become "at risk". Wall-clock time
 * alone is right for live traffic but wrong for a replay. The hybrid clock is stream time (the
 * largest event time the task has seen) plus the wall-clock time elapsed since stream time last
 * advanced: during a replay stream time races ahead and the wall-clock part stays near zero; in live
 * traffic stream time tracks the wall clock; when traffic stops, "now" keeps moving with the wall
 * clock. The event-only mode drops the wall-clock part (deterministic replays, tests).
 */
final class SegmenterClock {
  /** Stream time before the task has seen any record. */
  static final long UNKNOWN = Long.MIN_VALUE;

  private final boolean hybrid;
  private long streamTime = UNKNOWN;
  private long wallAtAdvance;

  SegmenterClock(boolean hybrid) {
    this.hybrid = hybrid;
  }

  /** Now, given the task's stream time and the wall clock; UNKNOWN before any record. */
  long now(long currentStreamTime, long wallClock) {
    if (currentStreamTime > streamTime) {
      streamTime = currentStreamTime;
      wallAtAdvance = wallClock;
    }
    if (streamTime == UNKNOWN || streamTime < 0) return UNKNOWN;
    return hybrid ? streamTime + Math.max(0, wallClock - wallAtAdvance) : streamTime;
  }
}
