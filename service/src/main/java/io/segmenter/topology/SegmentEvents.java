package io.segmenter.topology;

import io.segmenter.clv.Prediction;
import io.segmenter.evaluation.Scored;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.PredictiveScores;
import io.segmenter.events.RfmSnapshot;
import io.segmenter.events.SegmentChange;
import io.segmenter.events.SegmentRef;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** Builds the output records (segment-changes, customer-segments) from a profile and a decision. */
final class SegmentEvents {
  private static final double DAY_MS = 86_400_000.0;

  private SegmentEvents() { }

  static RfmSnapshot rfm(CustomerProfile p, long now) {
    boolean ordered = p.lastOrderAt() != CustomerProfile.NONE;
    return RfmSnapshot.newBuilder()
        .setRecencyDays(ordered ? Math.max(0, (now - p.lastOrderAt()) / DAY_MS) : null)
        .setOrderCount((int) Math.min(Integer.MAX_VALUE, p.orders()))
        .setTotalSpend(p.netSpend())
        .setAverageOrderValue(BigDecimal.valueOf(p.averageOrderValue()).setScale(4, RoundingMode.HALF_EVEN))
        .setLastOrderAt(ordered ? Instant.ofEpochMilli(p.lastOrderAt()) : null)
        .build();
  }

  static SegmentRef ref(ModelSnapshot model, int segmentId) {
    return segmentId < 0 ? null : new SegmentRef(segmentId, model.name(segmentId));
  }

  /**
   * The predictive part of an output: segment, since, scores; null when the customer was not scored.
   * Non-finite numbers cannot occur (the models keep them finite) but would be written as null.
   */
  static PredictiveScores scores(CustomerProfile p, Scored scored) {
    if (scored == null) return null;
    Prediction s = scored.prediction();
    return PredictiveScores.newBuilder()
        .setSegment(io.segmenter.events.PredictiveSegment.valueOf(scored.segment().name()))
        .setSince(Instant.ofEpochMilli(p.predictiveSince()))
        .setPAlive(s.pAlive())
        .setExpectedPurchases30d(s.expectedPurchases30d())
        .setExpectedPurchases90d(s.expectedPurchases90d())
        .setExpectedAverageSpend(finite(s.expectedAverageSpend()))
        .setClv(finite(s.clv()))
        .setParametersFittedAt(Instant.ofEpochMilli(scored.parameters().fittedAt()))
        .build();
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static SegmentChange change(String customerId, CustomerProfile p, int previous, ModelSnapshot model,
      ChangeReason reason, double distance, long eventTime, long now, long wallClock,
      io.segmenter.clv.PredictiveSegment previousPredictive, Scored scored) {
    return change(customerId, p, previous, null, model, reason, distance, eventTime, now, wallClock, previousPredictive,
        scored);
  }

  /**
   * @param previousName the previous segment's name when {@code model} does not have it (a STRATEGY
   *     change: it is the previous champion's), or null to take it from {@code model}
   */
  static SegmentChange change(String customerId, CustomerProfile p, int previous, String previousName,
      ModelSnapshot model, ChangeReason reason, double distance, long eventTime, long now, long wallClock,
      io.segmenter.clv.PredictiveSegment previousPredictive, Scored scored) {
    return SegmentChange.newBuilder()
        .setCustomerId(customerId)
        .setSequence(p.changeSequence())
        .setPreviousSegment(previousName != null && previous >= 0 ? new SegmentRef(previous, previousName)
            : ref(model, previous))
        .setNewSegment(ref(model, p.segmentId()))
        .setReason(reason)
        .setModelVersion(model.version())
        .setRfm(rfm(p, now))
        .setDistance(distance)
        .setEventTime(Instant.ofEpochMilli(eventTime))
        .setProcessingTime(Instant.ofEpochMilli(wallClock))
        .setPreviousPredictiveSegment(previousPredictive == null ? null
            : io.segmenter.events.PredictiveSegment.valueOf(previousPredictive.name()))
        .setPredictiveScores(scores(p, scored))
        .build();
  }

  /**
   * The last change of an erased customer: the segment left, no new segment, and no figures (the
   * data is gone). It carries the customer id so that every consumer can forget the customer too.
   */
  static SegmentChange erasure(String customerId, CustomerProfile p, ModelSnapshot model, long requestedAt,
      long wallClock) {
    return SegmentChange.newBuilder()
        .setCustomerId(customerId)
        .setSequence(p.changeSequence() + 1)
        .setPreviousSegment(ref(model, p.segmentId()))
        .setNewSegment(null)
        .setReason(ChangeReason.ERASURE)
        .setModelVersion(model.version())
        .setRfm(null)
        .setDistance(null)
        .setEventTime(Instant.ofEpochMilli(requestedAt))
        .setProcessingTime(Instant.ofEpochMilli(wallClock))
        .build();
  }

  static CustomerSegment current(String customerId, CustomerProfile p, ModelSnapshot model, double distance,
      long now, long wallClock, Scored scored) {
    return CustomerSegment.newBuilder()
        .setCustomerId(customerId)
        .setSegment(ref(model, p.segmentId()))
        .setSince(Instant.ofEpochMilli(p.segmentSince()))
        .setModelVersion(model.version())
        .setDistance(distance)
        .setRfm(rfm(p, now))
        .setUpdatedAt(Instant.ofEpochMilli(wallClock))
        .setPredictiveScores(scores(p, scored))
        .build();
  }
}
