package io.segmenter.model;

import io.segmenter.clv.CustomerSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * A task's mini-batch in progress (mutable, hot path): assigned points summed per centre in raw
 * feature space, their moments, and the first points as a sample. Drained into a {@link TaskDelta}
 * when the batch is sent to the aggregator.
 */
public final class MiniBatchAccumulator {
  private final int dimension;
  private MiniBatchStatistics stats;
  private FeatureScaler.Accumulator moments;
  private List<double[]> sample;
  private List<CustomerSummary> summaries;
  private long maxEventTime = Long.MIN_VALUE;

  public MiniBatchAccumulator(int dimension) {
    this.dimension = dimension;
    reset();
  }

  /**
   * Adds a training point.
   *
   * @param centreId the centre it was assigned to, or -1 while there is no model
   * @param sampleCap how many points to keep as a sample in this batch
   */
  public void add(double[] raw, int centreId, long eventTime, int sampleCap) {
    if (centreId >= 0) stats.add(centreId, raw);
    moments.add(raw);
    if (sample.size() < sampleCap) sample.add(raw.clone());
    maxEventTime = Math.max(maxEventTime, eventTime);
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
        moments.toScaler(), sample, maxEventTime, summaries);
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
    summaries = new ArrayList<>();
    maxEventTime = Long.MIN_VALUE;
  }
}
