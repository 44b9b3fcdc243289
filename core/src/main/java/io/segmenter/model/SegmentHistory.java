package io.segmenter.model;

import io.segmenter.model.SegmentEvent.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What happened to each segment between two model versions, for the segment catalog. */
final class SegmentHistory {
  private SegmentHistory() { }

  /**
   * @param previous the previous version, or null for the first
   * @param model the new version's centres (after merges)
   * @param names the new version's names
   * @param merges centres merged while naming the new version (from id -> into id), in order
   * @param scaler the new version's standardisation, to find where a dropped centre went
   */
  static List<SegmentEvent> events(ModelSnapshot previous, KMeansModel model, Map<Integer, String> names,
      Map<Integer, Integer> merges, FeatureScaler scaler) {
    List<SegmentEvent> out = new ArrayList<>();
    for (Centre c : model.centres()) {
      String name = names.get(c.id());
      if (previous == null || previous.kmeans().centre(c.id()) == null) {
        out.add(new SegmentEvent(c.id(), Kind.CREATED, null, name, null));
      } else if (!previous.name(c.id()).equals(name)) {
        out.add(new SegmentEvent(c.id(), Kind.RENAMED, previous.name(c.id()), name, null));
      }
    }
    if (previous == null) return out;
    for (Centre gone : previous.kmeans().centres()) {
      if (model.centre(gone.id()) != null) continue;
      String had = previous.name(gone.id());
      if (merges.containsKey(gone.id())) {
        out.add(new SegmentEvent(gone.id(), Kind.MERGED, had, null, finalTarget(gone.id(), merges)));
      } else if (reseeded(gone.id(), model)) {
        out.add(new SegmentEvent(gone.id(), Kind.RETIRED, had, null, null));
      } else {
        // Dropped by a refresh that chose fewer centres: its customers go mostly to the nearest one.
        double[] raw = new double[gone.position().length];
        for (int i = 0; i < raw.length; i++) raw[i] = previous.scaler().unstandardise(i, gone.position()[i]);
        out.add(new SegmentEvent(gone.id(), Kind.MERGED, had, null, model.nearest(scaler.standardise(raw)).centreId()));
      }
    }
    return out;
  }

  private static int finalTarget(int id, Map<Integer, Integer> merges) {
    int at = id;
    while (merges.containsKey(at)) at = merges.get(at);
    return at;
  }

  private static boolean reseeded(int id, KMeansModel model) {
    for (Centre c : model.centres()) if (c.replacesId() != null && c.replacesId() == id) return true;
    return false;
  }
}
