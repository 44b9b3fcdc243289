package io.segmenter.model;

import io.segmenter.clv.CustomerSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * What one stream task learned in a mini-batch, in RAW (log-transformed, unstandardised) feature
 * space: per-centre counts and sums, the moments of the points, and a few of the points themselves
 * (for k-means++ while no model exists, and as re-seed candidates afterwards). Raw space makes the
 * statistics independent of the scaler the task used; the aggregator maps them into the standardised
 * space of the current version (standardisation is affine, so sums map exactly).
 *
 * @param baseVersion model version the task assigned with; -1 before the first model
 * @param summaries repeat-purchase summaries (days) of customers re-evaluated in the batch, for the
 *     predictive models' reservoir; the aggregator takes them as a delta arrives, so a merged
 *     (pending) delta carries none
 */
public record TaskDelta(String taskId, long sequence, long baseVersion, MiniBatchStatistics stats,
    FeatureScaler moments, List<double[]> sample, long maxEventTime, List<CustomerSummary> summaries) {

  public TaskDelta {
    sample = List.copyOf(sample);
    summaries = List.copyOf(summaries);
  }

  /** Without summaries. */
  public TaskDelta(String taskId, long sequence, long baseVersion, MiniBatchStatistics stats,
      FeatureScaler moments, List<double[]> sample, long maxEventTime) {
    this(taskId, sequence, baseVersion, stats, moments, sample, maxEventTime, List.of());
  }

  /** Number of training points behind this delta. */
  public long points() {
    return Math.round(moments.totalWeight());
  }

  /**
   * This delta followed by {@code next}, in that order (the order is part of the result: floating
   * point sums are not associative, and a replay must merge in the same order to be bit-identical).
   * Samples are concatenated up to {@code sampleCap} points.
   */
  public TaskDelta mergedWith(TaskDelta next, int sampleCap) {
    List<double[]> merged = new ArrayList<>(sample);
    for (double[] p : next.sample) {
      if (merged.size() >= sampleCap) break;
      merged.add(p);
    }
    return new TaskDelta(next.taskId, next.sequence, Math.max(baseVersion, next.baseVersion),
        stats.merge(next.stats), moments.merge(next.moments), merged,
        Math.max(maxEventTime, next.maxEventTime));
  }

  public static TaskDelta empty(int dimension) {
    return new TaskDelta("", 0, -1, new MiniBatchStatistics(dimension), FeatureScaler.empty(dimension),
        List.of(), Long.MIN_VALUE);
  }
}
