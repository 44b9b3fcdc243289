package io.segmenter.clv;

import java.util.List;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the predictive parameters of each new model version: the model aggregator (one for the
 * whole application) calls it as it cuts a version, so that every instance scores with the same
 * parameters. It keeps the reservoir of summaries the tasks send, and every
 * {@link ClvSettings#fitEveryVersions()} versions (and as soon as the reservoir holds
 * {@link ClvSettings#minFitCustomers()} summaries for the first time) fits BG/NBD and, with enough
 * repeat buyers, Gamma-Gamma on it; or, with a parameters file, publishes the file's parameters.
 * Either way the value thresholds of the predictive segments are quantiles of the reservoir's values
 * under the new parameters. Deterministic: the same summaries in the same order give the same bits.
 */
public final class ClvFitter {
  private static final Logger LOG = LoggerFactory.getLogger(ClvFitter.class);

  private final ClvSettings settings;
  private final ClvModel fileModel;
  private final SummaryReservoir reservoir;

  /**
   * @param fileModel parameters from a file (then nothing is estimated), or null
   * @param reservoir the reservoir, restored from the aggregator's state or empty
   */
  public ClvFitter(ClvSettings settings, ClvModel fileModel, SummaryReservoir reservoir) {
    this.settings = settings;
    this.fileModel = fileModel;
    this.reservoir = reservoir;
  }

  public SummaryReservoir reservoir() {
    return reservoir;
  }

  public void offer(List<CustomerSummary> summaries) {
    for (CustomerSummary s : summaries) reservoir.offer(s);
  }

  /**
   * The parameters version {@code version} publishes: the current ones while no fit is due, new ones
   * when one is. Null while there is nothing to publish (no file, and too few summaries).
   *
   * @param createdAt the version's event time, recorded as the fit time
   */
  public ClvModel forVersion(ClvModel current, long version, long createdAt) {
    boolean due = current == null || version - current.fittedInVersion() >= settings.fitEveryVersions();
    if (!due) return current;
    List<CustomerSummary> sample = reservoir.contents();
    boolean enough = sample.size() >= settings.minFitCustomers();
    if (fileModel != null) {
      ClvModel loaded = new ClvModel(fileModel.frequency(), fileModel.spend(), ClvModel.Source.FILE, 0, Double.NaN,
          createdAt, version, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
      if (!enough) return current != null ? current : loaded;
      ClvModel withThresholds = withThresholds(loaded, sample);
      if (withThresholds != null) return withThresholds;
      LOG.warn("The predictive parameters file gives non-finite values for some of {} summaries: the value rules stay off",
          sample.size());
      return loaded;
    }
    if (!enough) return current;
    try {
      BgNbdFit frequency = BgNbd.fit(sample);
      GammaGammaParameters spend = spendModel(sample);
      ClvModel fitted = new ClvModel(frequency.parameters(), spend, ClvModel.Source.FITTED, frequency.customers(),
          frequency.logLikelihood(), createdAt, version, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
      ClvModel published = withThresholds(fitted, sample);
      if (published != null) return published;
      // Parameters that cannot score the very sample they were fitted on would publish NaN scores
      // and thresholds (and NaN compares unequal to itself, in Avro records too): keep the ones in force.
      LOG.warn("Predictive model fit on {} summaries gives non-finite values ({}), keeping the current parameters",
          sample.size(), frequency.parameters());
      return current;
    } catch (RuntimeException e) {
      // A sample the optimiser cannot handle must not stop the model: keep the parameters in force.
      LOG.warn("Predictive model fit on {} summaries failed, keeping the current parameters: {}", sample.size(),
          e.toString());
      return current;
    }
  }

  /** Gamma-Gamma when enough repeat buyers with spend, and only if its mean spend is finite (q > 1). */
  private static GammaGammaParameters spendModel(List<CustomerSummary> sample) {
    long buyers = sample.stream().filter(s -> s.x() > 0 && s.meanRepeatSpend() > 0).count();
    if (buyers < ClvSettings.MIN_SPEND_CUSTOMERS) return null;
    GammaGammaParameters p = GammaGamma.fit(sample).parameters();
    return p.q() > 1 ? p : null;
  }

  /** The model with its value thresholds from the sample; null if a value is not finite. */
  private ClvModel withThresholds(ClvModel m, List<CustomerSummary> sample) {
    Predictor predictor = new Predictor(m, settings);
    double[] values = new double[sample.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = predictor.score(sample.get(i)).value();
      if (!Double.isFinite(values[i])) return null;
    }
    Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
    percentile.setData(values);
    return new ClvModel(m.frequency(), m.spend(), m.source(), m.customers(), m.logLikelihood(), m.fittedAt(),
        m.fittedInVersion(), percentile.evaluate(settings.highValueQuantile() * 100), percentile.evaluate(50));
  }
}
