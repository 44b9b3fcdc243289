package io.segmenter.model;

import io.segmenter.explain.Explanation;
import io.segmenter.explain.SegmentRules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a new version says about the customer panel: how many of its customers each segment holds, and why. */
final class PanelView {
  /** The explanation's tree depth: four questions at most, so that a rule stays readable. */
  static final int TREE_DEPTH = 4;
  /** Below this many panel customers a tree would explain noise. */
  static final int MIN_EXPLAINED = 50;
  /**
   * The tree is fitted on at most this many panel customers, those with the smallest keys: a uniform
   * sample of the panel (the keys are), which keeps the fit under about 60 ms per version.
   */
  static final int MAX_EXPLAINED = 2_000;

  private PanelView() { }

  static ModelNotes notes(ModelSnapshot snapshot, CustomerPanel panel, List<SegmentEvent> events,
      ModelNotes.ClusterCount clusterCount) {
    List<PanelPoint> points = panel.points();
    Map<Integer, Long> members = new HashMap<>();
    double[][] x = new double[points.size()][];
    int[] labels = new int[points.size()];
    for (int i = 0; i < points.size(); i++) {
      double[] raw = points.get(i).raw();
      labels[i] = snapshot.kmeans().nearest(snapshot.standardise(raw)).centreId();
      members.merge(labels[i], 1L, Long::sum);
      x[i] = FeatureLabels.readable(raw);
    }
    int n = Math.min(points.size(), MAX_EXPLAINED);
    Explanation explanation = n >= MIN_EXPLAINED
        ? SegmentRules.explain(java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(labels, n), FeatureLabels.ALL, TREE_DEPTH)
        : null;
    return new ModelNotes(points.size(), panel.estimatedCustomers(), members, events, clusterCount, explanation);
  }
}
