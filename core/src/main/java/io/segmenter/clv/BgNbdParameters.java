package io.segmenter.clv;

/**
 * BG/NBD parameters: purchase rates are Gamma(r, alpha) across customers (alpha in the time unit of
 * the summaries), drop-out probabilities after each purchase Beta(a, b).
 */
public record BgNbdParameters(double r, double alpha, double a, double b) {
  public BgNbdParameters {
    positive("r", r);
    positive("alpha", alpha);
    positive("a", a);
    positive("b", b);
  }

  static void positive(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be finite and > 0: " + v);
  }

  /**
   * The same model in a time unit {@code factor} times shorter (weeks to days: 7). Only alpha, the
   * scale of the purchase rates, depends on the unit.
   */
  public BgNbdParameters withTimeUnitDividedBy(double factor) {
    positive("factor", factor);
    return new BgNbdParameters(r, alpha * factor, a, b);
  }
}
