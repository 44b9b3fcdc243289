package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelAggregatorTest {
  static final int D = Features.DIMENSION;
  static final ModelAggregator.Settings SETTINGS = new ModelAggregator.Settings(3, 7, 0.9, 90, 60, Long.MAX_VALUE, 1000);

  /** Raw points around three well-separated means (blob b has every coordinate near 10*b). */
  static List<double[]> blobs(int perBlob, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < perBlob; i++) {
      for (int b = 0; b < 3; b++) {
        double[] p = new double[D];
        for (int j = 0; j < D; j++) p[j] = 10 * b + r.nextGaussian() * 0.5;
        out.add(p);
      }
    }
    return out;
  }

  static TaskDelta warmup(String task, List<double[]> points) {
    return warmup(task, points, Integer.MAX_VALUE);
  }

  static TaskDelta warmup(String task, List<double[]> points, int sampleCap) {
    MiniBatchAccumulator a = new MiniBatchAccumulator(D);
    for (double[] p : points) a.add(p, -1, 1000, sampleCap);
    return a.drain(task, 1, -1);
  }

  static TaskDelta assigned(String task, ModelSnapshot m, List<double[]> points) {
    MiniBatchAccumulator a = new MiniBatchAccumulator(D);
    for (double[] p : points) a.add(p, m.kmeans().nearest(m.standardise(p)).centreId(), 2000, ModelAggregator.CANDIDATE_SAMPLE);
    return a.drain(task, 2, m.version());
  }

  @Test
  void deltasOfSeveralTasksMakeOneFirstVersionOnceTheWarmupSampleIsFull() {
    ModelAggregator agg = new ModelAggregator(SETTINGS, D, null, null);
    List<double[]> pts = blobs(40, 1); // 120 points, warm-up needs 90
    assertThat(agg.accept(warmup("0_0", pts.subList(0, 40)))).isEmpty();
    assertThat(agg.accept(warmup("0_1", pts.subList(40, 80)))).isEmpty();
    Optional<ModelSnapshot> v1 = agg.accept(warmup("0_2", pts.subList(80, 120)));
    assertThat(v1).isPresent();
    assertThat(v1.get().version()).isEqualTo(1);
    assertThat(v1.get().kmeans().centres()).hasSize(3);
    // k-means++ plus Lloyd on separable blobs: one centre per blob, in raw units near 0, 10, 20.
    List<Double> firstCoordinates = new ArrayList<>();
    for (Centre c : v1.get().kmeans().centres()) firstCoordinates.add(v1.get().scaler().unstandardise(0, c.position()[0]));
    firstCoordinates.sort(Double::compare);
    assertThat(firstCoordinates.get(0)).isCloseTo(0, within(1.0));
    assertThat(firstCoordinates.get(1)).isCloseTo(10, within(1.0));
    assertThat(firstCoordinates.get(2)).isCloseTo(20, within(1.0));
    assertThat(agg.pending().points()).isZero();
  }

  @Test
  void aWarmupSampleFullOfCopiesDoesNotBlockTheFirstVersion() {
    ModelAggregator agg = new ModelAggregator(SETTINGS, D, null, null);
    // 90 identical points fill the warm-up sample (first page views of brand-new customers).
    double[] same = new double[D];
    List<double[]> copies = new ArrayList<>();
    for (int i = 0; i < 90; i++) copies.add(same.clone());
    assertThat(agg.accept(warmup("0_0", copies))).isEmpty();
    assertThat(agg.pending().sample()).as("copies collapsed to one, to make room").hasSize(1);
    // Varied points that arrive later must be able to make version 1.
    Optional<ModelSnapshot> v1 = agg.accept(warmup("0_1", blobs(30, 5)));
    assertThat(v1).as("version 1 after the varied points").isPresent();
    assertThat(v1.get().kmeans().centres()).hasSize(3);
  }

  @Test
  void anUpdateEqualsTheSculleyUpdateOfTheMergedBatchInStandardisedSpace() {
    ModelAggregator agg = new ModelAggregator(SETTINGS, D, null, null);
    ModelSnapshot v1 = agg.accept(warmup("0_0", blobs(40, 2))).orElseThrow();
    List<double[]> batch = blobs(12, 3); // 36 points per task, 72 >= 60
    TaskDelta a = assigned("0_0", v1, batch);
    TaskDelta b = assigned("0_1", v1, blobs(12, 4));
    assertThat(agg.accept(a)).isEmpty();
    ModelSnapshot v2 = agg.accept(b).orElseThrow();
    assertThat(v2.version()).isEqualTo(2);

    // Expected: merge in arrival order, standardise with v1's scaler, apply, re-express in v2's scaler.
    TaskDelta merged = a.mergedWith(b, Integer.MAX_VALUE, SETTINGS.seed());
    MiniBatchStatistics z = new MiniBatchStatistics(D);
    List<double[]> all = new ArrayList<>(batch);
    all.addAll(blobs(12, 4));
    for (double[] p : all) {
      double[] zp = v1.standardise(p);
      z.add(v1.kmeans().nearest(zp).centreId(), zp);
    }
    KMeansModel expected = v1.kmeans().apply(z);
    FeatureScaler nextScaler = v1.scaler().decay(0.9).merge(merged.moments());
    assertThat(v2.scaler().moments().get(0).mean()).isCloseTo(nextScaler.moments().get(0).mean(), within(1e-12));
    for (Centre c : expected.centres()) {
      double[] raw = new double[D];
      for (int i = 0; i < D; i++) raw[i] = v1.scaler().unstandardise(i, c.position()[i]);
      double[] want = nextScaler.standardise(raw);
      double[] got = v2.kmeans().centre(c.id()).position();
      for (int i = 0; i < D; i++) assertThat(got[i]).isCloseTo(want[i], within(1e-9));
      assertThat(v2.kmeans().centre(c.id()).weight()).isCloseTo(c.weight(), within(1e-9));
    }
  }

  @Test
  void replayingTheSameDeltasGivesBitIdenticalVersions() {
    List<TaskDelta> deltas = new ArrayList<>();
    deltas.add(warmup("0_0", blobs(20, 5)));
    deltas.add(warmup("0_1", blobs(20, 6)));
    List<ModelSnapshot> first = run(deltas, 5);
    List<ModelSnapshot> second = run(deltas, 5);
    assertThat(first).hasSameSizeAs(second).hasSizeGreaterThan(3);
    for (int i = 0; i < first.size(); i++) {
      assertThat(first.get(i).version()).isEqualTo(second.get(i).version());
      for (Centre c : first.get(i).kmeans().centres()) {
        assertThat(second.get(i).kmeans().centre(c.id()).position()).containsExactly(c.position());
      }
      assertThat(first.get(i).names()).isEqualTo(second.get(i).names());
    }
  }

  @Test
  void aFixedKModelMergedBelowItsKGetsItsKBackAtTheNextRefresh() {
    // A k = 3 model serving 2 centres (the naming merged two while the data still looked alike):
    // the refresh runs batch k-means with the configured 3, not the 2 the model has.
    ModelSnapshot v1 = new ModelAggregator(SETTINGS, D, null, null).accept(warmup("0_0", blobs(40, 2))).orElseThrow();
    List<Centre> byX = new ArrayList<>(v1.kmeans().centres());
    byX.sort(java.util.Comparator.comparingDouble(c -> c.position()[0]));
    KMeansModel two = v1.kmeans().merged(byX.get(1).id(), byX.get(0).id());
    ModelSnapshot merged = new ModelSnapshot(two, v1.scaler(), SegmentNames.of(two, v1.scaler()), v1.createdAt());
    ModelAggregator.Settings refreshing = new ModelAggregator.Settings(3, 7, 0.9, 90, 60, Long.MAX_VALUE, 1000, 1, 50);
    ModelAggregator agg = new ModelAggregator(refreshing, D, merged, null);

    agg.accept(assigned("0_0", merged, blobs(12, 3)));
    ModelSnapshot v2 = agg.accept(assigned("0_1", merged, blobs(12, 4))).orElseThrow();

    assertThat(v2.kmeans().centres()).as("centres of version 2").hasSize(3);
    assertThat(v2.kmeans().centres()).extracting(Centre::id).contains(byX.get(0).id(), byX.get(2).id());
  }

  @Test
  void replayingTheSameDeltasWithARefreshEveryVersionGivesEqualVersions() {
    // The refresh runs batch k-means on the pending sample: the merged samples must replay exactly.
    ModelAggregator.Settings refreshing = new ModelAggregator.Settings(3, 7, 0.9, 90, 60, Long.MAX_VALUE, 1000, 1, 50);
    List<TaskDelta> deltas = new ArrayList<>();
    deltas.add(warmup("0_0", blobs(20, 5)));
    deltas.add(warmup("0_1", blobs(20, 6)));
    List<ModelSnapshot> first = run(refreshing, deltas, 5);
    List<ModelSnapshot> second = run(refreshing, deltas, 5);
    assertThat(first).hasSameSizeAs(second).hasSizeGreaterThan(3);
    for (int i = 0; i < first.size(); i++) {
      ModelSnapshot a = first.get(i);
      ModelSnapshot b = second.get(i);
      assertThat(b.version()).isEqualTo(a.version());
      assertThat(b.createdAt()).isEqualTo(a.createdAt());
      assertThat(b.kmeans().centres()).hasSameSizeAs(a.kmeans().centres());
      for (Centre c : a.kmeans().centres()) {
        assertThat(b.kmeans().centre(c.id()).position()).containsExactly(c.position());
        assertThat(b.kmeans().centre(c.id()).weight()).isEqualTo(c.weight());
      }
      for (int f = 0; f < D; f++) {
        assertThat(b.scaler().moments().get(f).mean()).isEqualTo(a.scaler().moments().get(f).mean());
        assertThat(b.scaler().moments().get(f).m2()).isEqualTo(a.scaler().moments().get(f).m2());
      }
      assertThat(b.names()).isEqualTo(a.names());
    }
  }

  /**
   * Version 1's centre weights are the cluster sizes of its warm-up sample. A first delta of 900
   * points near 0, then one of 2,000 points, 10 % near 0 and 90 % near 10: of the 2,900 points 62 %
   * are near 10, and so must be about 62 % of the 1,000-point warm-up sample (the first 1,000 points
   * would give about 10 %).
   */
  @Test
  void theWarmupSampleIsAUniformSampleOfAllThePointsOfTheDeltasThatFilledIt() {
    ModelAggregator.Settings s = new ModelAggregator.Settings(2, 7, 0.9, 1_000, 60, Long.MAX_VALUE, 1000);
    SplittableRandom r = new SplittableRandom(11);
    List<double[]> near0 = new ArrayList<>();
    for (int i = 0; i < 900; i++) near0.add(around(0, r));
    List<double[]> mixed = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) mixed.add(around(i % 10 == 0 ? 0 : 10, r));
    ModelAggregator agg = new ModelAggregator(s, D, null, null);
    assertThat(agg.accept(warmup("0_0", near0, 1_000))).isEmpty();
    ModelSnapshot v1 = agg.accept(warmup("0_1", mixed, 1_000)).orElseThrow();
    Centre high = v1.kmeans().centres().stream()
        .max((a, b) -> Double.compare(a.position()[0], b.position()[0])).orElseThrow();
    Centre low = v1.kmeans().centres().stream().filter(c -> c != high).findFirst().orElseThrow();
    System.out.printf("warm-up sample: %.0f of %.0f points near 10 (uniform: 621)%n", high.weight(), high.weight() + low.weight());
    assertThat(high.weight() + low.weight()).isEqualTo(1_000);
    // Hypergeometric split (sd ~ 12) then B's own reservoir: 621 +- 60 is over 4 standard deviations.
    assertThat(high.weight()).isCloseTo(1_000.0 * 1_800 / 2_900, within(60.0));
  }

  /**
   * Once a model exists, the pending sample (re-seed candidates, the refresh's sample) is a uniform
   * sample of all pending points, not the first deltas' points.
   */
  @Test
  void thePendingSampleSpreadsOverAllPendingDeltasInProportionToTheirPoints() {
    ModelAggregator.Settings s = new ModelAggregator.Settings(3, 7, 0.9, 90, Long.MAX_VALUE / 2, Long.MAX_VALUE, 1000,
        1, TaskDeltaTest.CAP);
    ModelAggregator agg = new ModelAggregator(s, D, null, null);
    agg.accept(warmup("0_0", blobs(40, 8))).orElseThrow();
    for (int i = 0; i < TaskDeltaTest.DELTAS; i++) assertThat(agg.accept(TaskDeltaTest.delta(i, 3))).isEmpty();
    long[] sample = SampleChecks.indices(agg.pending().sample());
    double mean = SampleChecks.mean(sample);
    double chi2 = SampleChecks.decileChiSquare(sample, TaskDeltaTest.TOTAL);
    System.out.printf("aggregator pending sample after %d deltas (%,d points): %d points, mean index %.0f (uniform %.0f), "
        + "decile chi-square %.2f%n", TaskDeltaTest.DELTAS, TaskDeltaTest.TOTAL, sample.length, mean,
        TaskDeltaTest.TOTAL / 2.0, chi2);
    assertThat(sample).hasSize(s.sampleCap()).doesNotHaveDuplicates();
    double standardError = TaskDeltaTest.TOTAL / Math.sqrt(12.0 * sample.length);
    assertThat(mean).isCloseTo(TaskDeltaTest.TOTAL / 2.0, within(4 * standardError));
    assertThat(chi2).isLessThan(SampleChecks.CHI2_9DF_P001);
  }

  private static double[] around(double centre, SplittableRandom r) {
    double[] p = new double[D];
    for (int j = 0; j < D; j++) p[j] = centre + r.nextGaussian() * 0.5;
    return p;
  }

  private static List<ModelSnapshot> run(List<TaskDelta> warmups, int rounds) {
    return run(SETTINGS, warmups, rounds);
  }

  /** Warm-up deltas, then rounds of two assigned deltas computed against the newest version. */
  private static List<ModelSnapshot> run(ModelAggregator.Settings settings, List<TaskDelta> warmups, int rounds) {
    ModelAggregator agg = new ModelAggregator(settings, D, null, null);
    List<ModelSnapshot> versions = new ArrayList<>();
    for (TaskDelta d : warmups) agg.accept(d).ifPresent(versions::add);
    for (int r = 0; r < rounds; r++) {
      ModelSnapshot m = agg.current();
      agg.accept(assigned("0_0", m, blobs(12, 100 + r))).ifPresent(versions::add);
      agg.accept(assigned("0_1", m, blobs(12, 200 + r))).ifPresent(versions::add);
    }
    return versions;
  }

  @Test
  void statisticsForACentreThatWasReseededMeanwhileAreDroppedAndCounted() {
    ModelAggregator agg = new ModelAggregator(SETTINGS, D, null, null);
    ModelSnapshot v1 = agg.accept(warmup("0_0", blobs(40, 8))).orElseThrow();
    MiniBatchStatistics stale = new MiniBatchStatistics(D);
    stale.add(99, new double[D]);
    FeatureScaler moments = FeatureScaler.empty(D).add(new double[D]);
    agg.accept(new TaskDelta("0_3", 1, v1.version(), stale, moments, List.of(), 3000));
    assertThat(agg.droppedPoints()).isEqualTo(1);
  }

  @Test
  void aQuietStreamStillGetsAVersionAfterTheMaximumInterval() {
    ModelAggregator.Settings s = new ModelAggregator.Settings(3, 7, 0.9, 90, 1_000_000, 60_000, 1000);
    ModelAggregator agg = new ModelAggregator(s, D, null, null);
    ModelSnapshot v1 = agg.accept(warmup("0_0", blobs(40, 9))).orElseThrow();
    MiniBatchAccumulator a = new MiniBatchAccumulator(D);
    double[] p = blobs(1, 10).get(0);
    a.add(p, v1.kmeans().nearest(v1.standardise(p)).centreId(), v1.createdAt() + 30_000, 10);
    assertThat(agg.accept(a.drain("0_0", 2, 1))).isEmpty();
    a.add(p, v1.kmeans().nearest(v1.standardise(p)).centreId(), v1.createdAt() + 61_000, 10);
    assertThat(agg.accept(a.drain("0_0", 3, 1))).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(2));
  }
}
