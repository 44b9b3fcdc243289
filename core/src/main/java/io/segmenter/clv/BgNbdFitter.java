package io.segmenter.clv;

import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.special.Beta;

/**
 * Maximum-likelihood BG/NBD fit ({@link MaximumLikelihood}). Identical summaries are counted once
 * with a weight, and the Gamma and Beta terms, which depend on x only, are computed once per
 * distinct x per evaluation: CDNOW's 2,357 customers fit in a fraction of a second.
 */
final class BgNbdFitter {
  private BgNbdFitter() { }

  static BgNbdFit fit(Collection<CustomerSummary> summaries) {
    if (summaries.isEmpty()) throw new IllegalArgumentException("no summaries to fit");
    Map<CustomerSummary, Integer> weights = new LinkedHashMap<>();
    for (CustomerSummary s : summaries) weights.merge(CustomerSummary.of(s.x(), s.tx(), s.T()), 1, Integer::sum);
    int n = weights.size();
    long[] xs = new long[n];
    double[] txs = new double[n];
    double[] ts = new double[n];
    double[] w = new double[n];
    int i = 0;
    long maxX = 0;
    for (Map.Entry<CustomerSummary, Integer> e : weights.entrySet()) {
      xs[i] = e.getKey().x();
      txs[i] = e.getKey().tx();
      ts[i] = e.getKey().T();
      w[i++] = e.getValue();
      maxX = Math.max(maxX, e.getKey().x());
    }
    long[] distinctX = java.util.Arrays.stream(xs).distinct().sorted().toArray();
    int[] xIndex = new int[n];
    for (int k = 0; k < n; k++) xIndex[k] = java.util.Arrays.binarySearch(distinctX, xs[k]);
    double[] countTerms = new double[distinctX.length];
    double[] dropTerms = new double[distinctX.length];
    MaximumLikelihood.Result best = MaximumLikelihood.maximise(params -> {
      BgNbdParameters p;
      try {
        p = new BgNbdParameters(params[0], params[1], params[2], params[3]);
      } catch (IllegalArgumentException e) {
        return Double.NEGATIVE_INFINITY;
      }
      BgNbd model = BgNbd.of(p);
      double logBetaAB = Beta.logBeta(p.a(), p.b());
      double logGammaR = logGamma(p.r());
      for (int k = 0; k < distinctX.length; k++) {
        long x = distinctX[k];
        countTerms[k] = logGamma(p.r() + x) - logGammaR + Beta.logBeta(p.a(), p.b() + x) - logBetaAB;
        dropTerms[k] = x > 0 ? Math.log(p.a()) - Math.log(p.b() + x - 1) : 0;
      }
      double sum = 0;
      for (int k = 0; k < n; k++) {
        sum += w[k] * model.logLikelihood(xs[k], txs[k], ts[k], countTerms[xIndex[k]], dropTerms[xIndex[k]]);
      }
      return sum;
    }, new double[] {1, meanT(ts, w), 1, 1});
    double[] q = best.parameters();
    return new BgNbdFit(new BgNbdParameters(q[0], q[1], q[2], q[3]), best.logLikelihood(), best.evaluations(),
        summaries.size());
  }

  /** A start for alpha on the scale of the data (alpha is a time). */
  private static double meanT(double[] ts, double[] w) {
    double s = 0;
    double n = 0;
    for (int k = 0; k < ts.length; k++) {
      s += ts[k] * w[k];
      n += w[k];
    }
    return Math.max(1e-3, s / n);
  }
}
