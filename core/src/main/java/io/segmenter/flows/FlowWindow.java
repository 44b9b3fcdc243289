package io.segmenter.flows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The segment changes of a time window: per bucket the number of changes, and per (from, to) pair
 * the count over the whole window. Immutable. Windows of several instances add up
 * ({@link #plus}) bucket by bucket where their buckets start at the same time.
 *
 * @param since start of the first bucket (epoch ms)
 * @param bucketMs length of a bucket
 * @param totals changes per bucket, oldest first
 * @param flows the (from, to) counts, largest first; {@link FlowRing#NONE} for no segment
 */
public record FlowWindow(long since, long bucketMs, long[] totals, List<Flow> flows) {
  /** {@code count} changes from {@code from} to {@code to}. */
  public record Flow(int from, int to, long count) { }

  public FlowWindow {
    totals = totals.clone();
    flows = List.copyOf(flows);
  }

  @Override
  public long[] totals() {
    return totals.clone();
  }

  /** Changes in the whole window. */
  public long changes() {
    long sum = 0;
    for (long t : totals) sum += t;
    return sum;
  }

  /** Start of bucket {@code i} (epoch ms). */
  public long bucketStart(int i) {
    return since + i * bucketMs;
  }

  /**
   * Per segment id, customers in minus customers out over the window: the population's trend
   * (a first assignment is only an "in", an erasure only an "out").
   */
  public Map<Integer, Long> net() {
    Map<Integer, Long> net = new TreeMap<>();
    for (Flow f : flows) {
      if (f.to() != FlowRing.NONE) net.merge(f.to(), f.count(), Long::sum);
      if (f.from() != FlowRing.NONE) net.merge(f.from(), -f.count(), Long::sum);
    }
    return net;
  }

  /**
   * This window and another instance's: flows added pair by pair, and bucket totals added where a
   * bucket of {@code other} starts when one of this window does (instances whose clocks differ by a
   * minute or more disagree on the window's edges; their buckets outside this window are left out
   * of the series, their flows are not).
   */
  public FlowWindow plus(FlowWindow other) {
    long[] sum = totals.clone();
    if (other.bucketMs == bucketMs) {
      for (int i = 0; i < other.totals.length; i++) {
        long offset = other.bucketStart(i) - since;
        if (offset % bucketMs != 0) continue;
        long j = offset / bucketMs;
        if (j >= 0 && j < sum.length) sum[(int) j] += other.totals[i];
      }
    }
    Map<Long, Long> pairs = new HashMap<>();
    for (Flow f : flows) pairs.merge(FlowRing.pair(f.from(), f.to()), f.count(), Long::sum);
    for (Flow f : other.flows) pairs.merge(FlowRing.pair(f.from(), f.to()), f.count(), Long::sum);
    return new FlowWindow(since, bucketMs, sum, unpack(pairs));
  }

  static List<Flow> unpack(Map<Long, Long> pairs) {
    List<Flow> out = new ArrayList<>(pairs.size());
    pairs.forEach((pair, n) -> out.add(new Flow(FlowRing.from(pair), FlowRing.to(pair), n)));
    out.sort(Comparator.comparingLong(Flow::count).reversed().thenComparingInt(Flow::from).thenComparingInt(Flow::to));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowWindow w && w.since == since && w.bucketMs == bucketMs
        && java.util.Arrays.equals(w.totals, totals) && w.flows.equals(flows);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(since, bucketMs, java.util.Arrays.hashCode(totals), flows);
  }

  @Override
  public String toString() {
    return "FlowWindow{since=" + since + ", bucketMs=" + bucketMs + ", changes=" + changes() + ", flows=" + flows + '}';
  }
}
