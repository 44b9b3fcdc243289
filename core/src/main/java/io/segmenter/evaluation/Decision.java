package io.segmenter.evaluation;

import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.PredictiveSegment;
import io.segmenter.events.ChangeReason;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import java.util.List;

/**
 * Everything one evaluation of a customer decided, as data: nothing has been written anywhere yet.
 * Whoever applies it writes the profile, the index entries and the training point, and emits the
 * change, all in one step.
 *
 * @param profile the customer's profile after the step (to be stored)
 * @param now the moment the customer was evaluated at
 * @param model the model version the customer was evaluated with, or null (none usable)
 * @param change the segment change to emit, or null when nothing changed
 * @param moves membership-index moves, in order
 * @param cancelBooking due time of an inactivity-index entry to remove, or {@link CustomerProfile#NONE}
 * @param booking due time of an inactivity-index entry to add, or {@link CustomerProfile#NONE}
 * @param point a training point for the model, or null
 * @param summary a repeat-purchase summary for the predictive fit (re-evaluations only), or null
 * @param distance distance to the segment held after the step (NaN without a model)
 * @param scored the predictive scores (null when not scored)
 * @param features the customer's raw features at {@code now} (what the challenger strategies assign from)
 */
public record Decision(CustomerProfile profile, long now, ModelSnapshot model, Change change, List<Move> moves,
    long cancelBooking, long booking, TrainingPoint point, CustomerSummary summary, double distance, Scored scored,
    double[] features) {

  public Decision {
    moves = List.copyOf(moves);
  }

  /**
   * A customer leaves list {@code from} ({@link MemberLists#NONE}: was not listed) and joins list
   * {@code to} (see {@link MemberLists}).
   */
  public record Move(int from, int to) { }

  /**
   * A change to emit.
   *
   * @param previousSegment the K-means segment before (-1: none)
   * @param segmentChanged whether the K-means segment changed (else only the predictive one did)
   * @param previousPredictive the predictive segment before, or null
   * @param eventTime the time of the event that caused it (now for a re-evaluation)
   * @param now the moment the customer was evaluated at
   */
  public record Change(ChangeReason reason, int previousSegment, boolean segmentChanged,
      PredictiveSegment previousPredictive, boolean predictiveChanged, long eventTime, long now) { }

  /** A training point: raw features, the plain nearest centre (-1 without model), its time and sample cap. */
  public record TrainingPoint(double[] raw, int centreId, long time, int sampleCap) { }
}
