package io.segmenter.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** BG/NBD against the published CDNOW results (Fader, Hardie &amp; Lee 2005) and its own identities. */
class BgNbdTest {
  /** The paper's estimates (weeks). */
  static final BgNbdParameters PUBLISHED = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);

  @Test
  void fitOnCdnowMatchesThePublishedEstimates() {
    List<CustomerSummary> cdnow = Cdnow.summaries();
    assertEquals(2357, cdnow.size());
    long start = System.nanoTime();
    BgNbdFit fit = BgNbd.fit(cdnow);
    long ms = (System.nanoTime() - start) / 1_000_000;
    BgNbdParameters p = fit.parameters();
    System.out.printf("BG/NBD on CDNOW (%d customers): r=%.4f alpha=%.4f a=%.4f b=%.4f LL=%.2f (%d evaluations, %d ms)%n",
        fit.customers(), p.r(), p.alpha(), p.a(), p.b(), fit.logLikelihood(), fit.evaluations(), ms);
    assertEquals(0.243, p.r(), 0.01);
    assertEquals(4.414, p.alpha(), 0.01);
    assertEquals(0.793, p.a(), 0.01);
    assertEquals(2.426, p.b(), 0.01);
    assertEquals(-9582.4, fit.logLikelihood(), 0.5);
    assertEquals(fit.logLikelihood(), BgNbd.of(p).logLikelihood(cdnow), 1e-6);
    assertTrue(fit.logLikelihood() >= BgNbd.of(PUBLISHED).logLikelihood(cdnow) - 1e-6, "the fit is at least as likely as the rounded published values");
  }

  @Test
  void fitIsDeterministic() {
    List<CustomerSummary> cdnow = Cdnow.summaries();
    assertEquals(BgNbd.fit(cdnow), BgNbd.fit(cdnow));
  }

  @Test
  void conditionalExpectationMatchesTheWorkedExample() {
    // Fader & Hardie's Excel note: customer x=2, t_x=30.43, T=38.86 expects 1.226 purchases in 39 weeks.
    assertEquals(1.226, BgNbd.of(PUBLISHED).expectedPurchases(2, 30.43, 38.86, 39), 0.001);
  }

  @Test
  void expectationEqualsANumericalIntegralOverTheLatentVariables() {
    BgNbd m = BgNbd.of(PUBLISHED);
    // The midpoint rule on quantiles is accurate to about 1e-4 here (1/p is singular at p = 0).
    assertEquals(bruteForceUnconditional(PUBLISHED, 39), m.expectedPurchases(39), 2e-4 * m.expectedPurchases(39));
    assertEquals(bruteForceUnconditional(PUBLISHED, 78), m.expectedPurchases(78), 2e-4 * m.expectedPurchases(78));
    // A customer just acquired (x=0, T=0) is the unconditional case.
    assertEquals(m.expectedPurchases(39), m.expectedPurchases(0, 0, 0, 39), 1e-12);
  }

  /**
   * E[X(t)] by the paper's own construction, independently of the 2F1: given lambda and p, the
   * purchases until drop-out are a geometric number of Poisson events, E = (1/p)(1 - e^{-lambda p t})
   * (paper, equation 7 before mixing); integrated numerically over Gamma(r, alpha) and Beta(a, b).
   */
  private static double bruteForceUnconditional(BgNbdParameters q, double t) {
    org.apache.commons.math3.distribution.GammaDistribution lambda =
        new org.apache.commons.math3.distribution.GammaDistribution(q.r(), 1 / q.alpha());
    org.apache.commons.math3.distribution.BetaDistribution drop =
        new org.apache.commons.math3.distribution.BetaDistribution(q.a(), q.b());
    int n = 3000;
    double[] lambdas = new double[n];
    double[] drops = new double[n];
    for (int i = 0; i < n; i++) {
      lambdas[i] = lambda.inverseCumulativeProbability((i + 0.5) / n);
      drops[i] = drop.inverseCumulativeProbability((i + 0.5) / n);
    }
    double sum = 0;
    for (double l : lambdas) {
      for (double pr : drops) sum += -Math.expm1(-l * pr * t) / pr;
    }
    return sum / ((double) n * n);
  }

  @Test
  void purchaseCountDistributionSumsToOneAndHasTheExpectedMean() {
    BgNbd m = BgNbd.of(PUBLISHED);
    double total = 0;
    double mean = 0;
    for (int n = 0; n < 400; n++) {
      double pn = m.probabilityOfPurchases(n, 39);
      assertTrue(pn >= 0 && pn <= 1);
      total += pn;
      mean += n * pn;
    }
    assertEquals(1, total, 1e-9);
    assertEquals(m.expectedPurchases(39), mean, 1e-6);
  }

  @Test
  void pAliveFallsWithAgeAndTheCrossingAgeIsExact() {
    BgNbd m = BgNbd.of(PUBLISHED);
    assertEquals(1, m.probabilityAlive(0, 0, 50));
    double young = m.probabilityAlive(5, 20, 21);
    double old = m.probabilityAlive(5, 20, 60);
    assertTrue(young > old, young + " > " + old);
    double age = m.ageWhenProbabilityAliveFallsBelow(5, 20, 0.3);
    assertEquals(0.3, m.probabilityAlive(5, 20, age), 1e-9);
    assertTrue(m.probabilityAlive(5, 20, age * 1.001) < 0.3);
  }

  @Test
  void extremeSummariesGiveFiniteFiguresAndProbabilitiesInRange() {
    BgNbd m = BgNbd.of(PUBLISHED);
    CustomerSummary[] extremes = {
        CustomerSummary.of(1000, 10, 100), CustomerSummary.of(0, 0, 100), CustomerSummary.of(0, 0, 1e-9),
        CustomerSummary.of(3, 1e-9, 1e-9), CustomerSummary.of(1000, 100, 100), CustomerSummary.of(1, 0, 1e6),
        CustomerSummary.of(100_000, 5, 1e5)};
    for (CustomerSummary s : extremes) {
      double pa = m.probabilityAlive(s.x(), s.tx(), s.T());
      assertTrue(pa >= 0 && pa <= 1, s + " P(alive) " + pa);
      assertTrue(Double.isFinite(m.logLikelihood(s.x(), s.tx(), s.T())), s + " LL");
      for (double t : new double[] {1e-6, 1, 39, 1e4}) {
        double e = m.expectedPurchases(s.x(), s.tx(), s.T(), t);
        assertTrue(Double.isFinite(e) && e >= 0, s + " E[Y(" + t + ")] = " + e);
      }
    }
    // x = 1000 in 10 weeks, silent for 90 more: surely gone, and expecting almost nothing.
    assertTrue(m.probabilityAlive(1000, 10, 100) < 1e-6);
    // ... but the same customer seen at t_x = T is alive and expects about 1000/T per week.
    double e = m.expectedPurchases(1000, 100, 100, 1);
    assertTrue(e > 5 && e < 11, "expected " + e);
    for (int n = 0; n < 5; n++) {
      double pn = m.probabilityOfPurchases(n, 1e-9);
      assertTrue(pn >= 0 && pn <= 1);
    }
  }

  @Test
  void oneCurveGivesTheExpectationsOfEachHorizon() {
    BgNbd m = BgNbd.of(PUBLISHED);
    double[] horizons = {1e-6, 1, 4.3, 12.9, 39, 52, 1e4};
    CustomerSummary[] customers = {
        CustomerSummary.of(0, 0, 0), CustomerSummary.of(0, 0, 1e-9), CustomerSummary.of(2, 30.43, 38.86),
        CustomerSummary.of(1, 0.5, 1), CustomerSummary.of(7, 20, 60), CustomerSummary.of(1000, 10, 100),
        CustomerSummary.of(100_000, 5, 1e5)};
    for (CustomerSummary s : customers) {
      double[] curve = new double[horizons.length];
      m.expectedPurchases(s.x(), s.tx(), s.T(), horizons, curve);
      for (int i = 0; i < horizons.length; i++) {
        double one = m.expectedPurchases(s.x(), s.tx(), s.T(), horizons[i]);
        assertEquals(one, curve[i], 1e-12 * one + 1e-300, s + " at t = " + horizons[i]);
      }
    }
    assertEquals(1.226, curveAt(m, 2, 30.43, 38.86, 39), 0.001);
  }

  private static double curveAt(BgNbd m, long x, double tx, double T, double t) {
    double[] out = new double[1];
    m.expectedPurchases(x, tx, T, new double[] {t}, out);
    return out[0];
  }

  /**
   * Parameters a fit produced in CrashIT on a synthetic sample without visible drop-out (a and b in
   * the billions, r and alpha in the thousands: the Poisson limit). The transformed series overflows
   * for them; the form as it stands does not. In that limit a customer buys at rate
   * (r + x) / (alpha + T) and almost never drops out.
   */
  @Test
  void parametersAtTheNoDropOutLimitGiveThePoissonExpectation() {
    BgNbd m = BgNbd.of(new BgNbdParameters(2747.8670755297007, 26856.546420447485, 1.3035438542836015E11,
        2.9181705394878656E17));
    double[] horizons = {30, 90, 365};
    for (long x : new long[] {0, 1, 5}) {
      double T = 20;
      double rate = (2747.8670755297007 + x) / (26856.546420447485 + T);
      double[] curve = new double[horizons.length];
      m.expectedPurchases(x, x == 0 ? 0 : 10, T, horizons, curve);
      for (int i = 0; i < horizons.length; i++) {
        double one = m.expectedPurchases(x, x == 0 ? 0 : 10, T, horizons[i]);
        assertEquals(rate * horizons[i], one, 1e-4 * rate * horizons[i], "x = " + x + ", t = " + horizons[i]);
        // 1e-9, not 1e-12: here the bracket is 1 - (1 - 1e-6)-ish, which magnifies the series' last bits.
        assertEquals(one, curve[i], 1e-9 * one);
      }
    }
  }
}
