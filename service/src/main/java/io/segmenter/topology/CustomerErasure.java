package io.segmenter.topology;

import io.segmenter.clv.PredictiveSegment;
import io.segmenter.evaluation.MemberLists;
import io.segmenter.model.CustomerKey;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forgets a customer (GDPR article 17, CCPA): deletes the profile (with the ids of the customer's
 * recent events, kept there for de-duplication), the history of the customer's segment changes, the
 * challenger strategies' segments and outcome window of the customer (with challengers), and the
 * membership and inactivity index entries
 * (each delete is a tombstone in the store's changelog), announces the end of the customer's segment with an ERASURE change, and writes a
 * tombstone to customer-segments so that compaction removes the current segment. Anything that
 * arrives later for the same id starts a fresh profile. What stays: the anonymous training points
 * already merged into the model, and past records of the output and input topics until their
 * retention (see docs/PRIVACY.md). The profile is deleted last, so that a failure part-way (under
 * at-least-once) finds it again when the request is processed again.
 */
final class CustomerErasure {
  private final ProcessorContext<String, SpecificRecord> context;
  private final TaskStores stores;
  private final SegmenterMetrics metrics;

  /** The model's seed, which keys the panel keys ({@link CustomerKey}). */
  private final long seed;

  CustomerErasure(ProcessorContext<String, SpecificRecord> context, TaskStores stores, SegmenterMetrics metrics, long seed) {
    this.seed = seed;
    this.context = context;
    this.stores = stores;
    this.metrics = metrics;
  }

  /**
   * @param now the task's clock: extra re-evaluations booked by a model version lie before it
   */
  void erase(String customerId, long requestedAt, ModelSnapshot model, long now, long wall) {
    CustomerProfile profile = stores.profiles().get(customerId);
    boolean announce = profile != null && profile.segmentId() >= 0 && model != null;
    if (announce) {
      context.forward(new Record<>(customerId, SegmentEvents.erasure(customerId, profile, model, requestedAt, wall), wall),
          SegmenterTopology.CHANGES_SINK);
    }
    // Always, even for a customer this task does not know: the compacted topic may hold a record
    // written before a restore lost track of it, and a tombstone for nothing costs nothing.
    context.forward(new Record<String, SpecificRecord>(customerId, null, wall), SegmenterTopology.SEGMENTS_SINK);
    if (profile != null) {
      if (profile.nextCheckAt() != CustomerProfile.NONE) stores.index().cancel(profile.nextCheckAt(), customerId);
      stores.members().remove(customerId, profile.segmentId() >= 0 ? profile.segmentId() : MemberLists.UNASSIGNED);
      PredictiveSegment predictive = PredictiveSegment.ofOrdinal(profile.predictiveSegment());
      if (predictive != null) stores.members().remove(customerId, MemberLists.predictive(predictive));
    }
    stores.index().eraseDueBy(customerId, now);
    // Every strategy's aggregator keeps a panel of customers' points: each forgets this one.
    for (MiniBatchBuffer batch : stores.batches().values()) batch.forget(CustomerKey.of(seed, customerId), now);
    stores.history().forget(customerId);
    if (stores.strategies() != null) stores.strategies().forget(customerId);
    if (profile != null) stores.profiles().delete(customerId);
    if (announce) {
      metrics.segmentChanged(model, profile.segmentId(), -1, io.segmenter.events.ChangeReason.ERASURE, requestedAt, wall);
    }
    metrics.erasure(profile != null);
  }
}
