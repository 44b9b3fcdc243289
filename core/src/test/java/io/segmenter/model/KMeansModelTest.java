package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KMeansModelTest {

  static final double[][] BLOBS = {{0, 0, 0, 0}, {10, 10, 0, 0}, {0, 10, -10, 5}};

  static double[] blobPoint(Random rnd, int blob) {
    double[] p = BLOBS[blob].clone();
    for (int i = 0; i < p.length; i++) p[i] += rnd.nextGaussian() * 0.5;
    return p;
  }

  static List<double[]> blobBatch(Random rnd, int n) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(blobPoint(rnd, i % 3));
    return out;
  }

  static KMeansModel step(KMeansModel m, List<double[]> batch) {
    return m.apply(MiniBatchStatistics.of(m, batch));
  }

  static KMeansModel oneCentre(double[] pos, double weight, double decay) {
    return new KMeansModel(1, pos.length, List.of(new Centre(0, pos, weight, 1, 1, null)), 1, decay);
  }

  @Test
  void convergesOnSeparableBlobs() {
    Random rnd = new Random(42);
    KMeansModel m = KMeansModel.kMeansPlusPlus(blobBatch(rnd, 300), 3, 1234L, 1.0);
    for (int b = 0; b < 50; b++) m = step(m, blobBatch(rnd, 60));
    assertThat(m.version()).isEqualTo(51);
    // each blob has exactly one centre, close to it
    int[] centreOfBlob = new int[3];
    Set<Integer> used = new HashSet<>();
    for (int blob = 0; blob < 3; blob++) {
      Assignment a = m.nearest(BLOBS[blob]);
      assertThat(a.distance()).isLessThan(0.2);
      centreOfBlob[blob] = a.centreId();
      used.add(a.centreId());
    }
    assertThat(used).hasSize(3);
    int correct = 0, n = 3000;
    for (int i = 0; i < n; i++) {
      int blob = i % 3;
      if (m.nearest(blobPoint(rnd, blob)).centreId() == centreOfBlob[blob]) correct++;
    }
    assertThat(correct / (double) n).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void withoutDecayABatchEqualsSculleySequentialUpdates() {
    Random rnd = new Random(3);
    double[] start = {1, 2, 3};
    double w0 = 5;
    KMeansModel m = oneCentre(start, w0, 1.0);
    List<double[]> batch = new ArrayList<>();
    for (int i = 0; i < 17; i++) batch.add(new double[] {rnd.nextGaussian(), rnd.nextGaussian() + 4, rnd.nextDouble()});
    KMeansModel next = step(m, batch);

    double[] c = start.clone();
    double count = w0;
    for (double[] x : batch) {
      count++;
      double eta = 1 / count;
      for (int i = 0; i < c.length; i++) c[i] = (1 - eta) * c[i] + eta * x[i];
    }
    double[] got = next.centre(0).position();
    for (int i = 0; i < c.length; i++) assertThat(got[i]).isCloseTo(c[i], within(1e-12));
    assertThat(next.centre(0).weight()).isEqualTo(w0 + 17);
    assertThat(next.centre(0).lastUpdatedInVersion()).isEqualTo(2);
    assertThat(m.centre(0).position()).containsExactly(start); // original untouched
  }

  @Test
  void decayFollowsAShiftFasterAndStarvedCentresLoseWeight() {
    double[] shifted = {5, 5};
    double distFast = distanceAfterShift(0.5, shifted);
    double distSlow = distanceAfterShift(1.0, shifted);
    assertThat(distFast).isLessThan(distSlow * 0.5);

    List<Centre> two = List.of(new Centre(0, new double[] {0, 0}, 8, 1, 1, null),
        new Centre(1, new double[] {100, 100}, 8, 1, 1, null));
    KMeansModel m = new KMeansModel(1, 2, two, 2, 0.5);
    KMeansModel next = step(m, List.of(new double[] {1, 1}));
    assertThat(next.centre(1).weight()).isEqualTo(4.0);
    assertThat(next.centre(1).position()).containsExactly(100, 100);
    assertThat(next.centre(0).weight()).isEqualTo(5.0);
  }

  private static double distanceAfterShift(double decay, double[] newMean) {
    Random rnd = new Random(11);
    KMeansModel m = oneCentre(new double[] {0, 0}, 0, decay);
    for (int b = 0; b < 20; b++) m = step(m, gaussianBatch(rnd, new double[] {0, 0}));
    for (int b = 0; b < 3; b++) m = step(m, gaussianBatch(rnd, newMean));
    return Math.sqrt(KMeansModel.squaredDistance(m.centre(0).position(), newMean));
  }

  private static List<double[]> gaussianBatch(Random rnd, double[] mean) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < 50; i++) out.add(new double[] {mean[0] + rnd.nextGaussian() * 0.1, mean[1] + rnd.nextGaussian() * 0.1});
    return out;
  }

  @Test
  void deadCentresAreReseededWithFreshIdsNeverReused() {
    List<Centre> three = List.of(new Centre(0, new double[] {0, 0}, 1, 1, 1, null),
        new Centre(1, new double[] {10, 10}, 1, 1, 1, null),
        new Centre(2, new double[] {1000, 1000}, 1, 1, 1, null));
    KMeansModel m = new KMeansModel(1, 2, three, 3, 1.0);
    Random rnd = new Random(5);
    Set<Integer> everSeen = new HashSet<>(List.of(0, 1, 2));
    List<Reseed> all = new ArrayList<>();
    int deadAfter = 2;
    for (int b = 0; b < 12; b++) {
      List<double[]> batch = new ArrayList<>();
      for (int i = 0; i < 20; i++) batch.add(new double[] {rnd.nextGaussian() + (i % 2) * 10, rnd.nextGaussian() + (i % 2) * 10});
      int expectedNext = m.nextCentreId();
      ModelUpdate u = m.apply(MiniBatchStatistics.of(m, batch), batch, deadAfter);
      for (Reseed r : u.reseeds()) {
        assertThat(r.newId()).isEqualTo(expectedNext++);
        assertThat(everSeen.add(r.newId())).as("id reused").isTrue();
        Centre fresh = u.model().centre(r.newId());
        assertThat(fresh.replacesId()).isEqualTo(r.deadId());
        assertThat(fresh.weight()).isEqualTo(KMeansModel.RESEED_WEIGHT);
        assertThat(u.model().centre(r.deadId())).isNull();
        assertThat(batch).anySatisfy(p -> assertThat(p).isEqualTo(fresh.position()));
      }
      all.addAll(u.reseeds());
      assertThat(u.model().nextCentreId()).isEqualTo(expectedNext);
      m = u.model();
      assertThat(m.centre(0)).isNotNull(); // live centres keep their ids
      assertThat(m.centre(1)).isNotNull();
    }
    // centre 2 dies first at version 4 (4 - 1 > 2)
    assertThat(all.get(0)).isEqualTo(new Reseed(2, 3, 4));
    // the reseed landed between the blobs' points, so possibly several more; at least the first happened
    assertThat(all).isNotEmpty();
  }

  @Test
  void sameInputsAndSeedsGiveBitIdenticalModels() {
    KMeansModel a = run(99), b = run(99), c = run(100);
    assertThat(a.version()).isEqualTo(b.version());
    assertThat(bits(a)).isEqualTo(bits(b));
    assertThat(bits(a)).isNotEqualTo(bits(c));
  }

  private static KMeansModel run(long seed) {
    Random rnd = new Random(1);
    KMeansModel m = KMeansModel.kMeansPlusPlus(blobBatch(rnd, 100), 4, seed, 0.9);
    for (int i = 0; i < 10; i++) {
      List<double[]> batch = blobBatch(rnd, 30);
      m = m.apply(MiniBatchStatistics.of(m, batch), batch, 3).model();
    }
    return m;
  }

  private static List<Long> bits(KMeansModel m) {
    List<Long> out = new ArrayList<>();
    for (Centre c : m.centres()) {
      out.add((long) c.id());
      for (double x : c.position()) out.add(Double.doubleToLongBits(x));
      out.add(Double.doubleToLongBits(c.weight()));
    }
    return out;
  }

  @Test
  void mergedTaskStatisticsGiveTheSameModelAsOneTask() {
    Random rnd = new Random(8);
    KMeansModel m = KMeansModel.kMeansPlusPlus(blobBatch(rnd, 100), 3, 4L, 0.8);
    List<double[]> batch = blobBatch(rnd, 90);
    MiniBatchStatistics whole = MiniBatchStatistics.of(m, batch);
    MiniBatchStatistics merged = MiniBatchStatistics.of(m, batch.subList(0, 30))
        .merge(MiniBatchStatistics.of(m, batch.subList(30, 60)))
        .merge(MiniBatchStatistics.of(m, batch.subList(60, 90)));
    assertThat(merged.counts()).isEqualTo(whole.counts());
    KMeansModel one = m.apply(whole), three = m.apply(merged);
    for (Centre c : one.centres()) {
      double[] p = three.centre(c.id()).position();
      for (int i = 0; i < p.length; i++) assertThat(p[i]).isCloseTo(c.position()[i], within(1e-9));
      assertThat(three.centre(c.id()).weight()).isEqualTo(c.weight());
    }
  }

  @Test
  void kMeansPlusPlusIsSeededAndRejectsTooFewDistinctPoints() {
    Random rnd = new Random(2);
    List<double[]> sample = blobBatch(rnd, 50);
    KMeansModel a = KMeansModel.kMeansPlusPlus(sample, KMeansModel.DEFAULT_K, 7L, 1.0);
    assertThat(a.centres()).extracting(Centre::id).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(a.nextCentreId()).isEqualTo(6);
    assertThat(a.version()).isEqualTo(1);
    assertThat(bits(a)).isEqualTo(bits(KMeansModel.kMeansPlusPlus(sample, 6, 7L, 1.0)));
    List<double[]> dupes = List.of(new double[] {1, 1}, new double[] {1, 1}, new double[] {2, 2});
    assertThatThrownBy(() -> KMeansModel.kMeansPlusPlus(dupes, 3, 1L, 1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
  }

  @Test
  void tiesGoToTheLowerId() {
    List<Centre> two = List.of(new Centre(1, new double[] {1}, 1, 1, 1, null),
        new Centre(0, new double[] {-1}, 1, 1, 1, null));
    KMeansModel m = new KMeansModel(1, 1, two, 2, 1.0);
    Assignment a = m.nearest(new double[] {0});
    assertThat(a.centreId()).isZero();
    assertThat(a.distance()).isEqualTo(1.0);
    assertThat(a.secondBestDistance()).isEqualTo(1.0);
  }

  @Test
  void aCentreStarvedRepeatedlyGetsAFreshIdEveryTime() {
    List<Centre> three = List.of(new Centre(0, new double[] {0, 0}, 1, 1, 1, null),
        new Centre(1, new double[] {10, 10}, 1, 1, 1, null),
        new Centre(2, new double[] {50, 50}, 1, 1, 1, null));
    KMeansModel m = new KMeansModel(1, 2, three, 3, 1.0);
    List<double[]> candidates = List.of(new double[] {-30, 7}, new double[] {40, -3}, new double[] {5, 5});
    List<Reseed> all = new ArrayList<>();
    for (int b = 0; b < 9; b++) {
      MiniBatchStatistics stats = new MiniBatchStatistics(2); // only 0 and 1 ever get points
      stats.add(0, new double[] {0, 0});
      stats.add(1, new double[] {10, 10});
      ModelUpdate u = m.apply(stats, candidates, 2);
      all.addAll(u.reseeds());
      m = u.model();
    }
    // deadAfter 2: dies when version - lastUpdated > 2, i.e. at versions 4, 7, 10
    assertThat(all).containsExactly(new Reseed(2, 3, 4), new Reseed(3, 4, 7), new Reseed(4, 5, 10));
    assertThat(m.centres()).extracting(Centre::id).containsExactly(0, 1, 5);
    assertThat(m.centre(5).replacesId()).isEqualTo(4);
    assertThat(m.centre(5).createdInVersion()).isEqualTo(7 + 3);
    assertThat(m.nextCentreId()).isEqualTo(6);
    assertThat(m.centre(0).weight()).isEqualTo(10.0);
  }
}
