package io.segmenter.flows;

import java.util.HashMap;
import java.util.Map;

/**
 * The segment changes one instance emitted, counted by (from, to) per wall-clock minute over the
 * last 24 hours: a ring of {@value #MINUTES} minute buckets, each slot holding the minute it counts.
 * A slot is reset when a later minute reaches it, so nothing older than a day is kept and the memory
 * is bounded by the minutes times the (from, to) pairs that occurred in them (at most k² + 2k).
 *
 * <p>Counting is by the wall clock at emission (not event time): "changes in the last hour" means
 * emitted in the last hour, which is what the live page shows. A change stamped more than a day
 * before the newest one this ring holds for its slot is dropped (the clock stepped back a day).
 * Writers are the stream threads, readers the HTTP threads; one lock, held for a map update or one
 * read of at most {@value #MINUTES} slots. No Kafka, no clock of its own: callers pass the times.
 */
public final class FlowRing {
  /** 24 hours of minutes. */
  public static final int MINUTES = 1440;
  /** The {@code from} of a customer's first segment, the {@code to} of an erasure. */
  public static final int NONE = -1;
  static final long MINUTE_MS = 60_000L;
  private static final long EMPTY = Long.MIN_VALUE;

  private final long[] minuteOfSlot = new long[MINUTES];
  @SuppressWarnings("unchecked")
  private final Map<Long, Long>[] counts = new Map[MINUTES];

  public FlowRing() {
    java.util.Arrays.fill(minuteOfSlot, EMPTY);
  }

  /** A change from segment {@code from} to {@code to} (either {@link #NONE}) emitted at {@code wallMs}. */
  public synchronized void record(int from, int to, long wallMs) {
    long minute = Math.floorDiv(wallMs, MINUTE_MS);
    int slot = (int) Math.floorMod(minute, (long) MINUTES);
    if (minuteOfSlot[slot] != minute) {
      if (minuteOfSlot[slot] != EMPTY && minute < minuteOfSlot[slot]) return;
      minuteOfSlot[slot] = minute;
      if (counts[slot] == null) counts[slot] = new HashMap<>();
      else counts[slot].clear();
    }
    counts[slot].merge(pair(from, to), 1L, Long::sum);
  }

  /**
   * The changes of {@code buckets} consecutive buckets of {@code bucketMinutes} minutes each, the
   * first starting at epoch minute {@code firstMinute}: per bucket the total, and the (from, to)
   * counts over them all. A minute the ring no longer holds (more than a day old) counts 0.
   */
  public synchronized FlowWindow window(long firstMinute, int buckets, int bucketMinutes) {
    if (buckets < 1 || bucketMinutes < 1) throw new IllegalArgumentException("buckets and their minutes must be positive");
    long[] totals = new long[buckets];
    Map<Long, Long> flows = new HashMap<>();
    for (int b = 0; b < buckets; b++) {
      for (int m = 0; m < bucketMinutes; m++) {
        long minute = firstMinute + (long) b * bucketMinutes + m;
        int slot = (int) Math.floorMod(minute, (long) MINUTES);
        if (minuteOfSlot[slot] != minute) continue;
        for (Map.Entry<Long, Long> e : counts[slot].entrySet()) {
          totals[b] += e.getValue();
          flows.merge(e.getKey(), e.getValue(), Long::sum);
        }
      }
    }
    return new FlowWindow(firstMinute * MINUTE_MS, bucketMinutes * MINUTE_MS, totals, FlowWindow.unpack(flows));
  }

  /** The last hour up to and including the minute of {@code nowMs}: 60 buckets of one minute. */
  public FlowWindow lastHour(long nowMs) {
    long now = Math.floorDiv(nowMs, MINUTE_MS);
    return window(now - 59, 60, 1);
  }

  /**
   * The last day in 96 quarter-hour buckets aligned to the clock (:00, :15, :30, :45), the last one
   * the quarter of {@code nowMs} (so far): 23 h 45 min plus the current quarter. Aligned so that the
   * buckets of two instances add up (their clocks agreeing to the minute).
   */
  public FlowWindow lastDay(long nowMs) {
    long now = Math.floorDiv(nowMs, MINUTE_MS);
    long quarterStart = Math.floorDiv(now, 15L) * 15;
    return window(quarterStart - 95 * 15, 96, 15);
  }

  static long pair(int from, int to) {
    return ((long) from << 32) | (to & 0xffffffffL);
  }

  static int from(long pair) {
    return (int) (pair >> 32);
  }

  static int to(long pair) {
    return (int) pair;
  }
}
