package io.segmenter.model;

/**
 * Picks a customer's segment with hysteresis: a customer who already has a segment moves only when
 * the nearest centre is closer than the current one by a relative margin, so a customer sitting near
 * the boundary between two segments does not flap between them on every event.
 */
public final class SegmentAssigner {
  private SegmentAssigner() { }

  /**
   * The outcome: the segment to hold, its distance, whether it differs from the current one, and
   * the plain nearest centre (what the online model trains on, hysteresis or not).
   */
  public record Decision(int segmentId, double distance, boolean changed, int nearestId) { }

  /**
   * @param currentId the customer's segment, or -1 when it has none
   * @param z the customer's standardised feature vector
   * @param margin relative margin in [0, 1): move when {@code d(new) < (1 - margin) * d(current)}
   */
  public static Decision decide(int currentId, double[] z, KMeansModel model, double margin) {
    return decide(currentId, z, model, margin, java.util.Set.of());
  }

  /**
   * As {@link #decide(int, double[], KMeansModel, double)}, but the customer may not be put in the
   * centres of {@code ineligible} (a business rule on top of the geometry, e.g. "Champions have
   * bought recently"): they go to the nearest eligible centre, and leave an ineligible current one
   * without hysteresis. The model still trains on the plain nearest centre ({@code nearestId}).
   */
  public static Decision decide(int currentId, double[] z, KMeansModel model, double margin,
      java.util.Set<Integer> ineligible) {
    Assignment plain = model.nearest(z);
    Assignment nearest = ineligible.isEmpty() || !ineligible.contains(plain.centreId()) ? plain
        : nearestEligible(z, model, ineligible, plain);
    if (ineligible.contains(currentId)) currentId = -1;
    if (currentId == nearest.centreId()) return new Decision(currentId, nearest.distance(), false, plain.centreId());
    Centre current = currentId < 0 ? null : model.centre(currentId);
    if (current == null) {
      // No segment yet, or its centre was re-seeded away: nothing to be loyal to.
      return new Decision(nearest.centreId(), nearest.distance(), true, plain.centreId());
    }
    double currentDistance = Math.sqrt(KMeansModel.squaredDistance(z, current.position()));
    if (nearest.distance() < (1 - margin) * currentDistance) {
      return new Decision(nearest.centreId(), nearest.distance(), true, plain.centreId());
    }
    return new Decision(currentId, currentDistance, false, plain.centreId());
  }

  /** Nearest centre outside {@code ineligible}; the plain nearest if every centre is ineligible. */
  private static Assignment nearestEligible(double[] z, KMeansModel model, java.util.Set<Integer> ineligible,
      Assignment plain) {
    int best = -1;
    double bestD = Double.POSITIVE_INFINITY;
    for (Centre c : model.centres()) {
      if (ineligible.contains(c.id())) continue;
      double d = KMeansModel.squaredDistance(z, c.position());
      if (d < bestD) {
        bestD = d;
        best = c.id();
      }
    }
    return best < 0 ? plain : new Assignment(best, Math.sqrt(bestD), plain.distance());
  }
}
