package io.segmenter.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * A small CART classification tree: Gini impurity, binary splits "x[f] ≤ t" with t the midpoint
 * between two neighbouring distinct values of the node's samples, a maximum depth and a minimum
 * number of samples per leaf. Immutable once fitted.
 *
 * <p>Fitting is deterministic: among splits with the same impurity decrease the one on the lowest
 * feature index wins, then the lowest threshold; a leaf's label is its most frequent label, the
 * lowest label on a tie. A node is split only if the split lowers the weighted Gini impurity. Each
 * feature is sorted once; children inherit their parent's sorted orders by stable partition, so a
 * node costs O(features × samples).
 */
public final class DecisionTree {
  /** A node of the tree: a {@link Leaf} or a {@link Split}. */
  public sealed interface Node permits Leaf, Split {
    /** Training samples that reach this node. */
    int samples();
  }

  /**
   * A leaf: its label (the most frequent of its samples, the lowest on a tie) and the number of its
   * training samples per label (labels with no samples are absent).
   */
  public record Leaf(int label, int samples, SortedMap<Integer, Integer> labelCounts) implements Node {
    public Leaf {
      labelCounts = Collections.unmodifiableSortedMap(new TreeMap<>(labelCounts));
    }

    /** Training samples of this leaf that carry label. */
    public int count(int label) {
      return labelCounts.getOrDefault(label, 0);
    }
  }

  /** A split: samples with x[feature] ≤ threshold go to lessOrEqual, the others to greater. */
  public record Split(int feature, double threshold, Node lessOrEqual, Node greater, int samples) implements Node {
    public Split {
      Objects.requireNonNull(lessOrEqual, "lessOrEqual");
      Objects.requireNonNull(greater, "greater");
    }
  }

  /** One step of a path from the root: x[feature] ≤ threshold (lessOrEqual) or x[feature] > threshold. */
  public record Step(int feature, double threshold, boolean lessOrEqual) { }

  private final Node root;
  private final int featureCount;
  private final List<Integer> labels;

  private DecisionTree(Node root, int featureCount, List<Integer> labels) {
    this.root = root;
    this.featureCount = featureCount;
    this.labels = labels;
  }

  /**
   * A tree as fitted elsewhere (stored with a model version and read back): its nodes, the number of
   * features its rows have, and the labels of the sample it was fitted on.
   */
  public static DecisionTree of(Node root, int featureCount, List<Integer> labels) {
    Objects.requireNonNull(root, "root");
    if (featureCount < 1) throw new IllegalArgumentException("a tree needs at least one feature: " + featureCount);
    checkFeatures(root, featureCount);
    return new DecisionTree(root, featureCount, List.copyOf(labels));
  }

  private static void checkFeatures(Node n, int featureCount) {
    if (n instanceof Split s) {
      if (s.feature() < 0 || s.feature() >= featureCount || !Double.isFinite(s.threshold())) {
        throw new IllegalArgumentException("split on feature " + s.feature() + " at " + s.threshold()
            + " in a tree of " + featureCount + " features");
      }
      checkFeatures(s.lessOrEqual(), featureCount);
      checkFeatures(s.greater(), featureCount);
    }
  }

  /**
   * Fits a tree on rows x (all of the same length, finite values) with labels y.
   *
   * @param maxDepth the most splits on any path (0: a single leaf)
   * @param minLeaf the fewest training samples a leaf may have (at least 1); a node with fewer than
   *     2 × minLeaf samples is a leaf
   */
  public static DecisionTree fit(double[][] x, int[] y, int maxDepth, int minLeaf) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (x.length == 0) throw new IllegalArgumentException("cannot fit a tree on no samples");
    if (x.length != y.length) {
      throw new IllegalArgumentException("x has " + x.length + " rows but y has " + y.length + " labels");
    }
    if (maxDepth < 0) throw new IllegalArgumentException("maxDepth must be at least 0, got " + maxDepth);
    if (minLeaf < 1) throw new IllegalArgumentException("minLeaf must be at least 1, got " + minLeaf);
    int features = checkRows(x);
    int[] labels = IntStream.of(y).distinct().sorted().toArray();
    int[] classOf = new int[y.length];
    for (int i = 0; i < y.length; i++) classOf[i] = Arrays.binarySearch(labels, y[i]);

    int[][] sorted = new int[features][];
    for (int f = 0; f < features; f++) {
      sorted[f] = orderBy(x, f);
    }
    Builder b = new Builder(x, classOf, labels, maxDepth, minLeaf);
    Node root = b.build(sorted, 0);
    return new DecisionTree(root, features, IntStream.of(labels).boxed().toList());
  }

  /**
   * The row indices ordered by feature f ({@link Double#compare}), ties by index: a stable merge
   * sort of primitive ints (the boxed stream sort this replaces was 3 % of the stream threads' time,
   * for a fit at every model version).
   */
  static int[] orderBy(double[][] x, int f) {
    int n = x.length;
    double[] value = new double[n];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      value[i] = x[i][f];
      order[i] = i;
    }
    int[] buffer = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n - width; lo += 2 * width) {
        int mid = lo + width;
        int hi = Math.min(lo + 2 * width, n);
        int a = lo;
        int b = mid;
        int k = lo;
        // "<= 0" takes the left run first on equal values: stable, so ties stay in index order.
        while (a < mid && b < hi) buffer[k++] = Double.compare(value[order[a]], value[order[b]]) <= 0 ? order[a++] : order[b++];
        while (a < mid) buffer[k++] = order[a++];
        while (b < hi) buffer[k++] = order[b++];
        System.arraycopy(buffer, lo, order, lo, hi - lo);
      }
    }
    return order;
  }

  private static int checkRows(double[][] x) {
    int features = -1;
    for (int i = 0; i < x.length; i++) {
      double[] row = Objects.requireNonNull(x[i], "row " + i);
      if (features < 0) features = row.length;
      if (row.length != features) {
        throw new IllegalArgumentException("row " + i + " has " + row.length + " features, row 0 has " + features);
      }
      for (int f = 0; f < row.length; f++) {
        if (!Double.isFinite(row[f])) {
          throw new IllegalArgumentException("row " + i + ", feature " + f + " is not finite: " + row[f]);
        }
      }
    }
    if (features == 0) throw new IllegalArgumentException("rows need at least one feature");
    return features;
  }

  private static final class Builder {
    private final double[][] x;
    private final int[] classOf;
    private final int[] labels;
    private final int maxDepth;
    private final int minLeaf;
    private final boolean[] goesLeft;

    Builder(double[][] x, int[] classOf, int[] labels, int maxDepth, int minLeaf) {
      this.x = x;
      this.classOf = classOf;
      this.labels = labels;
      this.maxDepth = maxDepth;
      this.minLeaf = minLeaf;
      this.goesLeft = new boolean[x.length];
    }

    /** sorted[f]: the node's samples ordered by feature f (ties by index); the same set for every f. */
    Node build(int[][] sorted, int depth) {
      int n = sorted[0].length;
      long[] counts = new long[labels.length];
      for (int i : sorted[0]) counts[classOf[i]]++;
      long parentSumSq = 0;
      for (long c : counts) parentSumSq += c * c;
      // Weighted Gini of a split = 1 - (sumSqL / nL + sumSqR / nR) / n, so the best split maximises
      // score = sumSqL / nL + sumSqR / nR; the parent's score is sumSq / n.
      double parentScore = (double) parentSumSq / n;
      double bestScore = parentScore;
      int bestFeature = -1;
      double bestThreshold = Double.NaN;
      int bestLeft = -1;
      boolean pure = parentSumSq == (long) n * n;
      if (depth < maxDepth && n >= 2L * minLeaf && !pure) {
        long[] left = new long[labels.length];
        for (int f = 0; f < sorted.length; f++) {
          int[] order = sorted[f];
          Arrays.fill(left, 0);
          long sumSqLeft = 0;
          long sumSqRight = parentSumSq;
          for (int k = 0; k < n - 1; k++) {
            int c = classOf[order[k]];
            long right = counts[c] - left[c];
            sumSqLeft += 2 * left[c] + 1;
            sumSqRight -= 2 * right - 1;
            left[c]++;
            int nLeft = k + 1;
            int nRight = n - nLeft;
            if (nLeft < minLeaf) continue;
            if (nRight < minLeaf) break;
            double v = x[order[k]][f];
            double next = x[order[k + 1]][f];
            if (!(v < next)) continue;
            double score = (double) sumSqLeft / nLeft + (double) sumSqRight / nRight;
            // Strictly better only: earlier features and lower thresholds win ties. The tolerance
            // makes splits that are equal in exact arithmetic tie in floating point too.
            if (score > bestScore + 1e-12 * bestScore) {
              bestScore = score;
              bestFeature = f;
              double mid = (v + next) / 2;
              if (Double.isInfinite(mid)) mid = v / 2 + next / 2;
              bestThreshold = mid < next ? mid : v;
              bestLeft = nLeft;
            }
          }
        }
      }
      if (bestFeature < 0) return leaf(counts, n);

      int[] byBest = sorted[bestFeature];
      for (int k = 0; k < n; k++) goesLeft[byBest[k]] = k < bestLeft;
      int[][] leftSorted = new int[sorted.length][];
      int[][] rightSorted = new int[sorted.length][];
      for (int f = 0; f < sorted.length; f++) {
        int[] l = new int[bestLeft];
        int[] r = new int[n - bestLeft];
        int li = 0;
        int ri = 0;
        for (int i : sorted[f]) {
          if (goesLeft[i]) l[li++] = i; else r[ri++] = i;
        }
        leftSorted[f] = l;
        rightSorted[f] = r;
      }
      Node lessOrEqual = build(leftSorted, depth + 1);
      Node greater = build(rightSorted, depth + 1);
      return new Split(bestFeature, bestThreshold, lessOrEqual, greater, n);
    }

    private Leaf leaf(long[] counts, int n) {
      SortedMap<Integer, Integer> byLabel = new TreeMap<>();
      int best = 0;
      for (int c = 0; c < counts.length; c++) {
        if (counts[c] > 0) byLabel.put(labels[c], (int) counts[c]);
        if (counts[c] > counts[best]) best = c;
      }
      return new Leaf(labels[best], n, byLabel);
    }
  }

  public Node root() {
    return root;
  }

  /** The number of features of a row. */
  public int featureCount() {
    return featureCount;
  }

  /** The distinct labels of the training samples, ascending. */
  public List<Integer> labels() {
    return labels;
  }

  /** The most splits on any path from the root to a leaf. */
  public int depth() {
    return depth(root);
  }

  private static int depth(Node n) {
    return n instanceof Split s ? 1 + Math.max(depth(s.lessOrEqual()), depth(s.greater())) : 0;
  }

  /** The leaves from left (≤ branches first) to right. */
  public List<Leaf> leaves() {
    List<Leaf> out = new ArrayList<>();
    collectLeaves(root, out);
    return List.copyOf(out);
  }

  private static void collectLeaves(Node n, List<Leaf> out) {
    if (n instanceof Split s) {
      collectLeaves(s.lessOrEqual(), out);
      collectLeaves(s.greater(), out);
    } else {
      out.add((Leaf) n);
    }
  }

  /** The label of the leaf that places row. */
  public int predict(double[] row) {
    return leafOf(row).label();
  }

  /** The leaf that places row. */
  public Leaf leafOf(double[] row) {
    checkRow(row);
    Node n = root;
    while (n instanceof Split s) n = row[s.feature()] <= s.threshold() ? s.lessOrEqual() : s.greater();
    return (Leaf) n;
  }

  /** The splits from the root to the leaf that places row, with the branch taken at each. */
  public List<Step> path(double[] row) {
    checkRow(row);
    List<Step> steps = new ArrayList<>();
    Node n = root;
    while (n instanceof Split s) {
      boolean le = row[s.feature()] <= s.threshold();
      steps.add(new Step(s.feature(), s.threshold(), le));
      n = le ? s.lessOrEqual() : s.greater();
    }
    return List.copyOf(steps);
  }

  private void checkRow(double[] row) {
    Objects.requireNonNull(row, "row");
    if (row.length != featureCount) {
      throw new IllegalArgumentException("row has " + row.length + " features, the tree " + featureCount);
    }
    for (int f = 0; f < row.length; f++) {
      if (Double.isNaN(row[f])) throw new IllegalArgumentException("feature " + f + " is NaN");
    }
  }

  /** Share of the rows that the tree places with their label. */
  public double accuracy(double[][] x, int[] y) {
    if (x.length != y.length || x.length == 0) {
      throw new IllegalArgumentException("need as many labels as rows, and at least one row");
    }
    int hits = 0;
    for (int i = 0; i < x.length; i++) if (predict(x[i]) == y[i]) hits++;
    return (double) hits / x.length;
  }

  /** The tree as indented text, one node a line, in the manner of scikit-learn's export_text. */
  public String render(List<String> featureNames) {
    if (featureNames.size() != featureCount) {
      throw new IllegalArgumentException(featureNames.size() + " names for " + featureCount + " features");
    }
    StringBuilder sb = new StringBuilder();
    render(root, featureNames, "", sb);
    return sb.toString();
  }

  private static void render(Node n, List<String> names, String indent, StringBuilder sb) {
    if (n instanceof Split s) {
      String t = String.valueOf(s.threshold());
      sb.append(indent).append("|--- ").append(names.get(s.feature())).append(" <= ").append(t).append('\n');
      render(s.lessOrEqual(), names, indent + "|   ", sb);
      sb.append(indent).append("|--- ").append(names.get(s.feature())).append(" >  ").append(t).append('\n');
      render(s.greater(), names, indent + "|   ", sb);
    } else {
      Leaf l = (Leaf) n;
      sb.append(indent).append("|--- label ").append(l.label()).append(' ').append(l.labelCounts()).append('\n');
    }
  }

  @Override
  public String toString() {
    return render(IntStream.range(0, featureCount).mapToObj(f -> "x[" + f + "]").toList());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecisionTree t && t.featureCount == featureCount && t.labels.equals(labels)
        && t.root.equals(root);
  }

  @Override
  public int hashCode() {
    return Objects.hash(root, featureCount, labels);
  }
}
