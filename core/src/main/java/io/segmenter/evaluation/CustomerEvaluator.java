package io.segmenter.evaluation;

import io.segmenter.clv.ClvModel;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.Prediction;
import io.segmenter.clv.PredictiveRules;
import io.segmenter.clv.PredictiveSegment;
import io.segmenter.clv.Predictor;
import io.segmenter.evaluation.Decision.Change;
import io.segmenter.evaluation.Decision.Move;
import io.segmenter.evaluation.Decision.TrainingPoint;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentAssigner;
import io.segmenter.profile.CustomerProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides what happens to one customer when an event arrives or when their re-evaluation is due:
 * the new profile, the segment (with hysteresis and the active-window rule), the predictive
 * segment, the change to emit, the index entries to move, the next re-evaluation and the training
 * point. A pure function of (profile, event or tick, model, clock) and the settings: no Kafka, no
 * store, nothing written; see {@link Decision}. It caches what it derives once per model version
 * (the Champions-like centres, the predictor), so keep one per stream task or caller thread.
 *
 * <p>It takes ownership of the profile it is given (freshly decoded by the caller) and returns it,
 * updated, in the decision.
 */
public final class CustomerEvaluator {
  /** The predictive models' time unit. */
  static final double DAY_MS = 86_400_000d;
  /**
   * No promotion to carry out. Otherwise the caller has switched the profile to the new champion's
   * own assignment of the customer (segment and the version that made it, so that hysteresis goes on
   * from where that strategy left it) and passes the segment the customer held under the previous
   * champion: the change emitted, if any, goes from that segment, with reason STRATEGY, and the
   * membership lists move from it. One change per moved customer, whatever else the step decides.
   */
  public static final int NO_SWITCH = Integer.MIN_VALUE;

  private final EvaluatorSettings settings;
  private ModelSnapshot restrictedFor;
  private Set<Integer> restricted = Set.of();
  private Predictor predictor;
  /** The parameters {@link #predictor} was last checked against (by identity). */
  private ClvModel predictorParameters;

  public CustomerEvaluator(EvaluatorSettings settings) {
    this.settings = settings;
  }

  /**
   * A click or an order of the customer.
   *
   * @param stored the customer's profile, or null for a customer not seen before
   * @param taskNow the task's clock; the customer is evaluated at the later of it and the event
   *     time (an event from the future counts for its own customer at its own time)
   */
  public Decision onEvent(CustomerProfile stored, Object event, long eventTime, ModelSnapshot model, long taskNow) {
    return onEvent(stored, event, eventTime, model, taskNow, NO_SWITCH);
  }

  /**
   * A click or an order of a customer whose profile was just switched to another strategy's segment
   * (a promotion, see {@link #NO_SWITCH}).
   *
   * @param switchedFrom the segment the customer held under the previous champion (what was last
   *     emitted for them), or {@link #NO_SWITCH}
   */
  public Decision onEvent(CustomerProfile stored, Object event, long eventTime, ModelSnapshot model, long taskNow,
      int switchedFrom) {
    CustomerProfile profile = stored == null ? CustomerProfile.empty() : stored;
    if (event instanceof ClickEvent click) {
      profile.apply(click, settings.profile());
    } else if (event instanceof OrderEvent order) {
      profile.apply(order, settings.profile());
    } else {
      throw new IllegalArgumentException("not a customer event: " + (event == null ? "null" : event.getClass().getName()));
    }
    long now = Math.max(taskNow, eventTime);
    return evaluate(profile, stored == null, model, now, eventTime, Math.min(now, taskNow), ChangeReason.EVENT,
        CustomerProfile.NONE, stored == null ? NO_SWITCH : switchedFrom);
  }

  /**
   * The customer's re-evaluation is due: time passed, or a new model version asked for it.
   *
   * @param fired due time of the index entry that brought the customer round (the caller removes it)
   */
  public Decision onTick(CustomerProfile stored, long fired, ModelSnapshot model, long now) {
    return onTick(stored, fired, model, now, NO_SWITCH);
  }

  /** A re-evaluation of a customer whose profile was just switched to another strategy's segment. */
  public Decision onTick(CustomerProfile stored, long fired, ModelSnapshot model, long now, int switchedFrom) {
    return evaluate(stored, false, model, now, now, now, ChangeReason.INACTIVITY, fired, switchedFrom);
  }

  /**
   * The customer as a reader sees them at {@code now} without changing anything: features, distances
   * and the predictive scores (what /customers shows). Null parts where there is no model.
   */
  public Assessment assess(CustomerProfile p, ModelSnapshot model, long now) {
    double[] raw = Features.of(p, now, settings.profile());
    if (model == null) return new Assessment(raw, null, Double.NaN, null, null);
    double[] z = model.standardise(raw);
    var assigned = p.segmentId() == CustomerProfile.NO_SEGMENT ? null : model.kmeans().centre(p.segmentId());
    double distance = assigned == null ? Double.NaN : io.segmenter.model.KMeansModel.distance(z, assigned.position());
    var nearest = model.kmeans().centres().isEmpty() ? null : model.kmeans().nearest(z);
    return new Assessment(raw, z, distance, nearest, score(p, model, now));
  }

  /**
   * Assigns with the model, decides the change, books the next re-evaluation and the training point.
   *
   * @param fresh the profile was not stored before this step. A stored profile without a segment
   *     is always listed under {@link MemberLists#UNASSIGNED} (it was only ever evaluated without a
   *     model), a fresh one never: that is how the index and the population counts stay in step.
   * @param pointTime the training point's time: the task's clock, never a future event's own time
   */
  private Decision evaluate(CustomerProfile profile, boolean fresh, ModelSnapshot model, long now, long eventTime,
      long pointTime, ChangeReason trigger, long fired, int switchedFrom) {
    boolean switching = switchedFrom != NO_SWITCH;
    double[] raw = Features.of(profile, now, settings.profile());
    List<Move> moves = new ArrayList<>(2);
    Change change = null;
    Scored scored = null;
    double distance = Double.NaN;
    int nearest = -1;
    // A version older than the one that last assigned the customer (an instance whose global store
    // lags, after a fail-over) is not used for them: a customer's model version never goes back.
    ModelSnapshot usable = model != null && model.version() >= profile.assignedModelVersion() ? model : null;
    if (usable != null) {
      SegmentAssigner.Decision d = SegmentAssigner.decide(profile.segmentId(), usable.standardise(raw), usable.kmeans(),
          settings.hysteresisMargin(), ineligible(profile, usable, now));
      nearest = d.nearestId();
      distance = d.distance();
      scored = score(profile, usable, now);
      PredictiveSegment previousPredictive = PredictiveSegment.ofOrdinal(profile.predictiveSegment());
      boolean predictiveChanged = scored != null && scored.segment() != previousPredictive;
      boolean segmentChanged = switching ? d.segmentId() != switchedFrom : d.changed();
      if (segmentChanged || predictiveChanged) {
        int previous = switching ? switchedFrom : profile.segmentId();
        ChangeReason reason = !segmentChanged ? ChangeReason.PREDICTIVE
            : switching ? ChangeReason.STRATEGY
            : trigger == ChangeReason.INACTIVITY && profile.assignedModelVersion() != usable.version()
            ? ChangeReason.MODEL : trigger;
        if (segmentChanged) {
          int from = previous >= 0 ? previous : fresh ? MemberLists.NONE : MemberLists.UNASSIGNED;
          moves.add(new Move(from, d.segmentId()));
          profile.setSegmentId(d.segmentId());
          profile.setSegmentSince(now);
        }
        if (predictiveChanged) {
          moves.add(new Move(previousPredictive == null ? MemberLists.NONE : MemberLists.predictive(previousPredictive),
              MemberLists.predictive(scored.segment())));
          profile.setPredictiveSegment(scored.segment().ordinal(), now);
        }
        profile.setChangeSequence(profile.changeSequence() + 1);
        change = new Change(reason, previous, segmentChanged, previousPredictive, predictiveChanged, eventTime, now);
      }
      profile.setAssignedModelVersion(usable.version());
    } else if (model == null && fresh) {
      // Listed so that the first model version assigns them at once (see the inactivity punctuator).
      moves.add(new Move(MemberLists.NONE, MemberLists.UNASSIGNED));
    }
    TrainingPoint point = null;
    if (profile.lastSampledAt() == CustomerProfile.NONE || now - profile.lastSampledAt() >= settings.sampleIntervalMs()) {
      point = new TrainingPoint(raw, nearest, pointTime, model == null ? settings.warmupPoints() : settings.sampleCap());
      profile.setLastSampledAt(now);
    }
    long[] booking = nextCheck(profile, usable != null ? usable : model, now, fired);
    CustomerSummary summary = trigger == ChangeReason.INACTIVITY ? summaryForFit(profile, now) : null;
    return new Decision(profile, now, usable, change, moves, booking[0], booking[1], point, summary, distance, scored,
        raw);
  }

  /**
   * Books the customer's next re-evaluation: a recheck interval from now, or sooner when a rule can
   * turn by the clock alone (leaving the active window, P(alive) crossing the churn threshold, the
   * end of the "new" window). An entry already booked between now and then is kept: when it fires
   * the customer is evaluated and booked again, which is correct, and it spares a delete and a put
   * in the index (and its changelog) on every event.
   *
   * @return {entry to cancel or NONE, entry to add or NONE}
   */
  private long[] nextCheck(CustomerProfile profile, ModelSnapshot model, long now, long fired) {
    long next = now + settings.recheckIntervalMs();
    if (profile.lastOrderAt() != CustomerProfile.NONE) {
      long leavesWindow = profile.lastOrderAt() + settings.activeWindowMs() + 1;
      if (leavesWindow > now && leavesWindow < next) next = leavesWindow;
      long predictive = predictiveMoment(profile, model, now);
      if (predictive > now && predictive < next) next = predictive;
    }
    long booked = profile.nextCheckAt();
    long cancel = CustomerProfile.NONE;
    if (booked != CustomerProfile.NONE && booked != fired) {
      if (booked > now && booked <= next) return new long[] {CustomerProfile.NONE, CustomerProfile.NONE};
      cancel = booked;
    }
    profile.setNextCheckAt(next);
    return new long[] {cancel, next};
  }

  /**
   * The next moment a predictive rule turns true by the clock alone, so that the customer is
   * re-evaluated then rather than at the next routine check: P(alive) falling below the churn
   * threshold (closed form), or the end of the "new" window. Long.MAX_VALUE when neither is ahead.
   */
  private long predictiveMoment(CustomerProfile profile, ModelSnapshot model, long now) {
    Predictor p = predictorFor(model);
    if (p == null) return Long.MAX_VALUE;
    long moment = Long.MAX_VALUE;
    if (profile.predictiveSegment() == PredictiveSegment.NEW_WITH_POTENTIAL.ordinal()) {
      long newEnds = profile.firstOrderAt() + (long) Math.floor(settings.clv().newDays() * DAY_MS) + 1;
      if (newEnds > now) moment = newEnds;
    }
    CustomerSummary s = profile.repeatSummary(now, DAY_MS);
    if (s.x() >= 1 && profile.predictiveSegment() != PredictiveSegment.HIGH_CHURN_RISK.ordinal()) {
      double age = p.ageWhenPAliveFallsBelow(s, settings.clv().churnPAlive());
      if (age < 1e7) moment = Math.min(moment, profile.firstOrderAt() + (long) Math.ceil(age * DAY_MS) + 1);
    }
    return moment;
  }

  /**
   * The customer's repeat-purchase summary for the aggregator's fit of the predictive models. Only
   * at re-evaluations as time passes, never at an event: a summary taken at a purchase would always
   * have t_x = T, and the fit would see customers only at their most alive.
   */
  private CustomerSummary summaryForFit(CustomerProfile profile, long now) {
    return settings.clvEnabled() ? profile.repeatSummary(now, DAY_MS) : null;
  }

  /**
   * Scores the customer with the parameters of {@code model}; null when there is nothing to score
   * (predictive models off, no parameters yet, or no order yet: the models start at the first purchase).
   */
  private Scored score(CustomerProfile profile, ModelSnapshot model, long now) {
    Predictor p = predictorFor(model);
    if (p == null) return null;
    CustomerSummary summary = profile.repeatSummary(now, DAY_MS);
    if (summary == null) return null;
    Prediction prediction = p.score(summary);
    PredictiveSegment segment = PredictiveRules.decide(PredictiveSegment.ofOrdinal(profile.predictiveSegment()),
        summary, prediction, p.model(), settings.clv());
    return new Scored(summary, prediction, segment, p.model());
  }

  private Predictor predictorFor(ModelSnapshot model) {
    ClvModel parameters = model == null || !settings.clvEnabled() ? null : model.clv();
    if (parameters == null) return null;
    // Identity first: the parameters are one object per model version, and a record's equals over its
    // nested records (with a list of thresholds) ran at every scored event. Equal parameters of a new
    // version (decoded from the model topic: another object) keep the predictor, and their reference
    // is remembered so that the identity check holds again from the next event on.
    if (parameters != predictorParameters) {
      if (predictor == null || !predictor.model().equals(parameters)) predictor = new Predictor(parameters, settings.clv());
      predictorParameters = parameters;
    }
    return predictor;
  }

  /** Champions-like segments are for customers who ordered within the active window (a business rule). */
  private Set<Integer> ineligible(CustomerProfile profile, ModelSnapshot model, long now) {
    boolean active = profile.lastOrderAt() != CustomerProfile.NONE
        && now - profile.lastOrderAt() <= settings.activeWindowMs();
    return active ? Set.of() : recentBuyersOnly(model);
  }

  /** The model's Champions-like centres, derived once per version (this is on the per-event path). */
  public Set<Integer> recentBuyersOnly(ModelSnapshot model) {
    if (model != restrictedFor) {
      restricted = model.recentBuyersOnly();
      restrictedFor = model;
    }
    return restricted;
  }
}
