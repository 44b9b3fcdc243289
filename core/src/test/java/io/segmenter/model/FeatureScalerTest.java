package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureScalerTest {
  private static final int DIM = 4;

  private static List<double[]> points(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // Feature 3 is constant: exercises the SD floor.
      out.add(new double[] {r.nextDouble() * 10, 100 + r.nextGaussian() * 3, Math.log1p(r.nextInt(50)), 2.0});
    }
    return out;
  }

  private static FeatureScaler scalerOf(List<double[]> pts) {
    FeatureScaler s = FeatureScaler.empty(DIM);
    for (double[] p : pts) s = s.add(p);
    return s;
  }

  @Test
  void emptyScalerHasZeroWeight() {
    FeatureScaler s = FeatureScaler.empty(DIM);
    assertThat(s.dimension()).isEqualTo(DIM);
    assertThat(s.totalWeight()).isZero();
    assertThat(s.moments()).hasSize(DIM);
    assertThatThrownBy(() -> s.add(new double[DIM + 1])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FeatureScaler.empty(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void standardiseGivesZeroMeanUnitVarianceAndUnstandardiseInvertsIt() {
    List<double[]> pts = points(500, 1);
    FeatureScaler s = scalerOf(pts);
    assertThat(s.totalWeight()).isEqualTo(500.0);
    FeatureScaler zs = FeatureScaler.empty(DIM);
    for (double[] p : pts) zs = zs.add(s.standardise(p));
    for (int i = 0; i < DIM - 1; i++) {
      assertThat(zs.moments().get(i).mean()).isCloseTo(0, within(1e-9));
      assertThat(zs.moments().get(i).variance()).isCloseTo(1, within(1e-9));
    }
    double[] x = pts.get(17);
    double[] z = s.standardise(x);
    for (int i = 0; i < DIM; i++) assertThat(s.unstandardise(i, z[i])).isCloseTo(x[i], within(1e-9));
    // Constant feature: sd taken as 1, so z is just the offset from the mean, and still inverts.
    assertThat(s.standardise(new double[] {0, 0, 0, 5})[3]).isCloseTo(3.0, within(1e-12));
    assertThat(s.unstandardise(3, 3.0)).isCloseTo(5.0, within(1e-12));
  }

  @Test
  void mergeOfTwoHalvesEqualsTheWhole() {
    List<double[]> pts = points(1000, 2);
    FeatureScaler whole = scalerOf(pts);
    FeatureScaler merged = scalerOf(pts.subList(0, 333)).merge(scalerOf(pts.subList(333, 1000)));
    for (int i = 0; i < DIM; i++) {
      RunningMoments a = merged.moments().get(i);
      RunningMoments b = whole.moments().get(i);
      assertThat(a.weight()).isEqualTo(b.weight());
      assertThat(a.mean()).isCloseTo(b.mean(), within(1e-9));
      assertThat(a.variance()).isCloseTo(b.variance(), within(1e-9));
    }
    assertThatThrownBy(() -> whole.merge(FeatureScaler.empty(DIM + 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decayKeepsTheMeanAndScalesTheWeight() {
    FeatureScaler s = scalerOf(points(200, 3));
    FeatureScaler d = s.decay(0.25);
    assertThat(d.totalWeight()).isCloseTo(50.0, within(1e-12));
    double[] x = {1, 2, 3, 4};
    assertThat(d.standardise(x)).containsExactly(s.standardise(x), within(1e-12));
    for (int i = 0; i < DIM; i++) {
      assertThat(d.moments().get(i).mean()).isEqualTo(s.moments().get(i).mean());
    }
    // After decay, new data pulls the mean harder than before.
    double[] outlier = {100, 100, 100, 100};
    assertThat(d.add(outlier).moments().get(0).mean()).isGreaterThan(s.add(outlier).moments().get(0).mean());
    assertThatThrownBy(() -> s.decay(1.5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void accumulatorEqualsRepeatedAdd() {
    List<double[]> pts = points(2000, 4);
    FeatureScaler.Accumulator acc = new FeatureScaler.Accumulator(DIM);
    for (double[] p : pts) acc.add(p);
    assertSame(acc.toScaler(), scalerOf(pts));
    assertThat(acc.weight()).isEqualTo(2000.0);
  }

  @Test
  void accumulatorResumesFromAScaler() {
    List<double[]> pts = points(600, 5);
    FeatureScaler.Accumulator acc = FeatureScaler.Accumulator.of(scalerOf(pts.subList(0, 250)));
    for (double[] p : pts.subList(250, 600)) acc.add(p);
    assertSame(acc.toScaler(), scalerOf(pts));
  }

  private static void assertSame(FeatureScaler a, FeatureScaler b) {
    assertThat(a.dimension()).isEqualTo(b.dimension());
    for (int i = 0; i < a.dimension(); i++) {
      RunningMoments x = a.moments().get(i);
      RunningMoments y = b.moments().get(i);
      assertThat(x.weight()).isCloseTo(y.weight(), within(1e-12));
      assertThat(x.mean()).isCloseTo(y.mean(), within(1e-12));
      assertThat(x.m2()).isCloseTo(y.m2(), within(1e-12 * Math.max(1, Math.abs(y.m2()))));
    }
  }
}
