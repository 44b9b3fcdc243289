package io.segmenter.model;

import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.ReservoirSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A task's mini-batch in progress (mutable, hot path): assigned points summed per centre in raw
 * feature space, their moments, and a uniform sample of the points. Drained into a
 * {@link TaskDelta} when the batch is sent to the aggregator.
 *
 * <p><b>The sample</b> is a reservoir (Vitter's algorithm R) over the batch's points: the i-th point
 * of the batch (from 0) is kept while the sample holds every point so far, and afterwards replaces
 * slot {@link ReservoirSlots#slot(long, long) slot(seed, i)} when that is below the cap. The slot is a
 * function of the seed and i only, and i restarts with each batch, so the sample is a pure function
 * of the seed and the batch's points in order: a task that rebuilds its batch after a restart by
 * adding the stored points again, in the same order and with the same caps, gets the same sample.
 * (A fixed seed gives the same slot pattern to every batch; the positions it picks are still a
 * uniform draw, unrelated to the data unless the data are ordered against this hash.)
 *
 * <p><b>The cap may change within a batch</b> (the warm-up size while there is no model, a smaller
 * cap afterwards). When it shrinks below the sample's size, the sample becomes a uniform subset of
 * itself of the new size, drawn with a generator seeded from (seed, i): a uniform subsample of a
 * uniform sample is uniform. When it grows, the sample grows with it only while it still holds every
 * point of the batch; once it has dropped points it can only keep what it has (its current size
 * becomes its capacity), since a larger uniform sample would need the points it dropped. The delta
 * then carries a smaller sample than its cap; the aggregator's merge copes with that
 * ({@link TaskDelta#mergedWith}).
 */
public final class MiniBatchAccumulator {
  /** Seed of the sample when none is given. */
  public static final long DEFAULT_SEED = 0x5A4D_504C_4553_4545L;

  private final int dimension;
  private final long seed;
  private MiniBatchStatistics stats;
  private FeatureScaler.Accumulator moments;
  private List<double[]> sample;
  /** The batch's panel points by customer key (every point that has a key: the panel is the aggregator's to cut). */
  private java.util.TreeMap<Long, PanelPoint> panel = new java.util.TreeMap<>();
  private List<Long> forget = new ArrayList<>();
  /** Points added to this batch: the index of the next one. */
  private long added;
  private List<CustomerSummary> summaries;
  private long maxEventTime = Long.MIN_VALUE;

  /** With {@link #DEFAULT_SEED}. */
  public MiniBatchAccumulator(int dimension) {
    this(dimension, DEFAULT_SEED);
  }

  /** @param seed decides which points the sample keeps (same seed and points, same sample) */
  public MiniBatchAccumulator(int dimension, long seed) {
    this.dimension = dimension;
    this.seed = seed;
    reset();
  }

  /**
   * Adds a training point.
   *
   * @param centreId the centre it was assigned to, or -1 while there is no model
   * @param sampleCap how many points the batch's sample may hold, from this point on (see the class
   *     comment for a cap that changes within a batch)
   */
  public void add(double[] raw, int centreId, long eventTime, int sampleCap) {
    add(raw, centreId, eventTime, sampleCap, -1);
  }

  /**
   * Adds a training point that also goes to the model's customer panel.
   *
   * @param panelKey the customer's {@link CustomerKey}, or -1 for a point without one
   */
  public void add(double[] raw, int centreId, long eventTime, int sampleCap, long panelKey) {
    if (panelKey >= 0) {
      // One point per customer per batch, the latest: the panel keeps only a customer's latest anyway.
      PanelPoint had = panel.get(panelKey);
      if (had == null || had.at() <= eventTime) panel.put(panelKey, new PanelPoint(panelKey, eventTime, raw));
    }
    if (centreId >= 0) stats.add(centreId, raw);
    moments.add(raw);
    sample(raw, Math.max(0, sampleCap));
    maxEventTime = Math.max(maxEventTime, eventTime);
  }

  private void sample(double[] raw, int cap) {
    long i = added++;
    if (sample.size() > cap) {
      sample = UniformSamples.subset(sample, cap, new SplittableRandom(UniformSamples.seed(seed, i)));
    }
    if (sample.size() == i) {
      // Every point so far is in the sample: it is trivially uniform, and grows up to the cap.
      if (i < cap) sample.add(raw.clone());
      else replace(i, raw);
    } else {
      replace(i, raw);
    }
  }

  /** Algorithm R's step once the sample is full: the capacity is the sample's size (<= the cap). */
  private void replace(long i, double[] raw) {
    long j = ReservoirSlots.slot(seed, i);
    if (j < sample.size()) sample.set((int) j, raw.clone());
  }

  /** An erased customer: the aggregator must drop its panel point, and this batch its pending one. */
  public void forget(long panelKey) {
    panel.remove(panelKey);
    forget.add(panelKey);
  }

  public boolean hasForgets() {
    return !forget.isEmpty();
  }

  /** Adds a customer's repeat-purchase summary for the predictive models' reservoir. */
  public void addSummary(CustomerSummary s) {
    summaries.add(s);
  }

  public int summaries() {
    return summaries.size();
  }

  public long points() {
    return Math.round(moments.weight());
  }

  /** The batch so far, without resetting it. */
  public TaskDelta snapshot(String taskId, long sequence, long baseVersion) {
    return new TaskDelta(taskId, sequence, baseVersion, stats.merge(new MiniBatchStatistics(dimension)),
        moments.toScaler(), sample, maxEventTime, summaries, List.copyOf(panel.values()), List.copyOf(forget));
  }

  /** The batch so far; the accumulator starts a new, empty batch. */
  public TaskDelta drain(String taskId, long sequence, long baseVersion) {
    TaskDelta d = snapshot(taskId, sequence, baseVersion);
    reset();
    return d;
  }

  private void reset() {
    stats = new MiniBatchStatistics(dimension);
    moments = new FeatureScaler.Accumulator(dimension);
    sample = new ArrayList<>();
    added = 0;
    summaries = new ArrayList<>();
    panel = new java.util.TreeMap<>();
    forget = new ArrayList<>();
    maxEventTime = Long.MIN_VALUE;
  }
}
