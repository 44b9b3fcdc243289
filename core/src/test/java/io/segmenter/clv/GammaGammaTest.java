package io.segmenter.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Gamma-Gamma against the published CDNOW estimates (Fader, Hardie &amp; Lee 2005, JMR). */
class GammaGammaTest {
  @Test
  void fitOnTheRepeatCustomersOfCdnowMatchesThePublishedEstimates() {
    List<CustomerSummary> all = Cdnow.summariesWithSpend();
    GammaGammaFit fit = GammaGamma.fit(all);
    GammaGammaParameters p = fit.parameters();
    System.out.printf("Gamma-Gamma on CDNOW (%d repeat customers): p=%.4f q=%.4f gamma=%.4f LL=%.2f (%d evaluations)%n",
        fit.customers(), p.p(), p.q(), p.gamma(), fit.logLikelihood(), fit.evaluations());
    assertEquals(946, fit.customers());
    assertEquals(6.25, p.p(), 0.02);
    assertEquals(3.74, p.q(), 0.02);
    assertEquals(15.44, p.gamma(), 0.02);
  }

  @Test
  void expectedSpendShrinksTheCustomersMeanTowardsThePopulations() {
    GammaGamma g = GammaGamma.of(new GammaGammaParameters(6.25, 3.74, 15.44));
    double population = g.populationMeanSpend();
    assertEquals(6.25 * 15.44 / 2.74, population, 1e-9);
    double few = g.conditionalExpectedSpend(1, 100);
    double many = g.conditionalExpectedSpend(50, 100);
    assertTrue(population < few && few < many && many < 100, population + " < " + few + " < " + many + " < 100");
    assertEquals(population, g.conditionalExpectedSpend(0, 0), 1e-12);
    assertTrue(Double.isInfinite(GammaGamma.of(new GammaGammaParameters(1, 0.5, 1)).populationMeanSpend()));
  }

  @Test
  void theRegroupedSumIsTheSumOfTheCustomersLogLikelihoods() {
    java.util.Random r = new java.util.Random(5);
    java.util.List<CustomerSummary> repeat = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      repeat.add(new CustomerSummary(1 + r.nextInt(12), 10, 40, 5 + 100 * r.nextDouble()));
    }
    GammaGamma.Sample sample = new GammaGamma.Sample(repeat);
    for (double[] p : new double[][] {{1, 1, 20}, {6.25, 3.74, 15.44}, {0.3, 8, 2}}) {
      GammaGamma g = GammaGamma.of(new GammaGammaParameters(p[0], p[1], p[2]));
      double direct = 0;
      for (CustomerSummary s : repeat) direct += g.logLikelihood(s.x(), s.meanRepeatSpend());
      assertEquals(direct, sample.logLikelihood(g.parameters()), 1e-8 * Math.abs(direct));
    }
  }
}
