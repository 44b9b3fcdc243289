package io.segmenter.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Glue between a model and {@link SegmentNamer}: reads each centre back in original units, asks for
 * names, and carries out the merges the namer asks for (two centres too alike to deserve two names
 * become one segment), until every centre has a distinct name.
 */
public final class SegmentNames {
  private SegmentNames() { }

  /**
   * @param model the centres (ids and weights)
   * @param previous names of the previous version by centre id, for stability; empty for none
   * @param merges receives each merge carried out (from id -> into id), in order
   * @return the model after the merges, and its names
   */
  public static Named of(KMeansModel model, FeatureScaler scaler, Map<Integer, String> previous, Map<Integer, Integer> merges) {
    Map<Integer, SegmentName> before = new LinkedHashMap<>();
    previous.forEach((id, label) -> SegmentName.ofLabel(label).ifPresent(n -> before.put(id, n)));
    KMeansModel m = model;
    while (true) {
      SegmentNamer.Outcome outcome = SegmentNamer.name(scores(m, scaler), before);
      if (outcome instanceof SegmentNamer.Named named) {
        Map<Integer, String> labels = new LinkedHashMap<>();
        named.names().forEach((id, n) -> labels.put(id, n.label()));
        return new Named(m, labels);
      }
      SegmentNamer.Merge merge = (SegmentNamer.Merge) outcome;
      m = m.merged(merge.fromId(), merge.intoId());
      merges.put(merge.fromId(), merge.intoId());
    }
  }

  /** Names without history and without merges (the model's centres must all be nameable). */
  public static Map<Integer, String> of(KMeansModel model, FeatureScaler scaler) {
    return of(model, scaler, Map.of(), new LinkedHashMap<>()).names();
  }

  /** A model (after merges) and its names. */
  public record Named(KMeansModel model, Map<Integer, String> names) { }

  /**
   * How far a centre of a version lies outside a name's region (squared, in quintile scores; 0
   * inside): 0 for the name it has means it sits where its name says.
   */
  public static double distanceToRegion(ModelSnapshot version, int centreId, SegmentName name) {
    for (CentreScores c : scores(version.kmeans(), version.scaler())) {
      if (c.id() == centreId) return SegmentNamer.gap(name, c);
    }
    throw new IllegalArgumentException("model version " + version.version() + " has no centre " + centreId);
  }

  static List<CentreScores> scores(KMeansModel model, FeatureScaler scaler) {
    List<CentreScores> out = new ArrayList<>();
    for (Centre c : model.centres()) {
      double[] z = c.position();
      double[] original = new double[z.length];
      for (int i = 0; i < z.length; i++) original[i] = Features.toOriginalUnits(i, scaler.unstandardise(i, z[i]));
      out.add(CentreScores.of(c.id(), z, original));
    }
    return out;
  }
}
