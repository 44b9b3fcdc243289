package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RunningMomentsTest {

  @Test
  void mergeOfPartsEqualsSinglePass() {
    SplittableRandom rnd = new SplittableRandom(7);
    RunningMoments all = RunningMoments.EMPTY, a = RunningMoments.EMPTY, b = RunningMoments.EMPTY;
    for (int i = 0; i < 1000; i++) {
      double x = 10 + 3 * rnd.nextDouble();
      all = all.add(x);
      a = i % 3 == 0 ? a.add(x) : a;
      b = i % 3 != 0 ? b.add(x) : b;
    }
    RunningMoments merged = a.merge(b);
    assertThat(merged.weight()).isEqualTo(1000.0);
    assertThat(merged.mean()).isCloseTo(all.mean(), within(1e-9));
    assertThat(merged.variance()).isCloseTo(all.variance(), within(1e-9));
    assertThat(RunningMoments.EMPTY.merge(a).mean()).isEqualTo(a.mean());
  }

  @Test
  void knownMeanAndVariance() {
    RunningMoments m = RunningMoments.EMPTY.add(2).add(4).add(4).add(4).add(5).add(5).add(7).add(9);
    assertThat(m.mean()).isCloseTo(5.0, within(1e-12));
    assertThat(m.variance()).isCloseTo(4.0, within(1e-12));
    assertThat(m.standardise(7)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void decayScalesWeightAndM2KeepsMeanAndVariance() {
    RunningMoments m = RunningMoments.EMPTY.add(1).add(3);
    RunningMoments d = m.decay(0.5);
    assertThat(d.weight()).isEqualTo(1.0);
    assertThat(d.mean()).isEqualTo(m.mean());
    assertThat(d.m2()).isEqualTo(m.m2() * 0.5);
    assertThat(d.variance()).isCloseTo(m.variance(), within(1e-12));
    // after decay, a new observation pulls the mean harder than without decay
    assertThat(d.add(10).mean()).isGreaterThan(m.add(10).mean());
  }

  @Test
  void standardiseWithZeroVarianceDoesNotBlowUp() {
    RunningMoments m = RunningMoments.EMPTY.add(5).add(5).add(5);
    assertThat(m.variance()).isZero();
    assertThat(m.standardise(7)).isEqualTo(2.0);
    assertThat(RunningMoments.EMPTY.standardise(3)).isEqualTo(3.0);
  }
}
