package io.segmenter.clv;

/**
 * The predictive models' parameters as one model version publishes them (time unit: days), with
 * where they come from and the value thresholds of the predictive segments, so that every
 * instance scores and segments alike.
 *
 * @param frequency BG/NBD parameters
 * @param spend Gamma-Gamma parameters, or null without a spend model (too few repeat buyers with
 *     spend in the sample, or a fit whose mean spend is infinite, q &lt;= 1)
 * @param source FITTED or FILE
 * @param customers summaries behind the fit (0 for FILE)
 * @param logLikelihood BG/NBD log-likelihood of the fit (NaN for FILE)
 * @param fittedAt event time of the model version that fitted or loaded them
 * @param fittedInVersion that version
 * @param highValue value from which a customer is high value (see {@link Prediction#value()}):
 *     a quantile of the sample's values; +Infinity when there was no sample to take it from
 * @param typicalValue the median of the sample's values (+Infinity without a sample)
 */
public record ClvModel(BgNbdParameters frequency, GammaGammaParameters spend, Source source, long customers,
    double logLikelihood, long fittedAt, long fittedInVersion, double highValue, double typicalValue) {
  /** Where the parameters come from. */
  public enum Source { FITTED, FILE }

  public boolean hasSpend() {
    return spend != null;
  }
}
