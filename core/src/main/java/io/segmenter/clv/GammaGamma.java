package io.segmenter.clv;

import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The Gamma-Gamma model of spend per transaction (Fader, Hardie &amp; Lee, "RFM and CLV: Using
 * Iso-Value Curves", JMR 2005; Colombo &amp; Jiang 1999): a customer's purchases vary around their own
 * mean, and the means vary across customers. Fitted on repeat customers only (x &gt; 0, the mean of
 * the repeat purchases); assumes spend independent of purchase frequency.
 */
public final class GammaGamma {
  private final GammaGammaParameters p;

  private GammaGamma(GammaGammaParameters p) {
    this.p = p;
  }

  public static GammaGamma of(GammaGammaParameters parameters) {
    return new GammaGamma(parameters);
  }

  public GammaGammaParameters parameters() {
    return p;
  }

  /**
   * Log-likelihood of one repeat customer: x repeat purchases of mean value m (x &gt; 0, m &gt; 0).
   */
  public double logLikelihood(long x, double m) {
    double px = p.p() * x;
    return logGamma(px + p.q()) - logGamma(px) - logGamma(p.q()) + p.q() * Math.log(p.gamma())
        + (px - 1) * Math.log(m) + px * Math.log(x) - (px + p.q()) * Math.log(p.gamma() + x * m);
  }

  /**
   * Expected spend per future purchase of a customer with x repeat purchases of mean m: a weighted
   * mean of the population mean and the customer's own, (gamma + x m) p / (p x + q - 1). For x = 0
   * the population mean p gamma / (q - 1). Infinite when p x + q &lt;= 1 (q &lt;= 1 and x = 0: the
   * population mean does not exist); the service publishes no spend model then.
   */
  public double conditionalExpectedSpend(long x, double m) {
    double denominator = p.p() * x + p.q() - 1;
    if (denominator <= 0) return Double.POSITIVE_INFINITY;
    return (p.gamma() + x * (x > 0 ? m : 0)) * p.p() / denominator;
  }

  public double populationMeanSpend() {
    return conditionalExpectedSpend(0, 0);
  }

  /** Maximum-likelihood parameters on the summaries with x &gt; 0 and a positive mean spend. */
  public static GammaGammaFit fit(Collection<CustomerSummary> summaries) {
    List<CustomerSummary> repeat = new ArrayList<>();
    for (CustomerSummary s : summaries) {
      if (s.x() > 0 && s.meanRepeatSpend() > 0) repeat.add(s);
    }
    if (repeat.isEmpty()) throw new IllegalArgumentException("no repeat customer with spend to fit");
    double meanSpend = repeat.stream().mapToDouble(CustomerSummary::meanRepeatSpend).average().orElse(1);
    Sample sample = new Sample(repeat);
    MaximumLikelihood.Result best = MaximumLikelihood.maximise(params -> {
      GammaGammaParameters g;
      try {
        g = new GammaGammaParameters(params[0], params[1], params[2]);
      } catch (IllegalArgumentException e) {
        return Double.NEGATIVE_INFINITY;
      }
      return sample.logLikelihood(g);
    }, new double[] {1, 1, meanSpend});
    double[] q = best.parameters();
    return new GammaGammaFit(new GammaGammaParameters(q[0], q[1], q[2]), best.logLikelihood(), best.evaluations(),
        repeat.size());
  }

  /**
   * The repeat customers arranged for the optimiser, which evaluates the summed log-likelihood a few
   * hundred times per fit: of the terms of {@link #logLikelihood(long, double)}, those that depend on
   * x alone are computed once per distinct x (few: repeat purchase counts), and those linear in
   * log m are sums known in advance; only log(gamma + x m) is left per customer and evaluation.
   */
  static final class Sample {
    private final long[] distinctX;
    private final long[] countOfX;
    private final long[] x;
    private final double[] m;
    /** Sum of x log m, sum of log m, sum of x log x. */
    private final double sumXLogM;
    private final double sumLogM;
    private final double sumXLogX;

    Sample(List<CustomerSummary> repeat) {
      x = new long[repeat.size()];
      m = new double[repeat.size()];
      java.util.TreeMap<Long, Long> counts = new java.util.TreeMap<>();
      double xLogM = 0;
      double logM = 0;
      double xLogX = 0;
      for (int i = 0; i < x.length; i++) {
        CustomerSummary s = repeat.get(i);
        x[i] = s.x();
        m[i] = s.meanRepeatSpend();
        counts.merge(x[i], 1L, Long::sum);
        xLogM += x[i] * Math.log(m[i]);
        logM += Math.log(m[i]);
        xLogX += x[i] * Math.log(x[i]);
      }
      sumXLogM = xLogM;
      sumLogM = logM;
      sumXLogX = xLogX;
      distinctX = counts.keySet().stream().mapToLong(Long::longValue).toArray();
      countOfX = counts.values().stream().mapToLong(Long::longValue).toArray();
    }

    /** The sum over the customers of {@link GammaGamma#logLikelihood(long, double)}, regrouped. */
    double logLikelihood(GammaGammaParameters g) {
      double pp = g.p();
      double q = g.q();
      double gamma = g.gamma();
      double sum = x.length * (q * Math.log(gamma) - logGamma(q)) + pp * sumXLogM - sumLogM + pp * sumXLogX;
      for (int k = 0; k < distinctX.length; k++) {
        double px = pp * distinctX[k];
        sum += countOfX[k] * (logGamma(px + q) - logGamma(px));
      }
      for (int i = 0; i < x.length; i++) sum -= (pp * x[i] + q) * Math.log(gamma + x[i] * m[i]);
      return sum;
    }
  }
}
