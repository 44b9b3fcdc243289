package io.segmenter.model;

import io.segmenter.explain.FeatureLabel;
import java.util.List;

/**
 * How the explanation's rules print each feature of {@link Features}, in original units: counts and
 * days as whole numbers, money without a currency code (one deployment has one currency, shown
 * beside the rules), ratios as percentages.
 */
public final class FeatureLabels {
  /** Indexed by {@link Features}. */
  public static final List<FeatureLabel> ALL = List.of(
      FeatureLabel.days("days since last order"),
      FeatureLabel.count("orders"),
      FeatureLabel.money("net spend", ""),
      FeatureLabel.money("average order value", ""),
      FeatureLabel.number("recent orders", 1),
      FeatureLabel.money("recent spend", ""),
      FeatureLabel.percent("refund rate"),
      FeatureLabel.count("sessions"),
      FeatureLabel.count("views"),
      FeatureLabel.count("searches"),
      FeatureLabel.count("cart additions"),
      FeatureLabel.percent("cart abandonment"),
      FeatureLabel.count("categories bought"),
      FeatureLabel.days("days since last visit"));

  private FeatureLabels() { }

  /**
   * A raw (log-transformed) feature vector in the units the rules speak: the transform undone, then
   * whole-number features rounded (days down: "3.7 days ago" is day 3), since the rules' bounds are
   * exact only for whole numbers.
   */
  public static double[] readable(double[] raw) {
    double[] out = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      double v = Features.toOriginalUnits(i, raw[i]);
      FeatureLabel label = ALL.get(i);
      if (label.kind() == FeatureLabel.Kind.DAYS) v = Math.floor(v + 1e-9);
      else if (label.kind() == FeatureLabel.Kind.COUNT) v = Math.round(v);
      out[i] = Math.max(0, v);
    }
    return out;
  }
}
