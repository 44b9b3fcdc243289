package io.segmenter.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.segmenter.explain.DecisionTree.Leaf;
import io.segmenter.explain.DecisionTree.Node;
import io.segmenter.explain.DecisionTree.Split;
import io.segmenter.explain.DecisionTree.Step;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecisionTreeTest {
  private static final Iris IRIS = Iris.load();

  /**
   * The textbook CART tree of iris at depth 2 (e.g. rpart's and Géron's, Hands-On Machine Learning,
   * ch. 6): "petal length ≤ 2.45" isolates the 50 setosa, then "petal width ≤ 1.75" parts versicolor
   * (49 of 54) from virginica (45 of 46); 144 of 150 right, 0.96. Petal length and "petal width ≤
   * 0.8" isolate setosa equally well: the lower feature index, petal length, wins the tie.
   */
  @Test
  void irisAtDepth2IsTheTextbookTree() {
    DecisionTree tree = DecisionTree.fit(IRIS.x, IRIS.y, 2, 1);

    Split root = (Split) tree.root();
    assertThat(root.feature()).isEqualTo(Iris.PETAL_LENGTH);
    assertThat(root.threshold()).isCloseTo(2.45, within(1e-9));
    assertThat(root.lessOrEqual()).isEqualTo(new Leaf(0, 50, new java.util.TreeMap<>(Map.of(0, 50))));
    Split second = (Split) root.greater();
    assertThat(second.feature()).isEqualTo(Iris.PETAL_WIDTH);
    assertThat(second.threshold()).isCloseTo(1.75, within(1e-9));
    assertThat(second.lessOrEqual()).isEqualTo(new Leaf(1, 54, new java.util.TreeMap<>(Map.of(1, 49, 2, 5))));
    assertThat(second.greater()).isEqualTo(new Leaf(2, 46, new java.util.TreeMap<>(Map.of(1, 1, 2, 45))));
    assertThat(tree.depth()).isEqualTo(2);
    assertThat(tree.accuracy(IRIS.x, IRIS.y)).isEqualTo(0.96);
  }

  /**
   * scikit-learn's documented example (sklearn.tree.export_text, DecisionTreeClassifier(random_state=0,
   * max_depth=2) on iris): "petal width ≤ 0.80", then "petal width ≤ 1.75". With petal width as the
   * first column it is the tree found here too, threshold for threshold.
   */
  @Test
  void irisAtDepth2WithPetalWidthFirstIsScikitLearnsDocumentedTree() {
    double[][] x = IRIS.columns(Iris.PETAL_WIDTH, Iris.PETAL_LENGTH);
    DecisionTree tree = DecisionTree.fit(x, IRIS.y, 2, 1);

    assertThat(tree.render(List.of("petal width", "petal length"))).isEqualTo("""
        |--- petal width <= 0.8
        |   |--- label 0 {0=50}
        |--- petal width >  0.8
        |   |--- petal width <= 1.75
        |   |   |--- label 1 {1=49, 2=5}
        |   |--- petal width >  1.75
        |   |   |--- label 2 {1=1, 2=45}
        """);
    assertThat(tree.accuracy(x, IRIS.y)).isEqualTo(0.96);
  }

  /**
   * Depths 3 and 4 as scikit-learn 1.2.1 fits them (DecisionTreeClassifier(max_depth=d), every
   * random_state whose tree starts with petal length, e.g. 4): depth 3 adds "petal length ≤ 4.95"
   * and "≤ 4.85", 146 of 150 (0.9733); depth 4, 149 of 150 (0.9933), its last tie (sepal length ≤
   * 5.95 or sepal width ≤ 3.1) going to the lower feature index.
   */
  @Test
  void irisAtDepths3And4MatchScikitLearn() {
    List<String> names = List.of("sl", "sw", "pl", "pw");
    DecisionTree depth3 = DecisionTree.fit(IRIS.x, IRIS.y, 3, 1);
    assertThat(depth3.render(names)).isEqualTo("""
        |--- pl <= 2.45
        |   |--- label 0 {0=50}
        |--- pl >  2.45
        |   |--- pw <= 1.75
        |   |   |--- pl <= 4.95
        |   |   |   |--- label 1 {1=47, 2=1}
        |   |   |--- pl >  4.95
        |   |   |   |--- label 2 {1=2, 2=4}
        |   |--- pw >  1.75
        |   |   |--- pl <= 4.85
        |   |   |   |--- label 2 {1=1, 2=2}
        |   |   |--- pl >  4.85
        |   |   |   |--- label 2 {2=43}
        """);
    assertThat(depth3.accuracy(IRIS.x, IRIS.y)).isCloseTo(146.0 / 150, within(1e-12));

    DecisionTree depth4 = DecisionTree.fit(IRIS.x, IRIS.y, 4, 1);
    assertThat(depth4.render(names)).isEqualTo("""
        |--- pl <= 2.45
        |   |--- label 0 {0=50}
        |--- pl >  2.45
        |   |--- pw <= 1.75
        |   |   |--- pl <= 4.95
        |   |   |   |--- pw <= 1.65
        |   |   |   |   |--- label 1 {1=47}
        |   |   |   |--- pw >  1.65
        |   |   |   |   |--- label 2 {2=1}
        |   |   |--- pl >  4.95
        |   |   |   |--- pw <= 1.55
        |   |   |   |   |--- label 2 {2=3}
        |   |   |   |--- pw >  1.55
        |   |   |   |   |--- label 1 {1=2, 2=1}
        |   |--- pw >  1.75
        |   |   |--- pl <= 4.85
        |   |   |   |--- sl <= 5.95
        |   |   |   |   |--- label 1 {1=1}
        |   |   |   |--- sl >  5.95
        |   |   |   |   |--- label 2 {2=2}
        |   |   |--- pl >  4.85
        |   |   |   |--- label 2 {2=43}
        """);
    assertThat(depth4.accuracy(IRIS.x, IRIS.y)).isCloseTo(149.0 / 150, within(1e-12));
  }

  @Test
  void equalSplitsGoToTheLowerFeatureThenTheLowerThreshold() {
    // Two identical columns: the first is used.
    double[][] twins = {{1, 1}, {2, 2}, {3, 3}, {4, 4}};
    Split byFeature = (Split) DecisionTree.fit(twins, new int[] {0, 0, 1, 1}, 1, 1).root();
    assertThat(byFeature.feature()).isZero();

    // 0 | 1 1 0 and 0 1 1 | 0 lower the impurity equally: the lower threshold wins.
    double[][] x = {{1}, {2}, {3}, {4}};
    Split byThreshold = (Split) DecisionTree.fit(x, new int[] {0, 1, 1, 0}, 1, 1).root();
    assertThat(byThreshold.threshold()).isEqualTo(1.5);
  }

  @Test
  void aLeafTakesItsMostFrequentLabelAndTheLowestOnATie() {
    DecisionTree tree = DecisionTree.fit(new double[][] {{1}, {1}, {1}, {1}}, new int[] {7, 3, 7, 3}, 3, 1);
    assertThat(tree.root()).isEqualTo(new Leaf(3, 4, new java.util.TreeMap<>(Map.of(3, 2, 7, 2))));
    assertThat(tree.predict(new double[] {42})).isEqualTo(3);
  }

  @Test
  void theSameSampleGivesTheSameTreeWhateverTheOrderOfItsRows() {
    Sample s = Sample.random(2_000, 14, 11);
    DecisionTree a = DecisionTree.fit(s.x, s.y, 4, 10);
    DecisionTree b = DecisionTree.fit(s.x, s.y, 4, 10);
    assertThat(b).isEqualTo(a);
    assertThat(b.toString()).isEqualTo(a.toString());

    int[] perm = new Random(5).ints(0, Integer.MAX_VALUE).limit(s.x.length).toArray();
    Integer[] order = new Integer[s.x.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    java.util.Arrays.sort(order, (i, j) -> Integer.compare(perm[i], perm[j]));
    double[][] px = new double[s.x.length][];
    int[] py = new int[s.y.length];
    for (int i = 0; i < order.length; i++) {
      px[i] = s.x[order[i]];
      py[i] = s.y[order[i]];
    }
    assertThat(DecisionTree.fit(px, py, 4, 10)).isEqualTo(a);
  }

  @Test
  void fitsFiveThousandPointsOfFourteenFeaturesAtDepth4Quickly() {
    Sample s = Sample.random(5_000, 14, 3);
    DecisionTree tree = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> DecisionTree.fit(s.x, s.y, 4, 20));
    assertThat(tree.depth()).isEqualTo(4);
    assertThat(tree.leaves()).allSatisfy(l -> assertThat(l.samples()).isGreaterThanOrEqualTo(20));
    assertThat(tree.leaves().stream().mapToInt(Leaf::samples).sum()).isEqualTo(5_000);
    // The labels depend on features 0, 3 and 7 (plus noise): the tree finds them.
    assertThat(tree.accuracy(s.x, s.y)).isGreaterThan(0.8);
  }

  @Test
  void leavesKeepAtLeastMinLeafSamplesAndPathsEndInTheLeafThatPlaces() {
    Sample s = Sample.random(500, 3, 8);
    DecisionTree tree = DecisionTree.fit(s.x, s.y, 4, 25);
    assertThat(tree.leaves()).allSatisfy(l -> assertThat(l.samples()).isGreaterThanOrEqualTo(25));
    for (double[] row : s.x) {
      Node n = tree.root();
      for (Step step : tree.path(row)) {
        Split split = (Split) n;
        assertThat(step.feature()).isEqualTo(split.feature());
        assertThat(step.lessOrEqual()).isEqualTo(row[split.feature()] <= split.threshold());
        n = step.lessOrEqual() ? split.lessOrEqual() : split.greater();
      }
      assertThat(n).isSameAs(tree.leafOf(row));
      assertThat(tree.predict(row)).isEqualTo(((Leaf) n).label());
    }
  }

  @Test
  void aSplitThatDoesNotLowerTheImpurityIsNotMade() {
    // Exclusive or: no single split helps, so the root stays a leaf (scikit-learn would split).
    double[][] x = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    DecisionTree tree = DecisionTree.fit(x, new int[] {0, 1, 1, 0}, 2, 1);
    assertThat(tree.root()).isInstanceOf(Leaf.class);
  }

  @Test
  void edgeCasesGiveASingleLeaf() {
    double[][] x = {{1, 5}, {2, 5}, {3, 5}, {4, 5}};
    assertThat(DecisionTree.fit(x, new int[] {4, 4, 4, 4}, 4, 1).root())
        .as("one class").isEqualTo(new Leaf(4, 4, new java.util.TreeMap<>(Map.of(4, 4))));

    double[][] constant = {{1, 5}, {1, 5}, {1, 5}, {1, 5}};
    assertThat(DecisionTree.fit(constant, new int[] {0, 1, 1, 0}, 4, 1).root())
        .as("constant features").isEqualTo(new Leaf(0, 4, new java.util.TreeMap<>(Map.of(0, 2, 1, 2))));

    assertThat(DecisionTree.fit(x, new int[] {0, 0, 1, 1}, 4, 3).root())
        .as("fewer than 2 × minLeaf points").isInstanceOf(Leaf.class);
    assertThat(DecisionTree.fit(x, new int[] {0, 1, 1, 1}, 4, 10).predict(new double[] {1, 5}))
        .as("fewer points than minLeaf: the majority").isEqualTo(1);
    assertThat(DecisionTree.fit(x, new int[] {0, 0, 1, 1}, 0, 1).root()).as("depth 0").isInstanceOf(Leaf.class);
    assertThat(DecisionTree.fit(new double[][] {{3}}, new int[] {9}, 4, 1).predict(new double[] {-1}))
        .as("one point").isEqualTo(9);
  }

  @Test
  void rejectsWhatItCannotFitOrPlace() {
    assertThatThrownBy(() -> DecisionTree.fit(new double[0][], new int[0], 2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecisionTree.fit(new double[][] {{1}, {2}}, new int[] {0}, 2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecisionTree.fit(new double[][] {{1}, {2, 3}}, new int[] {0, 1}, 2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecisionTree.fit(new double[][] {{1}, {Double.NaN}}, new int[] {0, 1}, 2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecisionTree.fit(new double[][] {{}, {}}, new int[] {0, 1}, 2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecisionTree.fit(new double[][] {{1}}, new int[] {0}, -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecisionTree.fit(new double[][] {{1}}, new int[] {0}, 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
    DecisionTree tree = DecisionTree.fit(new double[][] {{1}, {2}}, new int[] {0, 1}, 2, 1);
    assertThatThrownBy(() -> tree.predict(new double[] {1, 2})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.predict(new double[] {Double.NaN})).isInstanceOf(IllegalArgumentException.class);
  }

  /** Points whose label depends on three of their features, with 10 % of labels drawn at random. */
  record Sample(double[][] x, int[] y) {
    static Sample random(int n, int features, long seed) {
      Random r = new Random(seed);
      double[][] x = new double[n][features];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        for (int f = 0; f < features; f++) x[i][f] = Math.round(r.nextGaussian() * 100) / 10.0;
        int label = (x[i][0] > 0 ? 1 : 0) + (x[i][Math.min(3, features - 1)] > 5 ? 2 : 0)
            + (x[i][Math.min(7, features - 1)] < -8 ? 4 : 0);
        y[i] = r.nextInt(10) == 0 ? r.nextInt(8) : label;
      }
      return new Sample(x, y);
    }
  }

  @Test
  void rowsAreOrderedByAFeatureWithTiesInIndexOrderAsTheBoxedSortDid() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    for (int n : new int[] {0, 1, 2, 3, 7, 64, 1000}) {
      double[][] x = new double[n][2];
      for (int i = 0; i < n; i++) {
        // Few distinct values (many ties), and the values Double.compare orders specially.
        double[] special = {-0.0, 0.0, Double.NaN, Double.NEGATIVE_INFINITY, 1.5};
        x[i][0] = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : r.nextInt(5) - 2;
        x[i][1] = r.nextGaussian();
      }
      for (int f = 0; f < 2; f++) {
        final int feature = f;
        int[] reference = java.util.stream.IntStream.range(0, n).boxed()
            .sorted(java.util.Comparator.<Integer>comparingDouble(i -> x[i][feature]).thenComparingInt(i -> i))
            .mapToInt(Integer::intValue).toArray();
        assertThat(DecisionTree.orderBy(x, f)).as("n=%d feature %d", n, f).containsExactly(reference);
      }
    }
  }
}
