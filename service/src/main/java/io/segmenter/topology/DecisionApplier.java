package io.segmenter.topology;

import io.segmenter.evaluation.Decision;
import io.segmenter.evaluation.Decision.Change;
import io.segmenter.evaluation.Decision.Move;
import io.segmenter.events.ChangeReason;
import io.segmenter.model.CustomerKey;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.ChangeHistory;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.RecentIds;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Carries out a {@link Decision}: emits the change and adds it to the customer's history, moves the index entries, books the next
 * re-evaluation, adds the training point, and stores the profile, which carries the event's
 * de-duplication id (so the step is marked done by the same write that records its effect); a
 * re-evaluation removes the index entry that brought the customer round last. Metrics are counted
 * once everything is written.
 *
 * <p>Why this order is safe: under exactly-once (the default) the step is atomic whatever the
 * order, because any exception here fails the task and Kafka Streams aborts the transaction and
 * restores the stores from their changelogs (the processing handler dead-letters only invalid
 * input, which is rejected before this runs). The order matters under at-least-once: a failure
 * before the marking write makes the step run again from the start (at worst an output or a store
 * write repeated), never a step skipped for good (an event taken for a duplicate, a lost re-check).
 */
final class DecisionApplier {
  private final ProcessorContext<String, SpecificRecord> context;
  private final TaskStores stores;
  private final SegmenterMetrics metrics;
  /** The model's seed: it keys the customers' panel keys ({@link CustomerKey}). */
  private final long seed;
  private final long dedupTtlMs;
  private final int dedupMaxIds;

  private final Strategies strategies;

  DecisionApplier(ProcessorContext<String, SpecificRecord> context, TaskStores stores, SegmenterMetrics metrics,
      TopologySettings settings, Strategies strategies) {
    this.strategies = strategies;
    this.context = context;
    this.stores = stores;
    this.metrics = metrics;
    this.seed = settings.model().seed();
    this.dedupTtlMs = settings.dedupTtlMs();
    this.dedupMaxIds = settings.dedupMaxIds();
  }

  /**
   * An event's step; its de-duplication id is stored with the profile.
   *
   * @param champion the step's champion, whose mini-batch takes the training point
   */
  void applyEvent(String customerId, Decision d, long dedupId, long eventTime, long wall, String champion) {
    RecentIds ids = d.profile().recentIds();
    // Ids whose event time is more than the TTL behind the customer's now go first; the new one is
    // always added (even a late event's: a retry right after it is still caught) and goes at a later write.
    ids.forgetBefore(d.now() - dedupTtlMs);
    if (ids.add(dedupId, eventTime, dedupMaxIds)) metrics.dedupIdForgottenEarly();
    write(customerId, d, wall, champion);
    count(d, wall);
  }

  /**
   * A re-evaluation's step; the fired index entry is removed last.
   *
   * @param champion the step's champion, whose mini-batch takes the training point
   */
  void applyTick(String customerId, Decision d, Bytes fired, long wall, String champion) {
    d.profile().recentIds().forgetBefore(d.now() - dedupTtlMs);
    write(customerId, d, wall, champion);
    stores.index().remove(fired);
    metrics.reevaluated();
    count(d, wall);
  }

  private void write(String customerId, Decision d, long wall, String champion) {
    Change c = d.change();
    CustomerProfile p = d.profile();
    if (c != null) {
      // Stamped with the emission time, like the payload's processingTime: in a replay of history an
      // event-time stamp would be years old and the broker's time-based retention would delete the
      // change as soon as it arrived. The event time travels in the payload.
      // A STRATEGY change leaves a segment of the previous champion: named by that strategy's model.
      String previousName = c.reason() == ChangeReason.STRATEGY ? strategies.nameOf(c.previousSegment()) : null;
      context.forward(new Record<>(customerId, SegmentEvents.change(customerId, p, c.previousSegment(), previousName,
          d.model(),
          c.reason(), d.distance(), c.eventTime(), c.now(), wall, c.previousPredictive(), d.scored()), wall),
          SegmenterTopology.CHANGES_SINK);
      context.forward(new Record<>(customerId, SegmentEvents.current(customerId, p, d.model(), d.distance(), c.now(),
          wall, d.scored()), wall), SegmenterTopology.SEGMENTS_SINK);
      stores.history().record(customerId, historyEntry(c, p, d.model(), wall));
    }
    for (Move m : d.moves()) stores.members().move(customerId, m);
    if (d.cancelBooking() != CustomerProfile.NONE) stores.index().cancel(d.cancelBooking(), customerId);
    if (d.booking() != CustomerProfile.NONE) stores.index().book(d.booking(), customerId);
    // The champion's training point, by the champion's nearest centre (the challengers' are StrategyStep's).
    MiniBatchBuffer batch = stores.batch(champion);
    if (d.point() != null) batch.add(d.point(), CustomerKey.of(seed, customerId));
    if (d.summary() != null) batch.offer(d.summary(), d.now());
    stores.profiles().put(customerId, p);
  }

  /** The change as the customer's history keeps it: what the segment-changes record says, in brief. */
  private static ChangeHistory.Entry historyEntry(Change c, CustomerProfile p, ModelSnapshot model, long wall) {
    return new ChangeHistory.Entry(p.changeSequence(), wall, c.eventTime(),
        c.previousSegment() >= 0 ? c.previousSegment() : ChangeHistory.NONE, p.segmentId(), c.reason(), model.version(),
        c.previousPredictive() == null ? ChangeHistory.NONE : c.previousPredictive().ordinal(),
        p.predictiveSegment() >= 0 ? p.predictiveSegment() : ChangeHistory.NONE);
  }

  private void count(Decision d, long wall) {
    ModelSnapshot model = d.model();
    if (model == null) return;
    metrics.assigned(d.distance());
    Change c = d.change();
    CustomerProfile p = d.profile();
    if (c != null) {
      boolean strategy = c.reason() == ChangeReason.STRATEGY;
      metrics.segmentChanged(model, c.segmentChanged() ? c.previousSegment() : p.segmentId(),
          strategy ? strategies.nameOf(c.previousSegment()) : null, p.segmentId(), c.reason(), c.eventTime(), wall);
      if (c.predictiveChanged()) metrics.predictiveChanged(c.previousPredictive(), d.scored().segment());
    }
    if (d.scored() != null) metrics.scored(model.name(p.segmentId()), d.scored().prediction());
  }
}
