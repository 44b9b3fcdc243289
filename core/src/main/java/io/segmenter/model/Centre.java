package io.segmenter.model;

import java.util.Arrays;

/** One k-means centre; the id is stable across versions (centres move, they are not renumbered). */
public final class Centre {
  private final int id;
  private final double[] position;
  private final double weight;
  private final long createdInVersion;
  private final long lastUpdatedInVersion;
  private final Integer replacesId;

  public Centre(int id, double[] position, double weight, long createdInVersion,
         long lastUpdatedInVersion, Integer replacesId) {
    this.id = id;
    this.position = position.clone();
    this.weight = weight;
    this.createdInVersion = createdInVersion;
    this.lastUpdatedInVersion = lastUpdatedInVersion;
    this.replacesId = replacesId;
  }

  public int id() { return id; }
  public double[] position() { return position.clone(); }
  double coordinate(int i) { return position[i]; }
  public double weight() { return weight; }
  public long createdInVersion() { return createdInVersion; }
  public long lastUpdatedInVersion() { return lastUpdatedInVersion; }
  /** Id of the dead centre this one re-seeded, or null. */
  public Integer replacesId() { return replacesId; }

  @Override public String toString() {
    return "Centre{" + id + " " + Arrays.toString(position) + " w=" + weight + "}";
  }
}
