package io.segmenter.clv;

/**
 * Scores customers with one set of published parameters (time in days): P(alive), expected purchase
 * days in 30 and 90 days and over the CLV horizon, expected spend per purchase day, and the
 * discounted CLV. Built once per parameter set (constants precomputed), then called on the
 * per-event path: no allocation besides the result.
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

  public Predictor(ClvModel model, ClvSettings settings) {
    this.model = model;
    this.frequency = BgNbd.of(model.frequency());
    this.spend = model.hasSpend() ? GammaGamma.of(model.spend()) : null;
    this.horizon = settings.horizonDays();
    // 30-day steps; a horizon that is not a multiple of 30 ends with a shorter step.
    this.steps = (int) Math.ceil(horizon / ClvSettings.STEP_DAYS - 1e-9);
    this.discount = new double[steps + 1];
    for (int i = 1; i <= steps; i++) discount[i] = Math.pow(1 + settings.monthlyDiscount(), -i);
  }

  public ClvModel model() {
    return model;
  }

  public Prediction score(CustomerSummary s) {
    double pAlive = frequency.probabilityAlive(s.x(), s.tx(), s.T());
    double e30 = Double.NaN;
    double e90 = Double.NaN;
    double cumulative = 0;
    double discounted = 0;
    for (int i = 1; i <= steps; i++) {
      double t = Math.min(i * ClvSettings.STEP_DAYS, horizon);
      double next = frequency.expectedPurchases(s.x(), s.tx(), s.T(), t);
      if (t == 30) e30 = next;
      if (t == 90) e90 = next;
      discounted += (next - cumulative) * discount[i];
      cumulative = next;
    }
    if (Double.isNaN(e30)) e30 = frequency.expectedPurchases(s.x(), s.tx(), s.T(), 30);
    if (Double.isNaN(e90)) e90 = frequency.expectedPurchases(s.x(), s.tx(), s.T(), 90);
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
