package io.segmenter.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a model version says about its segments beyond the centres: what happened to them in this
 * version, how many customers of the panel each one holds, how k was chosen, and the plain-rule
 * explanation.
 *
 * @param panelSize customers in the panel when the version was made
 * @param panelCustomers customers behind the panel (exact while it is not full, else estimated)
 * @param panelMembers centre id -> panel customers nearest to it
 * @param events segments created, renamed, merged or retired by this version
 * @param clusterCount how k was chosen at the last refresh, or null
 * @param explanation the decision tree fitted to the assignments, or null
 */
public record ModelNotes(int panelSize, long panelCustomers, Map<Integer, Long> panelMembers, List<SegmentEvent> events,
    ClusterCount clusterCount, io.segmenter.explain.Explanation explanation) {
  public static final ModelNotes NONE = new ModelNotes(0, 0, Map.of(), List.of(), null, null);

  public ModelNotes {
    panelMembers = java.util.Collections.unmodifiableMap(new TreeMap<>(panelMembers));
    events = List.copyOf(events);
  }

  /** Estimated customers of a segment: its share of the panel times the customers behind the panel. */
  public long estimatedPopulation(int centreId) {
    if (panelSize == 0) return 0;
    return Math.round((double) panelMembers.getOrDefault(centreId, 0L) / panelSize * panelCustomers);
  }

  /**
   * How k was chosen.
   *
   * @param k the k chosen (before merges)
   * @param silhouette its mean silhouette on the panel
   * @param chosenInVersion the version of the refresh that chose it
   * @param scores k -> {silhouette, inertia} for every k tried
   */
  public record ClusterCount(int k, double silhouette, long chosenInVersion, Map<Integer, double[]> scores) {
    public ClusterCount {
      scores = java.util.Collections.unmodifiableMap(new TreeMap<>(scores));
    }
  }
}
