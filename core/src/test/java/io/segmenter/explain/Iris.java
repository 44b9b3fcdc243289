package io.segmenter.explain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fisher's iris data (public domain), read from the test resource iris.csv: 150 rows of sepal
 * length, sepal width, petal length, petal width (cm) and the species (0 setosa, 1 versicolor, 2
 * virginica). The copy is scikit-learn 1.2.1's, which matches R's datasets::iris.
 */
final class Iris {
  static final int SEPAL_LENGTH = 0;
  static final int SEPAL_WIDTH = 1;
  static final int PETAL_LENGTH = 2;
  static final int PETAL_WIDTH = 3;

  final double[][] x;
  final int[] y;

  private Iris(double[][] x, int[] y) {
    this.x = x;
    this.y = y;
  }

  static Iris load() {
    List<double[]> rows = new ArrayList<>();
    List<Integer> species = new ArrayList<>();
    try (var in = new BufferedReader(new InputStreamReader(
        Objects.requireNonNull(Iris.class.getResourceAsStream("iris.csv"), "iris.csv"), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] p = line.split(",");
        rows.add(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]),
            Double.parseDouble(p[3])});
        species.add(Integer.parseInt(p[4].strip()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Iris(rows.toArray(double[][]::new), species.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The rows with only the given columns, in that order. */
  double[][] columns(int... columns) {
    double[][] out = new double[x.length][columns.length];
    for (int i = 0; i < x.length; i++) for (int c = 0; c < columns.length; c++) out[i][c] = x[i][columns[c]];
    return out;
  }
}
