package io.segmenter.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.segmenter.clv.Prediction;
import io.segmenter.clv.PredictiveSegment;
import io.segmenter.evaluation.Scored;
import org.junit.jupiter.api.Test;

class CentreMixTest {
  private static Scored scored(double pAlive, double clv, PredictiveSegment segment) {
    return new Scored(null, new Prediction(pAlive, 0, 0, 0, Double.NaN, clv), segment, null);
  }

  @Test
  void meanPAliveMedianClvAndSharesAreOverTheScoredCustomers() {
    CentreMix mix = new CentreMix.Builder()
        .add(scored(0.9, 100, PredictiveSegment.REGULAR))
        .add(scored(0.5, 300, PredictiveSegment.HIGH_VALUE_STABLE))
        .add(scored(0.1, 20, PredictiveSegment.HIGH_CHURN_RISK))
        .add(scored(0.5, Double.NaN, PredictiveSegment.REGULAR))
        .add(null) // no order yet: sampled, not scored
        .build();
    assertThat(mix.sampled()).isEqualTo(5);
    assertThat(mix.scored()).isEqualTo(4);
    assertThat(mix.pAliveMean()).isCloseTo(0.5, within(1e-12));
    assertThat(mix.clvMedian()).as("median of 20, 100, 300").isEqualTo(100);
    assertThat(mix.predictive().get(PredictiveSegment.REGULAR)).isEqualTo(0.5);
    assertThat(mix.predictive().get(PredictiveSegment.HIGH_CHURN_RISK)).isEqualTo(0.25);
    assertThat(mix.predictive()).doesNotContainKey(PredictiveSegment.NEW_WITH_POTENTIAL);
  }

  @Test
  void withNobodyScoredTheFiguresAreNotNumbers() {
    CentreMix mix = new CentreMix.Builder().add(null).build();
    assertThat(mix.sampled()).isEqualTo(1);
    assertThat(mix.pAliveMean()).isNaN();
    assertThat(mix.clvMedian()).isNaN();
    assertThat(mix.predictive()).isEmpty();
  }
}
