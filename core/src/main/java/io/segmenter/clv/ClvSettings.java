package io.segmenter.clv;

/**
 * How predictive scores are made and turned into segments (segmenter.clv.* settings; see
 * docs/PREDICTIVE.md for the rules). Times in days.
 *
 * @param horizonDays CLV horizon
 * @param monthlyDiscount discount rate per 30-day step of the CLV sum (0 = none)
 * @param churnPAlive a customer with a history of buying enters HIGH_CHURN_RISK below this P(alive)
 * @param churnHysteresis and leaves it only above churnPAlive + this margin
 * @param stablePAlive HIGH_VALUE_STABLE needs at least this P(alive)
 * @param highValueQuantile HIGH_VALUE_STABLE needs a CLV at least this quantile of the fit sample's
 * @param newDays NEW_WITH_POTENTIAL is for customers whose first purchase is at most this old
 * @param reservoirSize summaries the fitter keeps
 * @param minFitCustomers summaries needed before the first fit
 * @param fitEveryVersions re-fit every this many model versions
 * @param summariesPerDelta most summaries a task sends in one mini-batch delta
 */
public record ClvSettings(double horizonDays, double monthlyDiscount, double churnPAlive, double churnHysteresis,
    double stablePAlive, double highValueQuantile, double newDays, int reservoirSize, int minFitCustomers,
    int fitEveryVersions, int summariesPerDelta) {
  /** Length of one CLV step: a month of 30 days, as lifetimes does. */
  public static final double STEP_DAYS = 30;
  /** Gamma-Gamma is fitted only with at least this many repeat customers with spend in the sample. */
  public static final int MIN_SPEND_CUSTOMERS = 30;

  public ClvSettings {
    if (!(horizonDays > 0)) throw new IllegalArgumentException("CLV horizon must be > 0 days: " + horizonDays);
    if (!(monthlyDiscount >= 0)) throw new IllegalArgumentException("discount rate must be >= 0: " + monthlyDiscount);
    if (!(churnPAlive > 0 && churnPAlive < 1)) throw new IllegalArgumentException("churn P(alive) must be in (0,1): " + churnPAlive);
    if (!(churnHysteresis >= 0 && churnPAlive + churnHysteresis < 1)) {
      throw new IllegalArgumentException("churn P(alive) + hysteresis must be < 1: " + churnPAlive + " + " + churnHysteresis);
    }
    if (!(stablePAlive > churnPAlive + churnHysteresis && stablePAlive <= 1)) {
      throw new IllegalArgumentException("stable P(alive) must be above churn P(alive) + hysteresis and <= 1: " + stablePAlive);
    }
    if (!(highValueQuantile > 0 && highValueQuantile < 1)) {
      throw new IllegalArgumentException("high-value quantile must be in (0,1): " + highValueQuantile);
    }
    if (!(newDays > 0)) throw new IllegalArgumentException("new-customer window must be > 0 days: " + newDays);
    if (reservoirSize < 1 || minFitCustomers < 1 || minFitCustomers > reservoirSize) {
      throw new IllegalArgumentException("need 1 <= min fit customers (" + minFitCustomers + ") <= reservoir size (" + reservoirSize + ")");
    }
    if (fitEveryVersions < 1) throw new IllegalArgumentException("fit interval must be >= 1 version: " + fitEveryVersions);
    if (summariesPerDelta < 0) throw new IllegalArgumentException("summaries per delta must be >= 0: " + summariesPerDelta);
  }

  /** The defaults of the settings table. */
  public static ClvSettings defaults() {
    return new ClvSettings(365, 0.01, 0.3, 0.05, 0.7, 0.8, 90, 5000, 500, 10, 25);
  }
}
