package io.segmenter.clv;

/**
 * The rules that put a scored customer into a predictive segment, first match wins (documented in
 * docs/PREDICTIVE.md):
 * <ol>
 *   <li>HIGH_CHURN_RISK: bought again at least once (x &gt;= 1, a history of buying) and P(alive)
 *       below {@link ClvSettings#churnPAlive()}; a customer already there stays until P(alive)
 *       rises above that plus {@link ClvSettings#churnHysteresis()} (no flapping at the edge).
 *       One-time buyers are left out: BG/NBD gives them P(alive) = 1, the model cannot tell;
 *   <li>NEW_WITH_POTENTIAL: first purchase at most {@link ClvSettings#newDays()} ago and a value at
 *       least the sample's median ({@link ClvModel#typicalValue()});
 *   <li>HIGH_VALUE_STABLE: P(alive) at least {@link ClvSettings#stablePAlive()} and a value at least
 *       {@link ClvModel#highValue()} (a high quantile of the sample's values);
 *   <li>REGULAR: everyone else who has ordered.
 * </ol>
 */
public final class PredictiveRules {
  private PredictiveRules() { }

  public static PredictiveSegment decide(PredictiveSegment current, CustomerSummary s, Prediction p, ClvModel model,
      ClvSettings settings) {
    double churnBelow = settings.churnPAlive()
        + (current == PredictiveSegment.HIGH_CHURN_RISK ? settings.churnHysteresis() : 0);
    if (s.x() >= 1 && p.pAlive() < churnBelow) return PredictiveSegment.HIGH_CHURN_RISK;
    if (s.T() <= settings.newDays() && p.value() >= model.typicalValue()) return PredictiveSegment.NEW_WITH_POTENTIAL;
    if (p.pAlive() >= settings.stablePAlive() && p.value() >= model.highValue()) return PredictiveSegment.HIGH_VALUE_STABLE;
    return PredictiveSegment.REGULAR;
  }
}
