package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.testing.EmbeddedRegistryFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21's first acceptance item, deterministically: on the generator's six personas a challenger
 * with the true k (6) beats a champion with k = 3 on lift and on separation, for several generator
 * seeds, in one task (the same seed gives the same figures every run). StrategyComparisonIT runs the
 * same comparison on two instances of a broker deployment, where when the deltas are cut depends on
 * the wall clock, and checks that both instances give the same figures.
 */
class TrueKComparisonTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  @ParameterizedTest(name = "generator seed {0}")
  @ValueSource(longs = {2101, 1, 5, 6})
  void theTrueKChallengerBeatsKThreeOnLiftAndSeparation(long seed) {
    TrueKRun run = TrueKRun.of(seed, REGISTRY.client(), REGISTRY.registry().url());
    System.out.printf("TrueKComparisonTest: seed %d, default k=3 (%d live): lift %.4f, separation %.4f; "
        + "true-k k=6 (%d live): lift %.4f, separation %.4f%n", seed, run.defaultCentres(), run.defaultLift(),
        run.defaultSeparation(), run.challengerCentres(), run.challengerLift(), run.challengerSeparation());
    assertThat(run.challengerCentres()).as("live segments of true-k").isEqualTo(TrueKRun.K);
    assertThat(run.challengerLift()).as("lift of true-k against the default's").isGreaterThan(run.defaultLift());
    assertThat(run.challengerSeparation()).as("separation of true-k against the default's")
        .isGreaterThan(run.defaultSeparation());
  }
}
