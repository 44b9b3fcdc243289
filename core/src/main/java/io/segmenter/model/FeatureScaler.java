package io.segmenter.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The standardisation statistics that belong to a model: one {@link RunningMoments} per feature.
 * Immutable; every operation returns a new scaler. For accumulating many vectors on the hot path
 * use {@link Accumulator}, which does not allocate per vector.
 */
public final class FeatureScaler {
  private final List<RunningMoments> moments;

  public FeatureScaler(List<RunningMoments> moments) {
    Objects.requireNonNull(moments, "moments");
    if (moments.isEmpty()) throw new IllegalArgumentException("a scaler needs at least one feature");
    for (RunningMoments m : moments) Objects.requireNonNull(m, "moments must not contain null");
    this.moments = List.copyOf(moments);
  }

  public static FeatureScaler empty(int dimension) {
    if (dimension < 1) throw new IllegalArgumentException("dimension must be positive, got " + dimension);
    return new FeatureScaler(Collections.nCopies(dimension, RunningMoments.EMPTY));
  }

  public List<RunningMoments> moments() {
    return moments;
  }

  public int dimension() {
    return moments.size();
  }

  public FeatureScaler add(double[] raw) {
    checkLength(raw.length);
    List<RunningMoments> next = new ArrayList<>(moments.size());
    for (int i = 0; i < raw.length; i++) next.add(moments.get(i).add(raw[i]));
    return new FeatureScaler(next);
  }

  /** Per-feature Chan merge: the scaler of both sets of observations. */
  public FeatureScaler merge(FeatureScaler other) {
    checkLength(other.dimension());
    List<RunningMoments> next = new ArrayList<>(moments.size());
    for (int i = 0; i < moments.size(); i++) next.add(moments.get(i).merge(other.moments.get(i)));
    return new FeatureScaler(next);
  }

  /** Forgetting: older observations weigh less; means and variances are unchanged. */
  public FeatureScaler decay(double factor) {
    if (!(factor >= 0 && factor <= 1)) {
      throw new IllegalArgumentException("decay factor must be in [0, 1], got " + factor);
    }
    List<RunningMoments> next = new ArrayList<>(moments.size());
    for (RunningMoments m : moments) next.add(m.decay(factor));
    return new FeatureScaler(next);
  }

  /** z = (x - mean) / sd per feature, sd taken as 1 below {@link RunningMoments#SD_FLOOR}. */
  public double[] standardise(double[] raw) {
    checkLength(raw.length);
    double[] z = new double[raw.length];
    for (int i = 0; i < raw.length; i++) z[i] = moments.get(i).standardise(raw[i]);
    return z;
  }

  /** The inverse of {@link #standardise} for one feature: mean + z * sd, same sd rule. */
  public double unstandardise(int feature, double z) {
    RunningMoments m = moments.get(feature);
    return m.mean() + z * sd(m);
  }

  /** Weight of feature 0; all features are added together, so it is the weight of the scaler. */
  public double totalWeight() {
    return moments.get(0).weight();
  }

  // Same rule as RunningMoments.standardise, so unstandardise inverts it exactly.
  private static double sd(RunningMoments m) {
    double sd = Math.sqrt(m.variance());
    return sd < RunningMoments.SD_FLOOR ? 1 : sd;
  }

  private void checkLength(int n) {
    if (n != moments.size()) {
      throw new IllegalArgumentException("expected " + moments.size() + " features, got " + n);
    }
  }

  @Override
  public String toString() {
    return "FeatureScaler{dimension=" + dimension() + ", weight=" + totalWeight() + '}';
  }

  /**
   * Mutable Welford accumulator over whole vectors on primitive arrays: the same arithmetic as
   * repeated {@link FeatureScaler#add} without allocating per vector. Not thread-safe.
   */
  public static final class Accumulator {
    // Per-feature weights rather than one: a scaler resumed via of() may, after merges and
    // decays, carry slightly different weights per feature, and they must continue unchanged.
    private final double[] weight;
    private final double[] mean;
    private final double[] m2;

    public Accumulator(int dimension) {
      if (dimension < 1) throw new IllegalArgumentException("dimension must be positive, got " + dimension);
      weight = new double[dimension];
      mean = new double[dimension];
      m2 = new double[dimension];
    }

    /** An accumulator that continues from the scaler's statistics (e.g. a persisted batch). */
    public static Accumulator of(FeatureScaler scaler) {
      Accumulator a = new Accumulator(scaler.dimension());
      for (int i = 0; i < a.mean.length; i++) {
        RunningMoments m = scaler.moments.get(i);
        a.weight[i] = m.weight();
        a.mean[i] = m.mean();
        a.m2[i] = m.m2();
      }
      return a;
    }

    /** Welford update, the same arithmetic as {@link RunningMoments#add}. */
    public void add(double[] raw) {
      if (raw.length != mean.length) {
        throw new IllegalArgumentException("expected " + mean.length + " features, got " + raw.length);
      }
      for (int i = 0; i < raw.length; i++) {
        double w = weight[i] + 1;
        double delta = raw[i] - mean[i];
        mean[i] += delta / w;
        m2[i] += delta * (raw[i] - mean[i]);
        weight[i] = w;
      }
    }

    /** Weight of feature 0, as {@link FeatureScaler#totalWeight()}. */
    public double weight() {
      return weight[0];
    }

    public int dimension() {
      return mean.length;
    }

    public FeatureScaler toScaler() {
      List<RunningMoments> ms = new ArrayList<>(mean.length);
      for (int i = 0; i < mean.length; i++) ms.add(new RunningMoments(weight[i], mean[i], m2[i]));
      return new FeatureScaler(ms);
    }
  }
}
