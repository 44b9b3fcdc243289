package io.segmenter.clv;

/**
 * Predictive segments: where a customer's predicted future puts them, by the rules of
 * {@link PredictiveRules} on the BG/NBD and Gamma-Gamma scores. Alongside the K-means segment, not
 * instead of it. The constants' names are those of the Avro enum of the output topics.
 */
public enum PredictiveSegment {
  HIGH_CHURN_RISK("High churn risk"),
  NEW_WITH_POTENTIAL("New, with potential"),
  HIGH_VALUE_STABLE("High value, stable"),
  REGULAR("Regular");

  private static final PredictiveSegment[] ALL = values();
  private final String label;

  PredictiveSegment(String label) {
    this.label = label;
  }

  /** Readable name, for people (metrics labels use {@link #name()}). */
  public String label() {
    return label;
  }

  /** The segment of an ordinal kept in a profile, or null for a negative one (none). */
  public static PredictiveSegment ofOrdinal(int ordinal) {
    return ordinal < 0 || ordinal >= ALL.length ? null : ALL[ordinal];
  }
}
