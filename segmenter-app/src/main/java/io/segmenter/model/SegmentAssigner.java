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
    Assignment nearest = model.nearest(z);
    if (currentId == nearest.centreId()) return new Decision(currentId, nearest.distance(), false, currentId);
    Centre current = currentId < 0 ? null : model.centre(currentId);
    if (current == null) {
      // No segment yet, or its centre was re-seeded away: nothing to be loyal to.
      return new Decision(nearest.centreId(), nearest.distance(), true, nearest.centreId());
    }
    double currentDistance = Math.sqrt(KMeansModel.squaredDistance(z, current.position()));
    if (nearest.distance() < (1 - margin) * currentDistance) {
      return new Decision(nearest.centreId(), nearest.distance(), true, nearest.centreId());
    }
    return new Decision(currentId, currentDistance, false, nearest.centreId());
  }
}
