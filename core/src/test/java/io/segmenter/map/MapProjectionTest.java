package io.segmenter.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MapProjectionTest {
  @Test
  void pointsOnALineAreAllOnTheFirstAxisWhichLoadsOnTheLinesFeatures() {
    // The line z = t * (0, 3, 0, 4) / 5 in four dimensions: features 1 and 3 only.
    List<double[]> points = new ArrayList<>();
    for (int t = -10; t <= 10; t++) points.add(new double[] {0, 0.6 * t, 0, 0.8 * t});
    MapProjection map = MapProjection.fit(points, 4);
    assertThat(map.explained()[0]).isCloseTo(1.0, within(1e-9));
    assertThat(map.explained()[1]).isCloseTo(0.0, within(1e-9));
    assertThat(map.axes()[0]).containsExactly(new double[] {0, 0.6, 0, 0.8}, within(1e-9));
    List<MapProjection.Loading> top = map.topLoadings(0, 3);
    assertThat(top.get(0).feature()).isEqualTo(3);
    assertThat(top.get(0).weight()).isCloseTo(0.8, within(1e-9));
    assertThat(top.get(1).feature()).isEqualTo(1);
    // A point at t = 5 is 5 from the mean (t = 0) along the line, and nowhere across it.
    double[] xy = map.project(new double[] {0, 3, 0, 4});
    assertThat(xy[0]).isCloseTo(5.0, within(1e-9));
    assertThat(xy[1]).isCloseTo(0.0, within(1e-9));
  }

  @Test
  void centresProjectWhereTheirSpreadPutsThem() {
    // Three blobs in 5 dimensions spread along feature 0 (wide) and feature 2 (narrower).
    SplittableRandom rnd = new SplittableRandom(7);
    double[][] centres = {{-6, 0, 0, 0, 0}, {6, 0, 0, 0, 0}, {0, 0, 3, 0, 0}};
    List<double[]> points = new ArrayList<>();
    for (double[] c : centres) {
      for (int i = 0; i < 200; i++) {
        double[] p = c.clone();
        for (int d = 0; d < p.length; d++) p[d] += rnd.nextGaussian() * 0.3;
        points.add(p);
      }
    }
    points.addAll(List.of(centres));
    MapProjection map = MapProjection.fit(points, 5);
    assertThat(map.topLoadings(0, 1).get(0).feature()).isZero();
    assertThat(map.topLoadings(1, 1).get(0).feature()).isEqualTo(2);
    assertThat(map.explained()[0]).isGreaterThan(map.explained()[1]);
    assertThat(map.explained()[0] + map.explained()[1]).isGreaterThan(0.95);
    double[] left = map.project(centres[0]);
    double[] right = map.project(centres[1]);
    double[] top = map.project(centres[2]);
    assertThat(right[0] - left[0]).isCloseTo(12.0, within(0.2));
    assertThat(Math.abs(top[1] - (left[1] + right[1]) / 2)).isCloseTo(3.0, within(0.2));
  }

  @Test
  void theSameDataGivesTheSameAxesWithTheirLargestLoadingPositive() {
    List<double[]> points = List.of(new double[] {0, 0, 0}, new double[] {-1, -2, 0}, new double[] {-2, -4, 0.1});
    MapProjection a = MapProjection.fit(points, 3);
    MapProjection b = MapProjection.fit(new ArrayList<>(points), 3);
    assertThat(a.axes()[0]).containsExactly(b.axes()[0], within(1e-12));
    assertThat(a.topLoadings(0, 1).get(0).weight()).isPositive();
  }

  @Test
  void withoutSpreadTheAxesAreTheFirstTwoFeaturesAndExplainNothing() {
    MapProjection one = MapProjection.fit(List.of(new double[] {1, 2, 3}), 3);
    assertThat(one.explained()).containsExactly(0, 0);
    assertThat(one.project(new double[] {2, 2, 3})).containsExactly(1, 0);
    MapProjection same = MapProjection.fit(List.of(new double[] {1, 2, 3}, new double[] {1, 2, 3}), 3);
    assertThat(same.explained()).containsExactly(0, 0);
    assertThat(MapProjection.fit(List.of(), 3).fittedOn()).isZero();
  }
}
