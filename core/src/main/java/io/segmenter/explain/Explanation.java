package io.segmenter.explain;

import io.segmenter.explain.DecisionTree.Leaf;
import io.segmenter.explain.DecisionTree.Node;
import io.segmenter.explain.DecisionTree.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rules of each label (segment) read from a decision tree fitted on a sample, and how faithful
 * the tree is to the labels. Made by {@link SegmentRules#explain}.
 */
public final class Explanation {
  private final DecisionTree tree;
  private final List<FeatureLabel> features;
  private final Node ruleTree;
  private final Map<Leaf, Rule> ruleOfLeaf;
  private final SortedMap<Integer, List<Rule>> rules;
  private final double fidelity;
  private final int sampleSize;

  Explanation(DecisionTree tree, List<FeatureLabel> features, Node ruleTree, Map<Leaf, Rule> ruleOfLeaf,
      SortedMap<Integer, List<Rule>> rules, double fidelity, int sampleSize) {
    this.tree = tree;
    this.features = List.copyOf(features);
    this.ruleTree = ruleTree;
    this.ruleOfLeaf = ruleOfLeaf;
    this.rules = Collections.unmodifiableSortedMap(new TreeMap<>(rules));
    this.fidelity = fidelity;
    this.sampleSize = sampleSize;
  }

  /** The tree as fitted (before sibling leaves of the same label were merged into one rule). */
  public DecisionTree tree() {
    return tree;
  }

  public List<FeatureLabel> features() {
    return features;
  }

  /**
   * Every label of the sample with its rules (largest support first); an empty list for a label that
   * is the majority of no leaf.
   */
  public SortedMap<Integer, List<Rule>> rules() {
    return rules;
  }

  /**
   * The rules of label, largest support first; empty when it is the majority of no leaf, or not in
   * the sample.
   */
  public List<Rule> rulesFor(int label) {
    return rules.getOrDefault(label, List.of());
  }

  /** Share of the sample that the tree places with the label the sample gives it. */
  public double fidelity() {
    return fidelity;
  }

  public int sampleSize() {
    return sampleSize;
  }

  /** The rule of the leaf that places row; its label is the tree's prediction for row. */
  public Rule ruleFor(double[] row) {
    tree.leafOf(row); // checks the row
    Node n = ruleTree;
    while (n instanceof Split s) n = row[s.feature()] <= s.threshold() ? s.lessOrEqual() : s.greater();
    return ruleOfLeaf.get(n);
  }

  /**
   * One line per label, "label: rule (support, precision)" for each of its rules or "label: no rule",
   * then the fidelity.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (var e : rules.entrySet()) {
      if (e.getValue().isEmpty()) sb.append(e.getKey()).append(": no rule\n");
      for (Rule r : e.getValue()) {
        sb.append(e.getKey()).append(": ").append(r.text()).append(String.format(Locale.ROOT,
            " (%d in the leaf, %.0f %% of them)%n", r.support(), 100 * r.precision()));
      }
    }
    sb.append(String.format(Locale.ROOT, "fidelity %.1f %% of %d%n", 100 * fidelity, sampleSize));
    return sb.toString();
  }

  @Override
  public String toString() {
    return describe();
  }

  static List<Rule> sorted(List<Rule> rules) {
    List<Rule> out = new ArrayList<>(rules);
    out.sort((a, b) -> Integer.compare(b.support(), a.support()));
    return List.copyOf(out);
  }
}
