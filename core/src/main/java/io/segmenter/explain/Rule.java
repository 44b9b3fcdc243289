package io.segmenter.explain;

import java.util.List;

/**
 * One leaf of an explanation tree as a rule: the conjunction of its conditions places a sample in
 * the leaf, whose majority label is label.
 *
 * @param conditions one per feature, in the order the path from the root first tests them; empty
 *     when the tree is a single leaf
 * @param text the conditions joined with " and ", or {@value #EVERYONE} when there are none
 * @param support the sample's points in the leaf
 * @param hits those of them that carry label
 */
public record Rule(int label, List<Condition> conditions, String text, int support, int hits) {
  /** The text of a rule without conditions (a tree that is a single leaf). */
  public static final String EVERYONE = "everyone";

  public Rule {
    conditions = List.copyOf(conditions);
    if (support < 1 || hits < 0 || hits > support) {
      throw new IllegalArgumentException("hits " + hits + " out of support " + support);
    }
  }

  /** Share of the leaf's points that carry label. */
  public double precision() {
    return (double) hits / support;
  }

  /** Whether row meets every condition. */
  public boolean matches(double[] row) {
    for (Condition c : conditions) if (!c.test(row)) return false;
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
