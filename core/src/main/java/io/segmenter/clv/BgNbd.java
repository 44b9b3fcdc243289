package io.segmenter.clv;

import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.Collection;
import org.apache.commons.math3.special.Beta;

/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie &amp; Lee, "Counting Your Customers the Easy
 * Way", Marketing Science 2005) for one parameter set: while alive, a customer buys at a Poisson
 * rate; after each purchase they drop out with some probability; rates and drop-out probabilities
 * vary across customers (Gamma and Beta). Times are in the unit of the parameters' alpha.
 *
 * <p>Everything is computed in log space, so that the figures stay finite for extreme summaries
 * (x = 1000, T close to 0); probabilities are always in [0, 1]. Constants that depend only on the
 * parameters are computed once here; each call is then a few logs, exps and (for expectations) one
 * short hypergeometric series.
 */
public final class BgNbd {
  private final BgNbdParameters p;
  private final double r;
  private final double alpha;
  private final double a;
  private final double b;
  private final double logA;
  private final double logBetaAB;
  private final double logGammaR;
  private final double logAlpha;

  private BgNbd(BgNbdParameters p) {
    this.p = p;
    this.r = p.r();
    this.alpha = p.alpha();
    // a = 1 makes (a + b + x - 1) / (a - 1) in the expectations 0/0; the limit is smooth, so a
    // parameter a hair away from 1 gives it to well within the model's accuracy.
    this.a = Math.abs(p.a() - 1) < 1e-9 ? 1 + 1e-9 : p.a();
    this.b = p.b();
    this.logA = Math.log(a);
    this.logBetaAB = Beta.logBeta(a, b);
    this.logGammaR = logGamma(r);
    this.logAlpha = Math.log(alpha);
  }

  public static BgNbd of(BgNbdParameters parameters) {
    return new BgNbd(parameters);
  }

  public BgNbdParameters parameters() {
    return p;
  }

  /** Log-likelihood of one customer's summary (x, t_x, T) (paper, equation 6). */
  public double logLikelihood(long x, double tx, double T) {
    return logLikelihood(x, tx, T, logGamma(r + x) - logGammaR + Beta.logBeta(a, b + x) - logBetaAB,
        x > 0 ? logA - Math.log(b + x - 1) : 0);
  }

  /** With the terms that depend on x only given (the fit computes them once per distinct x). */
  double logLikelihood(long x, double tx, double T, double logCountTerms, double logDropTerm) {
    double a1 = logCountTerms + r * logAlpha;
    double a3 = -(r + x) * Math.log(alpha + T);
    if (x == 0) return a1 + a3;
    double a4 = logDropTerm - (r + x) * Math.log(alpha + tx);
    return a1 + logSumExp(a3, a4);
  }

  /** Sum of the log-likelihoods of the summaries. */
  public double logLikelihood(Collection<CustomerSummary> summaries) {
    double sum = 0;
    for (CustomerSummary s : summaries) sum += logLikelihood(s.x(), s.tx(), s.T());
    return sum;
  }

  /**
   * P(alive | x, t_x, T): the probability that the customer has not dropped out by T. Exactly 1 for
   * x = 0 (in the model a customer can only drop out just after a purchase).
   */
  public double probabilityAlive(long x, double tx, double T) {
    if (x == 0) return 1;
    return 1 / (1 + Math.exp(logDeadOverAlive(x, tx, T)));
  }

  /** log of (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x), the odds of having dropped out. */
  private double logDeadOverAlive(long x, double tx, double T) {
    return logA - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  }

  /**
   * The age T at which P(alive) falls below {@code threshold} if the customer (x, t_x) buys nothing
   * more (P(alive) only falls as T grows); +Infinity for x = 0, where it never does. Closed form: the
   * odds of having dropped out reach (1 - threshold) / threshold.
   */
  public double ageWhenProbabilityAliveFallsBelow(long x, double tx, double threshold) {
    if (x == 0) return Double.POSITIVE_INFINITY;
    double logOdds = Math.log((1 - threshold) / threshold);
    double logRatio = (logOdds - logA + Math.log(b + x - 1)) / (r + x);
    return Math.max(tx, (alpha + tx) * Math.exp(logRatio) - alpha);
  }

  /**
   * Expected number of purchases in (T, T + t] of a customer with summary (x, t_x, T) (paper,
   * equation 10): P(alive) * (a+b+x-1)/(a-1) * [1 - (1-z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z)] with
   * z = t / (alpha + T + t), its series summed in the better of two equal forms ({@link #series}).
   */
  public double expectedPurchases(long x, double tx, double T, double t) {
    if (t <= 0) return 0;
    double z = t / (alpha + T + t);
    Series series = series(x);
    double f = Hypergeometric2F1.value(series.a(), series.b(), series.c(), z);
    return expectation(probabilityAlive(x, tx, T) * series.c() / (a - 1), series, z, f);
  }

  /**
   * The 2F1 of equation 10, 2F1(r+x, b+x; a+b+x-1; z) times (1-z)^(r+x), in whichever of two equal
   * forms has the smaller terms: as it stands, or after Euler's transformation, (1-z)^(a-1)
   * 2F1(a+b-r-1, a-1; a+b+x-1; z). The transformed form keeps a large x harmless (its parameters do
   * not grow with x while its denominator does); the form as it stands keeps large a and b harmless
   * (a fit on a sample without visible drop-out runs a and b off into the billions, and the
   * transformed series' terms would then grow like (a z)^n / n! and overflow). The size of the terms
   * is told by the first term's ratio, which is the same for every z but for the factor z.
   */
  private Series series(long x) {
    double c = a + b + x - 1;
    double euler = Math.abs((a + b - r - 1) * (a - 1));
    double plain = Math.abs((r + x) * (b + x));
    return euler <= plain ? new Series(a + b - r - 1, a - 1, c, a - 1) : new Series(r + x, b + x, c, r + x);
  }

  /** 2F1(a, b; c; z) times (1-z)^power is the factor of equation 10. */
  private record Series(double a, double b, double c, double power) { }

  /** Equation 10 from the value f of the series at z; scale = P(alive) (a+b+x-1) / (a-1). */
  private static double expectation(double scale, Series series, double z, double f) {
    double bracket = 1 - Math.exp(series.power() * Math.log1p(-z)) * f;
    return Math.max(0, scale * bracket);
  }

  /**
   * {@link #expectedPurchases(long, double, double, double)} for several horizons at once, into
   * {@code out[i]} for {@code t[i]} (each &gt; 0): P(alive) once, and the hypergeometric series of all
   * the horizons from shared coefficients ({@link Hypergeometric2F1#values}). The same figures as
   * one call per horizon, to rounding, for a fraction of the cost.
   */
  public void expectedPurchases(long x, double tx, double T, double[] t, double[] out) {
    int m = t.length;
    double[] z = new double[m];
    for (int i = 0; i < m; i++) {
      if (!(t[i] > 0)) throw new IllegalArgumentException("horizons must be positive: " + t[i]);
      z[i] = t[i] / (alpha + T + t[i]);
    }
    Series series = series(x);
    Hypergeometric2F1.values(series.a(), series.b(), series.c(), z, out);
    double scale = probabilityAlive(x, tx, T) * series.c() / (a - 1);
    for (int i = 0; i < m; i++) out[i] = expectation(scale, series, z[i], out[i]);
  }

  /** Expected number of purchases in (0, t] of a customer just acquired (paper, equation 9). */
  public double expectedPurchases(double t) {
    return expectedPurchases(0, 0, 0, t);
  }

  /**
   * P(X(t) = n): probability that a customer just acquired makes exactly n purchases in (0, t]
   * (paper, equation 8), in log space.
   */
  public double probabilityOfPurchases(int n, double t) {
    if (n < 0) return 0;
    if (t <= 0) return n == 0 ? 1 : 0;
    double logStay = r * (logAlpha - Math.log(alpha + t));   // log (alpha / (alpha + t))^r
    double logMove = Math.log(t) - Math.log(alpha + t);       // log (t / (alpha + t))
    double first = Beta.logBeta(a, b + n) - logBetaAB + nbdLogProbability(n, logStay, logMove);
    if (n == 0) return clamp(Math.exp(first));
    double below = 0;
    for (int j = 0; j < n; j++) below += Math.exp(nbdLogProbability(j, logStay, logMove));
    double second = Math.exp(Beta.logBeta(a + 1, b + n - 1) - logBetaAB) * Math.max(0, 1 - below);
    return clamp(Math.exp(first) + second);
  }

  /** log of Gamma(r+j) / (Gamma(r) j!) (alpha/(alpha+t))^r (t/(alpha+t))^j: the NBD probability of j. */
  private double nbdLogProbability(int j, double logStay, double logMove) {
    return logGamma(r + j) - logGammaR - logGamma(j + 1.0) + logStay + j * logMove;
  }

  private static double clamp(double probability) {
    return Math.min(1, Math.max(0, probability));
  }

  static double logSumExp(double u, double v) {
    double m = Math.max(u, v);
    if (m == Double.NEGATIVE_INFINITY) return m;
    return m + Math.log(Math.exp(u - m) + Math.exp(v - m));
  }

  /** Maximum-likelihood parameters for the summaries; see {@link BgNbdFitter}. */
  public static BgNbdFit fit(Collection<CustomerSummary> summaries) {
    return BgNbdFitter.fit(summaries);
  }
}
