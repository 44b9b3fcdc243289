package io.segmenter.model;

/**
 * Immutable Welford running mean / M2 with a double weight (double because it can decay).
 * Merge uses Chan et al.'s parallel formula so per-task moments combine exactly.
 */
public final class RunningMoments {
  /** Below this standard deviation a feature is treated as constant (sd = 1) so it cannot blow up. */
  public static final double SD_FLOOR = 1e-9;
  public static final RunningMoments EMPTY = new RunningMoments(0, 0, 0);

  private final double weight;
  private final double mean;
  private final double m2;

  public RunningMoments(double weight, double mean, double m2) {
    this.weight = weight;
    this.mean = mean;
    this.m2 = m2;
  }

  public RunningMoments add(double x) {
    double w = weight + 1;
    double delta = x - mean;
    double newMean = mean + delta / w;
    return new RunningMoments(w, newMean, m2 + delta * (x - newMean));
  }

  public RunningMoments merge(RunningMoments other) {
    if (other.weight == 0) return this;
    if (weight == 0) return other;
    double w = weight + other.weight;
    double delta = other.mean - mean;
    double newMean = mean + delta * other.weight / w;
    double newM2 = m2 + other.m2 + delta * delta * weight * other.weight / w;
    return new RunningMoments(w, newMean, newM2);
  }

  /** Forgetting: old observations count less; the mean is unchanged, weight and M2 scale together. */
  public RunningMoments decay(double factor) {
    return new RunningMoments(weight * factor, mean, m2 * factor);
  }

  public double weight() { return weight; }
  public double mean() { return mean; }
  public double m2() { return m2; }

  /** Population variance (M2 / weight); 0 when empty. */
  public double variance() {
    return weight > 0 ? m2 / weight : 0;
  }

  public double standardise(double x) {
    double sd = Math.sqrt(variance());
    if (sd < SD_FLOOR) sd = 1;
    return (x - mean) / sd;
  }
}
