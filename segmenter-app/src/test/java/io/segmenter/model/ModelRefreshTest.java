package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelRefreshTest {
  private static final int D = ModelAggregatorTest.D;

  private static double[] at(double v) {
    double[] p = new double[D];
    java.util.Arrays.fill(p, v);
    return p;
  }

  /** Three blobs at 0, 10, 20; centre 0 at blob 0, centres 1 and 2 both inside blob 20 (bad local optimum). */
  private static KMeansModel stuck() {
    return new KMeansModel(10, D, List.of(
        new Centre(0, at(0), 50, 1, 10, null),
        new Centre(1, at(19.5), 40, 1, 10, null),
        new Centre(2, at(20.5), 30, 1, 10, null)), 3, 0.9);
  }

  @Test
  void aModelStuckInALocalOptimumIsReAnchoredAndKeepsItsIds() {
    List<double[]> sample = ModelAggregatorTest.blobs(100, 3);
    KMeansModel model = stuck();
    double before = model.inertia(sample);

    KMeansModel refreshed = ModelRefresh.improve(model, sample, 42).orElseThrow();

    double after = refreshed.inertia(sample);
    assertThat(after).isLessThan(0.2 * before);
    // Centre 0 stays on blob 0; of the two centres in blob 20, one keeps it and the other takes blob 10.
    assertThat(refreshed.centre(0).position()[0]).isCloseTo(0, org.assertj.core.data.Offset.offset(1.0));
    double c1 = refreshed.centre(1).position()[0];
    double c2 = refreshed.centre(2).position()[0];
    assertThat(List.of(Math.round(c1 / 10), Math.round(c2 / 10))).containsExactlyInAnyOrder(1L, 2L);
    // Ids, weights and version are the model's; only positions moved.
    assertThat(refreshed.version()).isEqualTo(10);
    assertThat(refreshed.centre(1).weight()).isEqualTo(40);
    assertThat(refreshed.nextCentreId()).isEqualTo(3);
  }

  @Test
  void aGoodModelIsLeftAlone() {
    List<double[]> sample = ModelAggregatorTest.blobs(100, 3);
    KMeansModel good = new KMeansModel(10, D, List.of(
        new Centre(0, at(0), 50, 1, 10, null),
        new Centre(1, at(10), 40, 1, 10, null),
        new Centre(2, at(20), 30, 1, 10, null)), 3, 0.9);
    assertThat(ModelRefresh.improve(good, sample, 42)).isEmpty();
  }

  @Test
  void theSameInputRefreshesIdentically() {
    List<double[]> sample = ModelAggregatorTest.blobs(100, 3);
    Optional<KMeansModel> a = ModelRefresh.improve(stuck(), sample, 7);
    Optional<KMeansModel> b = ModelRefresh.improve(stuck(), sample, 7);
    for (int id = 0; id < 3; id++) {
      assertThat(a.orElseThrow().centre(id).position()).isEqualTo(b.orElseThrow().centre(id).position());
    }
  }
}
