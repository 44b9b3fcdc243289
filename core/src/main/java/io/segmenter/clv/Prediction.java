package io.segmenter.clv;

/**
 * A customer's scores at one moment (time in days).
 *
 * @param pAlive probability that the customer is still active, in [0, 1]
 * @param expectedPurchases30d expected purchase days in the next 30 days
 * @param expectedPurchases90d expected purchase days in the next 90 days
 * @param expectedPurchasesHorizon expected purchase days over the CLV horizon
 * @param expectedAverageSpend expected spend per future purchase day; NaN without a spend model
 * @param clv discounted value over the CLV horizon; NaN without a spend model
 */
public record Prediction(double pAlive, double expectedPurchases30d, double expectedPurchases90d,
    double expectedPurchasesHorizon, double expectedAverageSpend, double clv) {
  public boolean hasSpend() {
    return !Double.isNaN(clv);
  }

  /**
   * What the value rules compare: the CLV, or without a spend model the expected purchases over the
   * horizon (every purchase worth the same).
   */
  public double value() {
    return hasSpend() ? clv : expectedPurchasesHorizon;
  }
}
