package io.segmenter.profile;

import io.segmenter.events.ChangeReason;
import java.util.ArrayList;
import java.util.List;

/**
 * A customer's latest segment changes, newest first and at most a bound: the changes the service
 * emitted to segment-changes for that customer, kept so that a lookup can show how the customer got
 * where they are without a consumer of that topic. Immutable.
 *
 * @param entries newest first
 */
public record ChangeHistory(List<Entry> entries) {
  /** A segment id (K-means or predictive ordinal) for "none": before the first assignment. */
  public static final int NONE = -1;
  public static final ChangeHistory EMPTY = new ChangeHistory(List.of());

  public ChangeHistory {
    entries = List.copyOf(entries);
  }

  /**
   * One change, as emitted.
   *
   * @param sequence the change's sequence number (1 for the first assignment, +1 per change)
   * @param at wall-clock time of the emission (epoch ms), the record's processing time
   * @param eventTime event time of what caused it (epoch ms)
   * @param fromSegment the K-means segment left, {@link #NONE} for a first assignment
   * @param toSegment the K-means segment entered (equal to {@code fromSegment} when only the
   *     predictive segment changed)
   * @param modelVersion the model version that decided it
   * @param fromPredictive the predictive segment's ordinal before, {@link #NONE} for none
   * @param toPredictive the predictive segment's ordinal after, {@link #NONE} for none
   */
  public record Entry(long sequence, long at, long eventTime, int fromSegment, int toSegment, ChangeReason reason,
      long modelVersion, int fromPredictive, int toPredictive) {
    public Entry {
      if (sequence < 0) throw new IllegalArgumentException("sequence is negative: " + sequence);
      if (reason == null) throw new IllegalArgumentException("reason is null");
    }
  }

  /**
   * This history with {@code entry} as the newest, cut to the {@code max} newest. An entry whose
   * sequence is not below the new one's is dropped first: a step that runs again after a failure
   * (at-least-once) computes the same sequence again and must not leave the change twice.
   */
  public ChangeHistory with(Entry entry, int max) {
    if (max <= 0) return EMPTY;
    List<Entry> out = new ArrayList<>(Math.min(max, entries.size() + 1));
    out.add(entry);
    for (Entry e : entries) {
      if (out.size() >= max) break;
      if (e.sequence() < entry.sequence()) out.add(e);
    }
    return new ChangeHistory(out);
  }

  /** The {@code max} newest entries (all when there are fewer). */
  public ChangeHistory newest(int max) {
    return entries.size() <= max ? this : new ChangeHistory(entries.subList(0, Math.max(0, max)));
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }
}
