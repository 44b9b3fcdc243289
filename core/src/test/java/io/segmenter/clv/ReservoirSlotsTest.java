package io.segmenter.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReservoirSlotsTest {

  @Test
  void theSlotOfTheIthItemIsInZeroToIAndDependsOnlyOnTheSeedAndI() {
    for (long i = 0; i < 10_000; i++) {
      long j = ReservoirSlots.slot(42, i);
      assertThat(j).isBetween(0L, i);
      assertThat(ReservoirSlots.slot(42, i)).isEqualTo(j);
    }
    assertThatThrownBy(() -> ReservoirSlots.slot(42, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Reservoirs restored from a store (the aggregator's summaries) continue with this rule: changing it
   * would make a restored reservoir differ from a replayed one.
   */
  @Test
  void theRuleIsTheOneTheStoredReservoirsWereBuiltWith() {
    for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
      for (long i = 0; i < 2_000; i += 7) {
        long before = new SplittableRandom(seed ^ (i * 0x9E3779B97F4A7C15L)).nextLong(i + 1);
        assertThat(ReservoirSlots.slot(seed, i)).isEqualTo(before);
      }
    }
  }

  @Test
  void aSummaryReservoirIsAUniformSampleOfTheWholeStream() {
    SummaryReservoir r = new SummaryReservoir(1_000, 3);
    int n = 100_000;
    for (int i = 0; i < n; i++) r.offer(new CustomerSummary(i, 0, n, 0));
    assertThat(r.size()).isEqualTo(1_000);
    double meanIndex = r.contents().stream().mapToDouble(CustomerSummary::x).average().orElseThrow();
    // Uniform over 0..99,999: mean 50,000, standard error 28,868 / sqrt(1,000) = 913.
    assertThat(meanIndex).isBetween(50_000 - 4 * 913.0, 50_000 + 4 * 913.0);
  }
}
