package io.segmenter.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClvFitterTest {
  /**
   * Parameters no form of the series can score (a rate of 1,000 purchases a day, no drop-out: the
   * terms overflow) must not put NaN thresholds into the model version: the value rules stay off.
   */
  @Test
  void parametersThatCannotScoreLeaveTheValueRulesOffInsteadOfPublishingNaN() {
    ClvModel file = new ClvModel(new BgNbdParameters(1e6, 1e3, 1e11, 1e17), new GammaGammaParameters(6.25, 3.74, 15.44),
        ClvModel.Source.FILE, 0, Double.NaN, 0, 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    List<CustomerSummary> sample = sample(600);
    Predictor predictor = new Predictor(file, ClvSettings.defaults());
    assertFalse(sample.stream().allMatch(s -> Double.isFinite(predictor.score(s).value())),
        "the parameters must really fail to score, or this test tests nothing");

    ClvFitter fitter = new ClvFitter(ClvSettings.defaults(), file, new SummaryReservoir(5000, 1));
    fitter.offer(sample);
    ClvModel published = fitter.forVersion(null, 1, 0);
    assertNotNull(published);
    assertEquals(Double.POSITIVE_INFINITY, published.highValue());
    assertEquals(Double.POSITIVE_INFINITY, published.typicalValue());
  }

  @Test
  void aFitOnARealisticSamplePublishesFiniteThresholds() {
    ClvFitter fitter = new ClvFitter(ClvSettings.defaults(), null, new SummaryReservoir(5000, 1));
    fitter.offer(sample(600));
    ClvModel published = fitter.forVersion(null, 1, 0);
    assertNotNull(published);
    assertEquals(ClvModel.Source.FITTED, published.source());
    assertTrue(Double.isFinite(published.highValue()), "high-value threshold " + published.highValue());
    assertTrue(Double.isFinite(published.typicalValue()), "typical-value threshold " + published.typicalValue());
  }

  /** Customers who buy at a Gamma-distributed rate and drop out after a purchase with probability 0.2. */
  private static List<CustomerSummary> sample(int customers) {
    SplittableRandom random = new SplittableRandom(7);
    List<CustomerSummary> out = new ArrayList<>();
    for (int i = 0; i < customers; i++) {
      double age = random.nextDouble(1, 365);
      double rate = -Math.log(1 - random.nextDouble()) / 30;
      long x = 0;
      double last = 0;
      for (double t = -Math.log(1 - random.nextDouble()) / rate; t <= age; t += -Math.log(1 - random.nextDouble()) / rate) {
        x++;
        last = t;
        if (random.nextDouble() < 0.2) break;
      }
      out.add(new CustomerSummary(x, last, age, x == 0 ? 0 : random.nextDouble(10, 100)));
    }
    return out;
  }
}
