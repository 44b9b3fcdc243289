package io.segmenter.topology;

import io.segmenter.explain.DecisionTree;
import io.segmenter.explain.DecisionTree.Leaf;
import io.segmenter.explain.DecisionTree.Node;
import io.segmenter.explain.DecisionTree.Split;
import io.segmenter.explain.Explanation;
import io.segmenter.explain.SegmentRules;
import io.segmenter.internal.LabelCount;
import io.segmenter.internal.TreeNode;
import io.segmenter.model.FeatureLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A model version's explanation on the model topic: the tree's nodes in pre-order (root first, a
 * split's left subtree before its right), so that every instance reads the same rules and can tell
 * which one places a customer.
 */
final class ExplanationCodec {
  private ExplanationCodec() { }

  static io.segmenter.internal.Explanation toAvro(Explanation e, long version) {
    if (e == null) return null;
    List<TreeNode> nodes = new ArrayList<>();
    write(e.tree().root(), nodes);
    return new io.segmenter.internal.Explanation(e.fidelity(), e.sampleSize(), version, e.tree().featureCount(),
        e.tree().labels(), nodes);
  }

  private static int write(Node n, List<TreeNode> out) {
    int at = out.size();
    if (n instanceof Leaf l) {
      List<LabelCount> counts = new ArrayList<>();
      l.labelCounts().forEach((label, count) -> counts.add(new LabelCount(label, count)));
      out.add(new TreeNode(-1, 0.0, -1, -1, l.label(), (long) l.samples(), counts));
      return at;
    }
    Split s = (Split) n;
    out.add(null); // the split's own slot, filled once its children's positions are known
    int left = write(s.lessOrEqual(), out);
    int right = write(s.greater(), out);
    out.set(at, new TreeNode(s.feature(), s.threshold(), left, right, -1, (long) s.samples(), List.of()));
    return at;
  }

  /** @throws IllegalArgumentException for nodes that do not make a tree (the caller rejects the version) */
  static Explanation fromAvro(io.segmenter.internal.Explanation e) {
    if (e == null) return null;
    List<TreeNode> nodes = e.getNodes();
    if (nodes.isEmpty()) throw new IllegalArgumentException("an explanation without nodes");
    Node root = read(nodes, 0, 0);
    DecisionTree tree = DecisionTree.of(root, e.getFeatures(), e.getLabels());
    return SegmentRules.of(tree, FeatureLabels.ALL, e.getFidelity(), e.getSample());
  }

  private static Node read(List<TreeNode> nodes, int i, int depth) {
    if (i < 0 || i >= nodes.size() || depth > 64) throw new IllegalArgumentException("tree node " + i + " out of place");
    TreeNode n = nodes.get(i);
    if (n.getFeature() < 0) {
      SortedMap<Integer, Integer> counts = new TreeMap<>();
      for (LabelCount c : n.getCounts()) counts.put(c.getLabel(), c.getCount());
      return new Leaf(n.getLabel(), (int) (long) n.getSupport(), counts);
    }
    // Children come after their parent in pre-order: a pointer backwards would be a cycle.
    if (n.getLeft() <= i || n.getRight() <= i) throw new IllegalArgumentException("tree node " + i + " points backwards");
    return new Split(n.getFeature(), n.getThreshold(), read(nodes, n.getLeft(), depth + 1),
        read(nodes, n.getRight(), depth + 1), (int) (long) n.getSupport());
  }
}
