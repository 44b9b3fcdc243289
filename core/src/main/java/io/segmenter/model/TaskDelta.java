package io.segmenter.model;

import io.segmenter.clv.CustomerSummary;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one stream task learned in a mini-batch, in RAW (log-transformed, unstandardised) feature
 * space: per-centre counts and sums, the moments of the points, and a uniform sample of the points
 * themselves (for k-means++ while no model exists, and afterwards as re-seed candidates and the
 * refresh's sample). Raw space makes the statistics independent of the scaler the task used; the
 * aggregator maps them into the standardised space of the current version (standardisation is
 * affine, so sums map exactly).
 *
 * @param baseVersion model version the task assigned with; -1 before the first model
 * @param summaries repeat-purchase summaries (days) of customers re-evaluated in the batch, for the
 *     predictive models' reservoir; the aggregator takes them as a delta arrives, so a merged
 *     (pending) delta carries none
 * @param panel the latest point of each customer of the batch, keyed by {@link CustomerKey}, for the
 *     model's {@link CustomerPanel}; taken as the delta arrives too, so a pending delta carries none
 * @param forget panel keys of customers erased in the batch (taken as the delta arrives)
 */
public record TaskDelta(String taskId, long sequence, long baseVersion, MiniBatchStatistics stats,
    FeatureScaler moments, List<double[]> sample, long maxEventTime, List<CustomerSummary> summaries,
    List<PanelPoint> panel, List<Long> forget) {

  public TaskDelta {
    sample = List.copyOf(sample);
    summaries = List.copyOf(summaries);
    panel = List.copyOf(panel);
    forget = List.copyOf(forget);
  }

  /** Without erasures. */
  public TaskDelta(String taskId, long sequence, long baseVersion, MiniBatchStatistics stats,
      FeatureScaler moments, List<double[]> sample, long maxEventTime, List<CustomerSummary> summaries,
      List<PanelPoint> panel) {
    this(taskId, sequence, baseVersion, stats, moments, sample, maxEventTime, summaries, panel, List.of());
  }

  /** Without panel points. */
  public TaskDelta(String taskId, long sequence, long baseVersion, MiniBatchStatistics stats,
      FeatureScaler moments, List<double[]> sample, long maxEventTime, List<CustomerSummary> summaries) {
    this(taskId, sequence, baseVersion, stats, moments, sample, maxEventTime, summaries, List.of());
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
   *
   * <p>The merged sample is a uniform sample of at most {@code sampleCap} of both deltas' points when
   * each sample is a uniform one of its delta's points ({@link #points()}): how many come from each
   * side is drawn hypergeometrically from the two point counts, then that many are taken uniformly
   * from each sample (see {@link UniformSamples#merge} for a sample that holds fewer points than its
   * count would ask: it gives what it has, the other side fills). So a chain of merges gives every
   * delta a share of the pending sample proportional to its points, not to its arrival. The draws
   * come from a generator seeded from {@code seed} and next's task and sequence: replaying the same
   * deltas in the same order gives the same sample, hence the same model versions.
   *
   * @param seed the model's seed
   */
  public TaskDelta mergedWith(TaskDelta next, int sampleCap, long seed) {
    SplittableRandom random = new SplittableRandom(UniformSamples.seed(seed, next.taskId.hashCode(), next.sequence));
    List<double[]> merged = UniformSamples.merge(sample, points(), next.sample, next.points(), sampleCap, random);
    return new TaskDelta(next.taskId, next.sequence, Math.max(baseVersion, next.baseVersion),
        stats.merge(next.stats), moments.merge(next.moments), merged,
        Math.max(maxEventTime, next.maxEventTime));
  }

  public static TaskDelta empty(int dimension) {
    return new TaskDelta("", 0, -1, new MiniBatchStatistics(dimension), FeatureScaler.empty(dimension),
        List.of(), Long.MIN_VALUE);
  }
}
