package io.segmenter.clv;

/**
 * Scores customers with one set of published parameters (time in days): P(alive), expected purchase
 * days in 30 and 90 days and over the CLV horizon, expected spend per purchase day, and the
 * discounted CLV. Built once per parameter set (constants precomputed), then called on the
 * per-event path: a few small arrays besides the result.
 *
 * <p>The CLV is the sum over 30-day steps i of the expected purchases in step i times the expected
 * spend, discounted by (1 + monthly rate)^i, as in lifetimes' {@code customer_lifetime_value}; the
 * 30- and 90-day figures are steps 1 and 3 of the same cumulative curve, so they cost nothing extra.
 */
public final class Predictor {
  private final ClvModel model;
  private final BgNbd frequency;
  private final GammaGamma spend;
  private final double horizon;
  private final int steps;
  private final double[] discount;
  /** The curve's horizons: steps 1..steps, then 30 and 90 days if they are not steps already. */
  private final double[] horizons;
  private final int index30;
  private final int index90;

  public Predictor(ClvModel model, ClvSettings settings) {
    this.model = model;
    this.frequency = BgNbd.of(model.frequency());
    this.spend = model.hasSpend() ? GammaGamma.of(model.spend()) : null;
    this.horizon = settings.horizonDays();
    // 30-day steps; a horizon that is not a multiple of 30 ends with a shorter step.
    this.steps = (int) Math.ceil(horizon / ClvSettings.STEP_DAYS - 1e-9);
    this.discount = new double[steps + 1];
    for (int i = 1; i <= steps; i++) discount[i] = Math.pow(1 + settings.monthlyDiscount(), -i);
    double[] t = new double[steps + 2];
    for (int i = 1; i <= steps; i++) t[i - 1] = Math.min(i * ClvSettings.STEP_DAYS, horizon);
    int m = steps;
    int at30 = indexOf(t, steps, 30);
    if (at30 < 0) {
      at30 = m;
      t[m++] = 30;
    }
    int at90 = indexOf(t, steps, 90);
    if (at90 < 0) {
      at90 = m;
      t[m++] = 90;
    }
    this.horizons = java.util.Arrays.copyOf(t, m);
    this.index30 = at30;
    this.index90 = at90;
  }

  private static int indexOf(double[] values, int length, double value) {
    for (int i = 0; i < length; i++) {
      if (values[i] == value) return i;
    }
    return -1;
  }

  public ClvModel model() {
    return model;
  }

  public Prediction score(CustomerSummary s) {
    double pAlive = frequency.probabilityAlive(s.x(), s.tx(), s.T());
    // The whole cumulative curve in one pass (shared series coefficients): 13 separate expectations
    // were most of the topology's scoring cost.
    double[] curve = new double[horizons.length];
    frequency.expectedPurchases(s.x(), s.tx(), s.T(), horizons, curve);
    double cumulative = 0;
    double discounted = 0;
    for (int i = 1; i <= steps; i++) {
      double next = curve[i - 1];
      discounted += (next - cumulative) * discount[i];
      cumulative = next;
    }
    double e30 = curve[index30];
    double e90 = curve[index90];
    if (spend == null) return new Prediction(pAlive, e30, e90, cumulative, Double.NaN, Double.NaN);
    double perPurchase = spend.conditionalExpectedSpend(s.x(), s.meanRepeatSpend());
    return new Prediction(pAlive, e30, e90, cumulative, perPurchase, discounted * perPurchase);
  }

  /**
   * The age T (days since the first purchase) at which P(alive) falls below {@code threshold} if the
   * customer buys nothing more; +Infinity when it never does (x = 0: BG/NBD gives P(alive) = 1).
   * Lets the topology book the re-evaluation at the moment the churn rule becomes true instead of
   * finding it at the next routine check.
   */
  public double ageWhenPAliveFallsBelow(CustomerSummary s, double threshold) {
    return frequency.ageWhenProbabilityAliveFallsBelow(s.x(), s.tx(), threshold);
  }
}
