package io.segmenter.model;

import io.segmenter.clv.ClvModel;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version of the global model as the topology uses it: the centres (in standardised feature
 * space), the standardisation statistics that define that space, and the readable segment names.
 *
 * @param createdAt event time of the newest delta merged into this version (not the wall clock,
 *     so that a replay gives identical versions)
 * @param clv the predictive models' parameters every instance scores with, or null (none yet)
 * @param notes the segments' history, panel populations, choice of k and explanation
 */
public record ModelSnapshot(KMeansModel kmeans, FeatureScaler scaler, Map<Integer, String> names, long createdAt,
    ClvModel clv, ModelNotes notes) {
  /** Without predictive parameters. */
  public ModelSnapshot(KMeansModel kmeans, FeatureScaler scaler, Map<Integer, String> names, long createdAt) {
    this(kmeans, scaler, names, createdAt, null, ModelNotes.NONE);
  }

  /** Without notes. */
  public ModelSnapshot(KMeansModel kmeans, FeatureScaler scaler, Map<Integer, String> names, long createdAt,
      ClvModel clv) {
    this(kmeans, scaler, names, createdAt, clv, ModelNotes.NONE);
  }

  public ModelSnapshot withClv(ClvModel parameters) {
    return new ModelSnapshot(kmeans, scaler, names, createdAt, parameters, notes);
  }

  public ModelSnapshot withNotes(ModelNotes n) {
    return new ModelSnapshot(kmeans, scaler, names, createdAt, clv, n);
  }

  /** The taxonomy entry of a centre's name, if the name is one (names of older releases may not be). */
  public java.util.Optional<SegmentName> segmentName(int centreId) {
    return SegmentName.ofLabel(names.get(centreId));
  }

  public ModelSnapshot {
    if (kmeans.dimension() != scaler.dimension()) {
      throw new IllegalArgumentException("model has " + kmeans.dimension() + " dimensions, scaler " + scaler.dimension());
    }
    names = java.util.Collections.unmodifiableMap(new TreeMap<>(names));
    if (notes == null) notes = ModelNotes.NONE;
  }

  public long version() {
    return kmeans.version();
  }

  public double[] standardise(double[] raw) {
    return scaler.standardise(raw);
  }

  /**
   * Centres whose name promises recent buyers (Champions, Loyal): a customer who has not ordered
   * for a long time is kept out of them whatever the geometry says.
   */
  public java.util.Set<Integer> recentBuyersOnly() {
    java.util.Set<Integer> ids = new java.util.TreeSet<>();
    names.forEach((id, n) -> {
      if (SegmentNamer.isChampionsLike(n)) ids.add(id);
    });
    return ids;
  }

  /**
   * A centre in the units people read (days, orders, money, ratios): standardisation and the log
   * transform undone, feature by feature (indices of {@link Features}). Because features are log1p
   * values, a money or count coordinate is the geometric-style typical member, not the arithmetic mean.
   *
   * @throws IllegalArgumentException if this version has no centre with that id
   */
  public double[] centreInOriginalUnits(int centreId) {
    Centre c = kmeans.centre(centreId);
    if (c == null) throw new IllegalArgumentException("model version " + version() + " has no centre " + centreId);
    double[] z = c.position();
    double[] original = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      double v = Features.toOriginalUnits(i, scaler.unstandardise(i, z[i]));
      // Counts, money and days are never negative; a centre of customers who never ordered comes
      // back as -6e-15 orders from the floating-point round trip, which no one should have to read.
      original[i] = Features.isLogTransformed(i) ? Math.max(0.0, v) : v;
    }
    return original;
  }

  /** Readable name of a centre, or "Segment {id}" for an id this version does not know. */
  public String name(int centreId) {
    String n = names.get(centreId);
    return n != null ? n : "Segment " + centreId;
  }
}
