package io.segmenter.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeparationTest {
  /** Two tight pairs 10 apart: a(i) = 1, b(i) about 10, so every silhouette is about 0.9. */
  private static final List<double[]> POINTS = List.of(
      new double[] {0, 0}, new double[] {1, 0}, new double[] {10, 0}, new double[] {11, 0});

  @Test
  void twoWellSeparatedSegmentsScoreNearOneAndAMixedLabellingBelowZero() {
    Separation apart = Separation.of(POINTS, new int[] {5, 5, 682_000_001, 682_000_001});
    // s = (b - a) / b with a = 1 and b = (10 + 11) / 2 for the outer points, (9 + 10) / 2 for the inner.
    double expected = (2 * (1 - 1 / 10.5) + 2 * (1 - 1 / 9.5)) / 4;
    assertThat(apart.points()).isEqualTo(4);
    assertThat(apart.mean()).isCloseTo(expected, within(1e-12));
    assertThat(apart.silhouetteSum()).isCloseTo(4 * expected, within(1e-12));

    Separation mixed = Separation.of(POINTS, new int[] {1, 2, 1, 2});
    assertThat(mixed.mean()).isNegative();
  }

  @Test
  void oneSegmentOrNoPointsSayNothingAndDoNotDiluteTheSum() {
    assertThat(Separation.of(POINTS, new int[] {7, 7, 7, 7})).isEqualTo(Separation.NONE);
    assertThat(Separation.of(List.of(), new int[0])).isEqualTo(Separation.NONE);
    assertThat(Separation.NONE.mean()).isNaN();

    Separation apart = Separation.of(POINTS, new int[] {5, 5, 6, 6});
    assertThat(apart.plus(Separation.NONE)).isEqualTo(apart);
    assertThat(apart.plus(new Separation(-2, 4)).mean()).isCloseTo((apart.silhouetteSum() - 2) / 8, within(1e-12));
  }
}
