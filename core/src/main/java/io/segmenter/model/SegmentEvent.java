package io.segmenter.model;

/**
 * Something that happened to a segment when a model version was made; the segment catalog
 * publishes these, so that a consumer keyed on a name learns that it now means something else.
 *
 * @param fromName RENAMED, MERGED, RETIRED: the name it had; else null
 * @param toName CREATED, RENAMED: the name it has now; else null
 * @param intoCentre MERGED: the segment it became part of; else null
 */
public record SegmentEvent(int centreId, Kind kind, String fromName, String toName, Integer intoCentre) {
  /** What happened. */
  public enum Kind {
    /** A new centre: the first version, a re-seed, or a refresh that chose a larger k. */
    CREATED,
    /** The same centre, another name: it crossed a region boundary, or the joint naming moved it. */
    RENAMED,
    /** Too close to another centre to deserve its own name: it became part of {@code intoCentre}. */
    MERGED,
    /** The model no longer has it (re-seeded, or dropped by a refresh that chose a smaller k). */
    RETIRED
  }
}
