package io.segmenter.evaluation;

import io.segmenter.clv.PredictiveSegment;

/**
 * The lists a customer can be a member of, by id, as the membership index keeps them: a K-means
 * centre (its id, from 0 up), the customers waiting for the first model version, and one list per
 * predictive segment. One id space, so that one index and one set of population counts serve all.
 */
public final class MemberLists {
  /** No list: a customer that was not listed anywhere, or is listed nowhere after a move. */
  public static final int NONE = -1;
  /** Customers seen before the first model version. */
  public static final int UNASSIGNED = Integer.MAX_VALUE - 1;
  /**
   * Predictive segments from here on (one per {@link PredictiveSegment}): far above any centre id
   * (centre ids grow by one per re-seeded centre).
   */
  public static final int PREDICTIVE_BASE = Integer.MAX_VALUE - 64;

  private MemberLists() { }

  public static int predictive(PredictiveSegment segment) {
    return PREDICTIVE_BASE + segment.ordinal();
  }

  /** Whether the id is a real centre's (not UNASSIGNED, not a predictive segment). */
  public static boolean isCentre(int id) {
    return id >= 0 && id < PREDICTIVE_BASE;
  }
}
