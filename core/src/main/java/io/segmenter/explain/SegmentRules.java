package io.segmenter.explain;

import io.segmenter.explain.DecisionTree.Leaf;
import io.segmenter.explain.DecisionTree.Node;
import io.segmenter.explain.DecisionTree.Split;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Plain rules for segments: a shallow decision tree fitted on a sample of points (features in
 * original units) and the labels a model gave them (e.g. k-means cluster ids); each leaf becomes a
 * rule for its majority label. Two sibling leaves with the same label are one rule (the tree's
 * predictions are unchanged by it). A label that is the majority of no leaf has no rule: the tree
 * cannot tell it apart at this depth, and {@link Explanation#rulesFor} says so with an empty list.
 */
public final class SegmentRules {
  private SegmentRules() {}

  /** {@link #explain(double[][], int[], List, int, int)} with leaves of at least 1 % of the sample (at least 1). */
  public static Explanation explain(double[][] x, int[] labels, List<FeatureLabel> features, int maxDepth) {
    return explain(x, labels, features, maxDepth, Math.max(1, x.length / 100));
  }

  /**
   * Fits a tree of at most maxDepth splits per path and leaves of at least minLeaf points on x and
   * labels, and reads the rules of each label from it. Depth 4 or less keeps rules readable.
   *
   * @param features how to print each feature, one per column of x
   */
  public static Explanation explain(double[][] x, int[] labels, List<FeatureLabel> features, int maxDepth,
      int minLeaf) {
    Objects.requireNonNull(features, "features");
    DecisionTree tree = DecisionTree.fit(x, labels, maxDepth, minLeaf);
    if (features.size() != tree.featureCount()) {
      throw new IllegalArgumentException(features.size() + " feature labels for " + tree.featureCount() + " features");
    }
    for (int f = 0; f < features.size(); f++) {
      FeatureLabel label = Objects.requireNonNull(features.get(f), "feature label " + f);
      if (!label.wholeNumbers()) continue;
      for (int i = 0; i < x.length; i++) {
        if (x[i][f] != Math.rint(x[i][f])) {
          throw new IllegalArgumentException("'" + label.name() + "' is printed as whole numbers but row " + i
              + " has " + x[i][f] + ": round it, or print it with FeatureLabel.number");
        }
      }
    }

    return of(tree, features, tree.accuracy(x, labels), x.length);
  }

  /**
   * The rules of a tree fitted elsewhere (stored with a model version and read back), with the
   * fidelity and sample size measured when it was fitted.
   */
  public static Explanation of(DecisionTree tree, List<FeatureLabel> features, double fidelity, int sampleSize) {
    if (features.size() != tree.featureCount()) {
      throw new IllegalArgumentException(features.size() + " feature labels for " + tree.featureCount() + " features");
    }
    Node ruleTree = mergeSameLabelSiblings(tree.root());
    Map<Leaf, Rule> ruleOfLeaf = new IdentityHashMap<>();
    SortedMap<Integer, List<Rule>> rules = new TreeMap<>();
    for (int l : tree.labels()) rules.put(l, new ArrayList<>());
    collectRules(ruleTree, new ArrayList<>(), features, ruleOfLeaf, rules);
    rules.replaceAll((l, r) -> Explanation.sorted(r));
    return new Explanation(tree, features, ruleTree, ruleOfLeaf, rules, fidelity, sampleSize);
  }

  private static Node mergeSameLabelSiblings(Node n) {
    if (!(n instanceof Split s)) return n;
    Node le = mergeSameLabelSiblings(s.lessOrEqual());
    Node gt = mergeSameLabelSiblings(s.greater());
    if (le instanceof Leaf a && gt instanceof Leaf b && a.label() == b.label()) {
      // The majority of the union is the label too: it leads (or ties and is lower) in both.
      SortedMap<Integer, Integer> counts = new TreeMap<>(a.labelCounts());
      b.labelCounts().forEach((l, c) -> counts.merge(l, c, Integer::sum));
      return new Leaf(a.label(), a.samples() + b.samples(), counts);
    }
    return new Split(s.feature(), s.threshold(), le, gt, s.samples());
  }

  private static void collectRules(Node n, List<DecisionTree.Step> path, List<FeatureLabel> features,
      Map<Leaf, Rule> ruleOfLeaf, SortedMap<Integer, List<Rule>> rules) {
    if (n instanceof Split s) {
      path.add(new DecisionTree.Step(s.feature(), s.threshold(), true));
      collectRules(s.lessOrEqual(), path, features, ruleOfLeaf, rules);
      path.set(path.size() - 1, new DecisionTree.Step(s.feature(), s.threshold(), false));
      collectRules(s.greater(), path, features, ruleOfLeaf, rules);
      path.remove(path.size() - 1);
      return;
    }
    Leaf leaf = (Leaf) n;
    Rule rule = ruleOf(leaf, path, features);
    ruleOfLeaf.put(leaf, rule);
    rules.get(leaf.label()).add(rule);
  }

  /** The leaf's path as one interval per feature, features in the order the path first tests them. */
  static Rule ruleOf(Leaf leaf, List<DecisionTree.Step> path, List<FeatureLabel> features) {
    Map<Integer, double[]> bounds = new LinkedHashMap<>();
    for (DecisionTree.Step step : path) {
      double[] b = bounds.computeIfAbsent(step.feature(),
          f -> new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY});
      if (step.lessOrEqual()) b[1] = Math.min(b[1], step.threshold());
      else b[0] = Math.max(b[0], step.threshold());
    }
    List<Condition> conditions = new ArrayList<>();
    for (var e : bounds.entrySet()) {
      int f = e.getKey();
      double[] b = e.getValue();
      conditions.add(new Condition(f, b[0], b[1], features.get(f).describe(b[0], b[1])));
    }
    String text = conditions.isEmpty() ? Rule.EVERYONE
        : String.join(" and ", conditions.stream().map(Condition::text).toList());
    return new Rule(leaf.label(), conditions, text, leaf.samples(), leaf.count(leaf.label()));
  }
}
