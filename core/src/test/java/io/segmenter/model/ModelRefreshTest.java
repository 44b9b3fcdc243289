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

  /** Blobs at 0 and 20 served by one centre each; blob 10 shared (a k = 3 model merged down to 2). */
  private static KMeansModel mergedToTwo() {
    return new KMeansModel(10, D, List.of(
        new Centre(0, at(2), 80, 1, 10, null),
        new Centre(1, at(18), 70, 1, 10, null)), 3, 0.9);
  }

  @Test
  void aFixedKModelMergedBelowItsKIsSplitAgainWhenTheDataSeparates() {
    List<double[]> sample = ModelAggregatorTest.blobs(100, 3);

    KMeansModel refreshed = ModelRefresh.improve(mergedToTwo(), sample, 3, 42, m -> m).orElseThrow();

    // Both centres keep their ids and weights; the third group gets a new centre (the model's next id).
    assertThat(refreshed.centres()).extracting(Centre::id).containsExactlyInAnyOrder(0, 1, 3);
    assertThat(refreshed.centre(0).position()[0]).isCloseTo(0, org.assertj.core.data.Offset.offset(1.0));
    assertThat(refreshed.centre(1).position()[0]).isCloseTo(20, org.assertj.core.data.Offset.offset(1.0));
    assertThat(refreshed.centre(3).position()[0]).isCloseTo(10, org.assertj.core.data.Offset.offset(1.0));
    assertThat(refreshed.centre(3).weight()).isEqualTo(KMeansModel.RESEED_WEIGHT);
    // With the model's own count (the old refresh) the two centres stay two.
    assertThat(ModelRefresh.improve(mergedToTwo(), sample, 42)).hasValueSatisfying(
        m -> assertThat(m.centres()).hasSize(2));
  }

  @Test
  void theBatchSolutionIsComparedAfterWhatIsDoneToIt() {
    List<double[]> sample = ModelAggregatorTest.blobs(100, 3);
    // A naming that merges the batch's two nearest centres back (as when they look alike in names):
    // the 3-centre solution becomes no better than the model's 2 and is not adopted.
    java.util.function.UnaryOperator<KMeansModel> mergeBack = m -> {
      List<Centre> byX = new java.util.ArrayList<>(m.centres());
      byX.sort(java.util.Comparator.comparingDouble(c -> c.position()[0]));
      return m.merged(byX.get(1).id(), byX.get(0).id());
    };
    KMeansModel settled = new KMeansModel(10, D, List.of(
        new Centre(0, at(5), 80, 1, 10, null),
        new Centre(1, at(20), 70, 1, 10, null)), 3, 0.9);
    assertThat(ModelRefresh.improve(settled, sample, 3, 42, mergeBack)).isEmpty();
    assertThat(ModelRefresh.improve(settled, sample, 3, 42, m -> m)).isPresent();
  }

  @Test
  void aRefreshDoesNotTakeASolutionTheNamingMergedBelowTheModelsCount() {
    // Three centres badly placed on three blobs (one blob shared, one without a centre): batch k-means
    // is far tighter, but a naming that merges two of its centres leaves two, fewer than the model's
    // three. A refresh that took it would undo what the next refresh splits again.
    List<double[]> sample = ModelAggregatorTest.blobs(100, 3);
    KMeansModel threeBadlyPlaced = new KMeansModel(10, D, List.of(
        new Centre(0, at(0), 50, 1, 10, null),
        new Centre(1, at(1), 40, 1, 10, null),
        new Centre(2, at(9), 30, 1, 10, null)), 3, 0.9);
    java.util.function.UnaryOperator<KMeansModel> mergeTwo = m -> {
      List<Centre> byX = new java.util.ArrayList<>(m.centres());
      byX.sort(java.util.Comparator.comparingDouble(c -> c.position()[0]));
      return m.merged(byX.get(2).id(), byX.get(1).id());
    };
    assertThat(ModelRefresh.improve(threeBadlyPlaced, sample, 3, 42, mergeTwo)).isEmpty();
    assertThat(ModelRefresh.improve(threeBadlyPlaced, sample, 3, 42, m -> m)).isPresent();
  }

  @Test
  void aKThatCannotBeNamedFallsBackToTheModelsOwnCountSoTheModelIsStillReanchored() {
    // k = 3 asked of a 2-centre model whose centres sit badly (both on the left blob); a naming that
    // can name no 3 centres (it merges any 3-centre solution down to 1) would refuse every refresh.
    // The model's own count (2) is then tried, named, and taken when clearly tighter.
    List<double[]> sample = ModelAggregatorTest.blobs(100, 3);
    KMeansModel twoOnTheLeft = new KMeansModel(10, D, List.of(
        new Centre(0, at(-1), 80, 1, 10, null),
        new Centre(1, at(1), 70, 1, 10, null)), 3, 0.9);
    java.util.function.UnaryOperator<KMeansModel> cannotNameThree = m -> {
      if (m.centres().size() < 3) return m;
      KMeansModel out = m;
      while (out.centres().size() > 1) out = out.merged(out.centres().get(1).id(), out.centres().get(0).id());
      return out;
    };
    KMeansModel refreshed = ModelRefresh.improve(twoOnTheLeft, sample, 3, 42, cannotNameThree).orElseThrow();
    assertThat(refreshed.centres()).extracting(Centre::id).containsExactlyInAnyOrder(0, 1);
    assertThat(refreshed.inertia(sample)).isLessThan(0.95 * twoOnTheLeft.inertia(sample));
  }

  @Test
  void whatIsDoneToTheBatchSolutionSeesItUnderTheModelsIds() {
    // The naming keys names by centre id: it must see the ids the version will have, the existing
    // centres' for the positions they take over and new ids (from nextCentreId) for the rest.
    List<double[]> sample = ModelAggregatorTest.blobs(100, 3);
    List<List<Integer>> seen = new java.util.ArrayList<>();
    KMeansModel refreshed = ModelRefresh.improve(mergedToTwo(), sample, 3, 42, m -> {
      seen.add(m.centres().stream().map(Centre::id).toList());
      return m;
    }).orElseThrow();
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).containsExactlyInAnyOrder(0, 1, 3);
    assertThat(refreshed.centres()).extracting(Centre::id).containsExactlyInAnyOrder(0, 1, 3);
  }

  @Test
  void aModelWithMoreCentresThanItsKTakesTheKCentreSolution() {
    // k lowered from 3 to 2 in the settings: two centres are never tighter than three, yet the model
    // must serve two. The centres kept are matched to the old ids; the third is dropped.
    List<double[]> sample = ModelAggregatorTest.blobs(100, 3);
    KMeansModel three = new KMeansModel(10, D, List.of(
        new Centre(0, at(0), 50, 1, 10, null),
        new Centre(1, at(10), 40, 1, 10, null),
        new Centre(2, at(20), 30, 1, 10, null)), 3, 0.9);
    KMeansModel two = ModelRefresh.improve(three, sample, 2, 42, m -> m).orElseThrow();
    assertThat(two.centres()).hasSize(2);
    assertThat(two.inertia(sample)).isGreaterThan(three.inertia(sample));
    assertThat(two.centres()).extracting(Centre::id).isSubsetOf(0, 1, 2);
  }

  private static List<double[]> points(double... xs) {
    List<double[]> out = new java.util.ArrayList<>();
    for (double x : xs) out.add(new double[] {x});
    return out;
  }

  @Test
  void matchingIsOptimalWhereClosestPairFirstIsNot() {
    // Existing centres at 0 and 2, new positions at 1.1 and 3. Closest pair first would take
    // (2, 1.1) at 0.81 and then be left with (0, 3) at 9: total 9.81. The optimum pairs 0 with 1.1
    // and 2 with 3: 1.21 + 1 = 2.21.
    assertThat(ModelRefresh.match(points(0, 2), points(1.1, 3))).containsExactly(0, 1);
    assertThat(ModelRefresh.match(points(0, 2), points(3, 1.1))).containsExactly(1, 0);
  }

  @Test
  void aRefreshMovesEachCentreToItsOptimalPartner() {
    // The same configuration through improve: centre 0 sits left of the left blob, centre 1 between
    // the blobs, closer to the left one. Greedy would give the left blob to centre 1 and send
    // centre 0 across to the right blob; the optimal matching keeps the order.
    List<double[]> sample = new java.util.ArrayList<>();
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int i = 0; i < 100; i++) {
      sample.add(new double[] {1.1 + 0.05 * r.nextGaussian()});
      sample.add(new double[] {3 + 0.05 * r.nextGaussian()});
    }
    KMeansModel model = new KMeansModel(4, 1, List.of(
        new Centre(0, new double[] {0}, 10, 1, 4, null),
        new Centre(1, new double[] {2}, 20, 1, 4, null)), 2, 1.0);
    KMeansModel refreshed = ModelRefresh.improve(model, sample, 1).orElseThrow();
    assertThat(refreshed.centre(0).position()[0]).isCloseTo(1.1, org.assertj.core.data.Offset.offset(0.05));
    assertThat(refreshed.centre(1).position()[0]).isCloseTo(3, org.assertj.core.data.Offset.offset(0.05));
    assertThat(refreshed.centre(0).weight()).isEqualTo(10);
  }

  @Test
  void moreFreshPositionsThanCentresAddNewOnes() {
    // Existing 0 and 10; fresh 9.5, 5, 0.2: 0.2 takes over 0, 9.5 takes over 10, 5 is new.
    assertThat(ModelRefresh.match(points(0, 10), points(9.5, 5, 0.2))).containsExactly(1, -1, 0);
    // With equal counts every fresh position takes over a centre, however far: both fresh points are
    // nearest to existing 0, 1 gets it (1 + 36 = 37 beats 16 + 81 = 97), 4 takes over 10.
    assertThat(ModelRefresh.match(points(0, 10), points(1, 4))).containsExactly(0, 1);
  }

  @Test
  void fewerFreshPositionsThanCentresDropTheRest() {
    // Existing 0, 5, 10; fresh 9, 1: 9 takes 10, 1 takes 0, centre at 5 is dropped.
    assertThat(ModelRefresh.match(points(0, 5, 10), points(9, 1))).containsExactly(2, 0);
    assertThat(ModelRefresh.match(points(0, 5, 10), List.of())).isEmpty();
    assertThat(ModelRefresh.match(List.of(), points(1, 2))).containsExactly(-1, -1);
  }

  @Test
  void reanchorToADifferentNumberOfCentres() {
    KMeansModel model = new KMeansModel(12, 1, List.of(
        new Centre(3, new double[] {0}, 50, 2, 12, null),
        new Centre(5, new double[] {5}, 40, 4, 11, 1),
        new Centre(7, new double[] {10}, 30, 6, 12, null)), 8, 0.9);

    KMeansModel grown = ModelRefresh.reanchor(model, points(10.5, 20, 0.5, 4.5));
    assertThat(grown.centres()).extracting(Centre::id).containsExactly(3, 5, 7, 8);
    assertThat(grown.centre(7).position()).containsExactly(10.5);
    assertThat(grown.centre(5).position()).containsExactly(4.5);
    assertThat(grown.centre(5).weight()).isEqualTo(40);
    assertThat(grown.centre(5).replacesId()).isEqualTo(1);
    Centre added = grown.centre(8);
    assertThat(added.position()).containsExactly(20);
    assertThat(added.weight()).isEqualTo(KMeansModel.RESEED_WEIGHT);
    assertThat(added.createdInVersion()).isEqualTo(12);
    assertThat(added.lastUpdatedInVersion()).isEqualTo(12);
    assertThat(added.replacesId()).isNull();
    assertThat(grown.nextCentreId()).isEqualTo(9);
    assertThat(grown.version()).isEqualTo(12);
    assertThat(grown.decayFactor()).isEqualTo(0.9);

    KMeansModel shrunk = ModelRefresh.reanchor(model, points(9, 1));
    assertThat(shrunk.centres()).extracting(Centre::id).containsExactly(3, 7);
    assertThat(shrunk.centre(3).position()).containsExactly(1);
    assertThat(shrunk.centre(7).position()).containsExactly(9);
    assertThat(shrunk.nextCentreId()).isEqualTo(8);
  }
}
