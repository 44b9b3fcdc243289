package io.segmenter.explain;

/**
 * What a rule asks of one feature: above &lt; x[feature] ≤ atMost, all the splits on that feature
 * along a path merged into one interval. above is -∞ when there is no lower bound, atMost +∞ when
 * there is no upper bound.
 *
 * @param text the condition in words (see {@link FeatureLabel#describe})
 */
public record Condition(int feature, double above, double atMost, String text) {
  public boolean test(double[] row) {
    double v = row[feature];
    return v > above && v <= atMost;
  }

  @Override
  public String toString() {
    return text;
  }
}
