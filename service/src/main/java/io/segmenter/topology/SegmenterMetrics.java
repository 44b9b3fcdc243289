package io.segmenter.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.segmenter.clv.Prediction;
import io.segmenter.clv.PredictiveSegment;
import io.segmenter.events.ChangeReason;
import io.segmenter.flows.FlowRing;
import io.segmenter.model.Centre;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.ModelVersions;
import io.segmenter.model.SegmentNamesSeen;
import io.segmenter.serde.AvroSerdeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * segmenter's own meters, one set per Kafka Streams instance. Never a customer id as a label: tags
 * are event types, outcomes, rejection reasons, segment ids and names, and change reasons, all
 * bounded. Names as Prometheus shows them:
 *
 * <ul>
 *   <li>{@code segmenter_events_in_total{type,outcome}}: input records; {@code type} = click, order
 *       (other for a record of no known type), {@code outcome} = processed, duplicate (a retry,
 *       dropped), invalid (sent to the dead-letter topic);
 *   <li>{@code segmenter_events_invalid_total{reason}}: invalid records by
 *       {@link InvalidEventException#reason()} (NEGATIVE_AMOUNT, FOREIGN_CURRENCY, ...), the serde's
 *       reason for records that do not decode (BAD_MAGIC_BYTE, UNKNOWN_SCHEMA_ID, ...);
 *   <li>{@code segmenter_internal_records_rejected_total{topic,reason}}: records on the internal
 *       topics skipped as undecodable or impossible ({@link RejectedRecord.Reason});
 *   <li>{@code segmenter_segment_changes_total{from,to,reason}}: emitted segment changes, by segment
 *       name ({@code from} = "none" for a customer's first segment) and reason (EVENT, INACTIVITY,
 *       MODEL, ERASURE with {@code to} = "none");
 *   <li>{@code segmenter_segment_population{segment_id,segment}}: customers in each segment of the
 *       current model, in the tasks this instance runs ({@code sum by (segment_id)} over the
 *       instances is the whole population); {@code segmenter_customers_unassigned}: customers seen
 *       before the first model version, waiting for it;
 *   <li>{@code segmenter_model_version}: the newest model version on this instance, -1 before any;
 *       {@code segmenter_model_updated_timestamp_seconds}: when this instance took it in (wall clock);
 *   <li>{@code segmenter_model_centre_drift} (summary: _count, _sum, _max): per surviving centre and
 *       new model version, the Euclidean distance in standardised space between its old and new
 *       position; {@code segmenter_model_update_max_drift}: the largest drift of the latest update;
 *   <li>{@code segmenter_assignment_distance} (summary): distance to the held centre at each
 *       assignment (every evaluation with a model: events and re-evaluations); mean = _sum / _count;
 *   <li>{@code segmenter_event_to_emit_latency_seconds} (histogram), {@code segmenter_event_to_emit_stale_total}:
 *       see {@link #EVENT_TO_EMIT};
 *   <li>{@code segmenter_model_delta_wait_seconds} (histogram): how long each delta waited on the
 *       model-deltas topic before the aggregator merged it, see {@link #DELTA_WAIT};
 *   <li>{@code segmenter_model_version_compute_seconds} (timer) and {@code segmenter_model_deltas_queued}
 *       (gauge): the aggregator's time per version, and the deltas waiting behind the version being
 *       computed, see {@link #VERSION_COMPUTE};
 *   <li>{@code segmenter_inactivity_reevaluations_total}: customers re-evaluated by the punctuator;
 *   <li>{@code segmenter_dedup_ids_forgotten_early_total}: event ids forgotten before their TTL (a
 *       customer with more than {@code segmenter.dedup.max.ids} recent events);
 *   <li>{@code segmenter_erasures_total{outcome}}: erasure requests carried out, {@code outcome} =
 *       erased (state deleted) or unknown (nothing held for that id);
 *   <li>{@code segmenter_predictive_segment_population{predictive_segment}}: customers in each
 *       predictive segment (HIGH_CHURN_RISK, NEW_WITH_POTENTIAL, HIGH_VALUE_STABLE, REGULAR), in the
 *       tasks this instance runs;
 *   <li>{@code segmenter_predictive_segment_changes_total{from,to}}: predictive segment changes
 *       ({@code from} = "none" for a customer's first);
 *   <li>{@code segmenter_prediction_p_alive{segment}}, {@code segmenter_prediction_clv{segment}},
 *       {@code segmenter_prediction_expected_purchases_90d{segment}} (summaries: _count, _sum, _max;
 *       P(alive) also as a histogram): the scores of every evaluation of a customer with orders, by
 *       K-means segment name; mean = _sum / _count.
 * </ul>
 *
 * <p>Counters count processing attempts: after a crash, exactly-once replays the uncommitted records
 * and they are counted again (the outputs are not duplicated, the counts may be).
 *
 * <p>The per-event methods cost a few atomic adds: every meter they touch is created once and cached
 * (change counters on first use of a (from, to, reason) triple), no tag lookup per event.
 */
public final class SegmenterMetrics {
  public static final String EVENTS_IN = "segmenter.events.in";
  public static final String EVENTS_INVALID = "segmenter.events.invalid";
  public static final String SEGMENT_CHANGES = "segmenter.segment.changes";
  public static final String SEGMENT_POPULATION = "segmenter.segment.population";
  public static final String UNASSIGNED = "segmenter.customers.unassigned";
  public static final String MODEL_VERSION = "segmenter.model.version";
  /**
   * Gauge: the wall clock (Unix seconds) at which this instance took in the model version it now
   * assigns with; NaN before the first. {@code time() - segmenter_model_updated_timestamp_seconds} is
   * how long the model has not changed here, which the "model not updating" alert reads.
   */
  public static final String MODEL_UPDATED = "segmenter.model.updated.timestamp";
  public static final String CENTRE_DRIFT = "segmenter.model.centre.drift";
  public static final String UPDATE_MAX_DRIFT = "segmenter.model.update.max.drift";
  public static final String ASSIGNMENT_DISTANCE = "segmenter.assignment.distance";
  /**
   * Histogram in seconds: for each segment change caused by a live event (reason EVENT), the wall
   * clock at emission minus the event's {@code occurredAt}: the business latency from the moment the
   * event happened (including any delay before it reached Kafka), not the processing time alone.
   * Only events at most {@code segmenter.metrics.live.max.age.ms} old are live; older ones (a replay
   * of history, a backlog) count in {@link #EVENT_TO_EMIT_STALE} instead, so that their ages (days or
   * years) never swamp the latency. A summary of doubles, not a Timer: Micrometer's Prometheus Timer
   * sums nanoseconds in a long, which a thousand 90-day-old events overflow into a negative sum.
   * Buckets from 10 ms to 5 min.
   */
  public static final String EVENT_TO_EMIT = "segmenter.event.to.emit.latency";
  /** Counter: EVENT segment changes whose event was older than the live bound at emission (see {@link #EVENT_TO_EMIT}). */
  public static final String EVENT_TO_EMIT_STALE = "segmenter.event.to.emit.stale";
  /** The default of {@code segmenter.metrics.live.max.age.ms}: 5 minutes, the histogram's last bucket. */
  public static final long DEFAULT_LIVE_MAX_AGE_MS = 300_000L;
  /**
   * Summary in seconds, on the instance that runs the model aggregator (registered at 0 on every
   * instance): for each delta merged, the wall clock at the merge minus the wall clock at which its
   * task sent it (the record's timestamp). About the senders' commit interval while the aggregator
   * keeps up; it grows with the backlog on the model-deltas topic when the aggregator lags, which the
   * model's version and update time do not show (a lagging aggregator still cuts versions, only from
   * older deltas). The rate of its count is the deltas merged per second. Deltas it rejects are not
   * in it; a delta merged again after a crash (exactly-once replay) is counted again.
   */
  public static final String DELTA_WAIT = "segmenter.model.delta.wait";
  /**
   * Timer, on the instance that runs the model aggregator: the time to compute each version (the
   * update, a refresh's batch k-means and choice of k, settling on the panel, names, explanation, the
   * predictive fit), on the aggregator's own thread by default ({@code segmenter.model.background}).
   * Its rate of count is about the versions cut per second (a version computed again after a restart
   * counts again; one dropped with its task at close does not); a version that takes longer than the deltas
   * need to fill the next batch is the aggregator's limit (docs/TOPOLOGY.md, "Scaling past one machine").
   */
  public static final String VERSION_COMPUTE = "segmenter.model.version.compute";
  /**
   * Gauge: deltas read while a version was being computed, kept in the aggregator's state until it is
   * done (at most {@code ModelAggregatorProcessor.MAX_QUEUED_DELTAS}; beyond that the stream thread
   * waits for the version). 0 on an instance that does not run the aggregator.
   */
  public static final String DELTAS_QUEUED = "segmenter.model.deltas.queued";
  public static final String REEVALUATIONS = "segmenter.inactivity.reevaluations";
  public static final String ERASURES = "segmenter.erasures";
  public static final String DEDUP_FORGOTTEN_EARLY = "segmenter.dedup.ids.forgotten.early";
  public static final String PREDICTIVE_POPULATION = "segmenter.predictive.segment.population";
  public static final String PREDICTIVE_CHANGES = "segmenter.predictive.segment.changes";
  public static final String PREDICTION_P_ALIVE = "segmenter.prediction.p.alive";
  public static final String PREDICTION_CLV = "segmenter.prediction.clv";
  public static final String PREDICTION_EXPECTED_90D = "segmenter.prediction.expected.purchases.90d";
  public static final String INTERNAL_REJECTED = "segmenter.internal.records.rejected";
  /** The {@code from} tag of a customer's first segment (and the {@code to} tag of an erasure). */
  public static final String NO_SEGMENT = "none";
  /** The logical internal topics of {@link #INTERNAL_REJECTED} (never the deployment's topic names). */
  public static final List<String> INTERNAL_TOPICS = List.of("model", "model-deltas", "aggregator-state");
  /**
   * The dead-letter reasons registered at 0 when the meters are made, so that {@code rate()}, the
   * dashboards and the DLQ alert see every series before the first bad record: the validator's
   * ({@link InvalidEventException.Reason}), the serde's for input bytes that do not decode, and
   * UNDESERIALIZABLE (bytes that fail for an unexpected reason). Another reason (a registry error the
   * client does not retry) still gets its series, at its first occurrence.
   */
  static final List<String> DLQ_REASONS_AT_START = dlqReasonsAtStart();

  private static final ChangeReason[] REASONS = ChangeReason.values();
  private static final PredictiveSegment[] PREDICTIVE = PredictiveSegment.values();

  /** The score distributions of one K-means segment. */
  private record ScoreMeters(DistributionSummary pAlive, DistributionSummary clv, DistributionSummary expected90) { }

  private final MeterRegistry registry;
  private final LocalPopulations populations;
  /** The page's flows: every real segment change by minute of emission (not a meter: per minute, a day long). */
  private final FlowRing flows;
  /** The page's model history: every version taken in, with its drift. */
  private final ModelVersions versions;
  private final SegmentNamesSeen names;
  private final Counter clicksProcessed;
  private final Counter ordersProcessed;
  private final Counter clicksDuplicate;
  private final Counter ordersDuplicate;
  private final Counter clicksInvalid;
  private final Counter ordersInvalid;
  private final Counter otherInvalid;
  private final Counter erasureInvalid;
  private final Counter outcomesProcessed;
  private final Counter outcomesInvalid;
  private final Counter erasedKnown;
  private final Counter erasedUnknown;
  private final Map<String, Counter> invalidByReason = new ConcurrentHashMap<>();
  /** "topic/reason" -> counter (bounded: three logical topics times the reasons). */
  private final Map<String, Counter> internalRejected = new ConcurrentHashMap<>();
  /** from name -> to name -> counter per reason ordinal (filled on first use). */
  private final Map<String, Map<String, AtomicReferenceArray<Counter>>> changes = new ConcurrentHashMap<>();
  private final DistributionSummary assignmentDistance;
  private final DistributionSummary centreDrift;
  private final DistributionSummary eventToEmit;
  private final Counter eventToEmitStale;
  private final DistributionSummary deltaWait;
  private final io.micrometer.core.instrument.Timer versionCompute;
  private final java.util.concurrent.atomic.AtomicInteger deltasQueued = new java.util.concurrent.atomic.AtomicInteger();
  private volatile long liveMaxAgeMs = DEFAULT_LIVE_MAX_AGE_MS;
  private final Counter reevaluations;
  private final Counter dedupForgottenEarly;
  private final MultiGauge populationGauges;
  /** from ordinal + 1 (0 = none) -> to ordinal -> counter (filled on first use). */
  private final Counter[][] predictiveChanges = new Counter[PREDICTIVE.length + 1][PREDICTIVE.length];
  /** K-means segment name -> the three score summaries of that segment. */
  private final Map<String, ScoreMeters> scoreMeters = new ConcurrentHashMap<>();
  private final Object modelLock = new Object();
  /** The model whose centres the population gauges show (and drift is measured from). */
  private volatile ModelSnapshot gaugedModel;
  private volatile double lastMaxDrift = Double.NaN;
  /** Wall clock (Unix seconds) when {@link #gaugedModel} was taken in; NaN before the first. */
  private volatile double modelTakenAt = Double.NaN;

  SegmenterMetrics(MeterRegistry registry, ModelHolder model, LocalPopulations populations, FlowRing flows,
      ModelVersions versions, SegmentNamesSeen names) {
    this.registry = registry;
    this.names = names;
    this.populations = populations;
    this.flows = flows;
    this.versions = versions;
    clicksProcessed = eventsIn("click", "processed");
    ordersProcessed = eventsIn("order", "processed");
    clicksDuplicate = eventsIn("click", "duplicate");
    ordersDuplicate = eventsIn("order", "duplicate");
    clicksInvalid = eventsIn("click", "invalid");
    ordersInvalid = eventsIn("order", "invalid");
    otherInvalid = eventsIn("other", "invalid");
    erasureInvalid = eventsIn("erasure", "invalid");
    // Campaign outcomes (segmenter.topic.outcomes): registered even without the input, at 0.
    outcomesProcessed = eventsIn("outcome", "processed");
    outcomesInvalid = eventsIn("outcome", "invalid");
    erasedKnown = Counter.builder(ERASURES).tag("outcome", "erased")
        .description("Erasure requests carried out: erased = the customer's state was deleted, unknown = nothing was held")
        .register(registry);
    erasedUnknown = Counter.builder(ERASURES).tag("outcome", "unknown")
        .description("Erasure requests carried out: erased = the customer's state was deleted, unknown = nothing was held")
        .register(registry);
    assignmentDistance = DistributionSummary.builder(ASSIGNMENT_DISTANCE)
        .description("Distance (standardised feature space) from a customer to the centre of the segment held, per assignment")
        .register(registry);
    centreDrift = DistributionSummary.builder(CENTRE_DRIFT)
        .description("How far each surviving centre moved (standardised space) at each new model version")
        .register(registry);
    Gauge.builder(UPDATE_MAX_DRIFT, this, m -> m.lastMaxDrift)
        .description("Largest centre drift of the latest model update (NaN before the second version)")
        .register(registry);
    eventToEmit = DistributionSummary.builder(EVENT_TO_EMIT)
        .baseUnit("seconds")
        .description("Wall clock at emission of an EVENT segment change minus the event's occurredAt, for live events"
            + " only (at most segmenter.metrics.live.max.age.ms old; older ones count in segmenter_event_to_emit_stale_total)")
        .serviceLevelObjectives(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
        .register(registry);
    eventToEmitStale = Counter.builder(EVENT_TO_EMIT_STALE)
        .description("EVENT segment changes whose event was older than segmenter.metrics.live.max.age.ms at emission"
            + " (a replay of history, a backlog): not in the latency histogram")
        .register(registry);
    deltaWait = DistributionSummary.builder(DELTA_WAIT)
        .baseUnit("seconds")
        .description("Wall clock at which the model aggregator merged a delta minus the wall clock at which its task sent it"
            + " (grows when the aggregator lags behind the model-deltas topic)")
        .serviceLevelObjectives(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600)
        .register(registry);
    versionCompute = io.micrometer.core.instrument.Timer.builder(VERSION_COMPUTE)
        .description("Time the model aggregator took to compute each model version (update, refresh, choice of k,"
            + " settling, names, predictive fit)")
        .register(registry);
    Gauge.builder(DELTAS_QUEUED, deltasQueued, java.util.concurrent.atomic.AtomicInteger::get)
        .description("Model deltas read while a model version was being computed, waiting in the aggregator's state")
        .register(registry);
    reevaluations = Counter.builder(REEVALUATIONS)
        .description("Customers re-evaluated by the inactivity punctuator")
        .register(registry);
    dedupForgottenEarly = Counter.builder(DEDUP_FORGOTTEN_EARLY)
        .description("Event ids forgotten before their TTL because a customer had more than segmenter.dedup.max.ids"
            + " recent events: a retry of one of them would be processed again")
        .register(registry);
    Gauge.builder(MODEL_VERSION, model, h -> h.current() == null ? -1 : h.current().version())
        .description("Newest model version on this instance (-1 before any)")
        .register(registry);
    Gauge.builder(MODEL_UPDATED, this, m -> m.modelTakenAt)
        .baseUnit("seconds")
        .description("Wall clock (Unix seconds) at which this instance took in its current model version (NaN before the first)")
        .register(registry);
    for (String reason : DLQ_REASONS_AT_START) invalidCounter(reason);
    for (String topic : INTERNAL_TOPICS) {
      for (RejectedRecord.Reason reason : RejectedRecord.Reason.values()) internalRejectedCounter(topic, reason);
    }
    Gauge.builder(UNASSIGNED, populations, LocalPopulations::unassigned)
        .description("Customers seen before the first model version, in the tasks this instance runs")
        .register(registry);
    for (PredictiveSegment p : PREDICTIVE) {
      Gauge.builder(PREDICTIVE_POPULATION, populations, pops -> pops.population(p))
          .tag("predictive_segment", p.name())
          .description("Customers in the predictive segment, in the tasks this instance runs (sum over instances for the total)")
          .register(registry);
    }
    populationGauges = MultiGauge.builder(SEGMENT_POPULATION)
        .description("Customers in the segment, in the tasks this instance runs (sum over instances for the total)")
        .register(registry);
  }

  private static List<String> dlqReasonsAtStart() {
    List<String> reasons = new ArrayList<>();
    for (InvalidEventException.Reason r : InvalidEventException.Reason.values()) reasons.add(r.name());
    for (AvroSerdeException.Reason r : List.of(AvroSerdeException.Reason.BAD_MAGIC_BYTE, AvroSerdeException.Reason.TRUNCATED,
        AvroSerdeException.Reason.UNKNOWN_SCHEMA_ID, AvroSerdeException.Reason.CORRUPT_PAYLOAD,
        AvroSerdeException.Reason.INCOMPATIBLE_SCHEMA)) {
      reasons.add(r.name());
    }
    reasons.add(DeadLetterDeserializationHandler.UNDESERIALIZABLE);
    return List.copyOf(reasons);
  }

  private Counter invalidCounter(String reason) {
    return invalidByReason.computeIfAbsent(reason, k -> Counter.builder(EVENTS_INVALID).tag("reason", k)
        .description("Invalid input records (sent to the dead-letter topic) by reason")
        .register(registry));
  }

  private Counter internalRejectedCounter(String topic, RejectedRecord.Reason reason) {
    return internalRejected.computeIfAbsent(topic + "/" + reason, k -> Counter.builder(INTERNAL_REJECTED)
        .tags("topic", topic, "reason", reason.name())
        .description("Internal records (model versions, model deltas, aggregator state) skipped as undecodable or impossible")
        .register(registry));
  }

  private Counter eventsIn(String type, String outcome) {
    return Counter.builder(EVENTS_IN).tags("type", type, "outcome", outcome)
        .description("Input records by type and outcome (processed, duplicate, invalid)")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  // ---- per-event path ------------------------------------------------------------------------

  void eventProcessed(boolean click) {
    (click ? clicksProcessed : ordersProcessed).increment();
  }

  /** A campaign outcome counted. */
  void outcomeProcessed() {
    outcomesProcessed.increment();
  }

  void duplicateEvent(boolean click) {
    (click ? clicksDuplicate : ordersDuplicate).increment();
  }

  void dedupIdForgottenEarly() {
    dedupForgottenEarly.increment();
  }

  /**
   * A record sent to the dead-letter topic.
   *
   * @param type "click", "order", "erasure", "outcome", or anything else for a record of no known type
   */
  void invalidEvent(String type, String reason) {
    ("click".equals(type) ? clicksInvalid : "order".equals(type) ? ordersInvalid
        : "erasure".equals(type) ? erasureInvalid : "outcome".equals(type) ? outcomesInvalid : otherInvalid).increment();
    invalidCounter(reason == null ? "UNKNOWN" : reason).increment();
  }

  /**
   * An internal record that was skipped (see {@link RejectedRecord}).
   *
   * @param topic the logical topic: "model", "model-deltas" or "aggregator-state" (not the
   *     deployment's topic name, so that dashboards work across deployments)
   */
  void internalRecordRejected(String topic, RejectedRecord.Reason reason) {
    internalRejectedCounter(topic, reason).increment();
  }

  /** Distance to the centre held, for every evaluation made with a model. */
  void assigned(double distance) {
    assignmentDistance.record(distance);
  }

  /**
   * A change was emitted. Names are those of {@code model} (as in the SegmentChange itself). A change
   * of segment is also counted in the runtime's {@link FlowRing} by the minute of {@code wall}.
   *
   * @param previous the previous segment id, negative for none
   * @param eventTime occurredAt of the event behind an EVENT change
   * @param wall the wall clock at emission
   */
  void segmentChanged(ModelSnapshot model, int previous, int next, ChangeReason reason, long eventTime, long wall) {
    segmentChanged(model, previous, null, next, reason, eventTime, wall);
  }

  /** @param previousName the previous segment's name when {@code model} does not have it (STRATEGY), or null */
  void segmentChanged(ModelSnapshot model, int previous, String previousName, int next, ChangeReason reason,
      long eventTime, long wall) {
    String from = previous < 0 ? NO_SEGMENT : previousName != null ? previousName : model.name(previous);
    String to = next < 0 ? NO_SEGMENT : model.name(next);
    Map<String, AtomicReferenceArray<Counter>> byTo = changes.get(from);
    if (byTo == null) byTo = changes.computeIfAbsent(from, k -> new ConcurrentHashMap<>());
    AtomicReferenceArray<Counter> byReason = byTo.get(to);
    if (byReason == null) byReason = byTo.computeIfAbsent(to, k -> new AtomicReferenceArray<>(REASONS.length));
    int r = reason.ordinal();
    Counter c = byReason.get(r);
    if (c == null) {
      // Racing threads may both build it: the registry returns the same counter for the same id.
      c = Counter.builder(SEGMENT_CHANGES).tags("from", from, "to", to, "reason", reason.name())
          .description("Segment changes emitted, by previous and new segment name and reason")
          .register(registry);
      byReason.set(r, c);
    }
    c.increment();
    // A predictive-only change keeps the segment (previous == next): no flow between segments.
    if (previous != next) flows.record(previous < 0 ? FlowRing.NONE : previous, next < 0 ? FlowRing.NONE : next, wall);
    if (reason == ChangeReason.EVENT) eventEmitted(wall - eventTime);
  }

  /** Live events into the histogram, older ones into the stale counter (see {@link #EVENT_TO_EMIT}). */
  private void eventEmitted(long ageMs) {
    if (ageMs > liveMaxAgeMs) {
      eventToEmitStale.increment();
    } else {
      // An event stamped slightly ahead of this machine's clock (allowed up to the future bound) is 0.
      eventToEmit.record(Math.max(0, ageMs) / 1000.0);
    }
  }

  /** Sets {@code segmenter.metrics.live.max.age.ms}: events older than this at emission are stale. */
  public void liveMaxAge(long ms) {
    if (ms < 1) throw new IllegalArgumentException("live max age must be positive: " + ms);
    liveMaxAgeMs = ms;
  }

  /** A predictive segment change; {@code from} null for a customer's first. */
  void predictiveChanged(PredictiveSegment from, PredictiveSegment to) {
    int f = from == null ? 0 : from.ordinal() + 1;
    Counter c = predictiveChanges[f][to.ordinal()];
    if (c == null) {
      // Racing threads may both build it: the registry returns the same counter for the same id.
      c = Counter.builder(PREDICTIVE_CHANGES).tags("from", from == null ? NO_SEGMENT : from.name(), "to", to.name())
          .description("Predictive segment changes, by previous and new predictive segment")
          .register(registry);
      predictiveChanges[f][to.ordinal()] = c;
    }
    c.increment();
  }

  /** The scores of one evaluation, under the customer's K-means segment name. */
  void scored(String segment, Prediction p) {
    ScoreMeters m = scoreMeters.get(segment);
    if (m == null) m = scoreMeters.computeIfAbsent(segment, this::scoreMeters);
    m.pAlive().record(p.pAlive());
    m.expected90().record(p.expectedPurchases90d());
    if (p.hasSpend()) m.clv().record(p.clv());
  }

  private ScoreMeters scoreMeters(String segment) {
    return new ScoreMeters(
        DistributionSummary.builder(PREDICTION_P_ALIVE).tag("segment", segment)
            .description("P(alive) at each evaluation of a customer with orders, by segment")
            .serviceLevelObjectives(0.1, 0.3, 0.5, 0.7, 0.9)
            .register(registry),
        DistributionSummary.builder(PREDICTION_CLV).tag("segment", segment)
            .description("Predicted CLV over the horizon at each evaluation of a customer with orders, by segment")
            .register(registry),
        DistributionSummary.builder(PREDICTION_EXPECTED_90D).tag("segment", segment)
            .description("Expected purchase days in the next 90 days at each evaluation of a customer with orders, by segment")
            .register(registry));
  }

  /** An erasure request carried out; {@code known}: the customer had state here. */
  void erasure(boolean known) {
    (known ? erasedKnown : erasedUnknown).increment();
  }

  /** The aggregator merged a delta sent at {@code sentAtMs} (wall clock, the record's timestamp). */
  void deltaMerged(long sentAtMs, long wallMs) {
    deltaWait.record(Math.max(0, wallMs - sentAtMs) / 1000.0);
  }

  void versionComputed(long nanos) {
    versionCompute.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Deltas now waiting behind a version being computed: + when one is kept back, - when merged or dropped. */
  void deltasQueued(int change) {
    deltasQueued.addAndGet(change);
  }

  void reevaluated() {
    reevaluations.increment();
  }

  // ---- model updates -------------------------------------------------------------------------

  /**
   * This instance has {@code model} (the holder's current one). The first time a version is seen:
   * records the drift of every centre that survives from the previous version seen, and points the
   * population gauges at the new version's centres (new ids added, vanished ones removed, renamed
   * ones re-tagged). Cheap when nothing changed (one volatile read), so callers may call it freely.
   */
  /** A challenger strategy's model: its segment names are remembered (ids never collide across strategies). */
  void namesSeen(ModelSnapshot model) {
    if (model != null) names.add(model);
  }

  /** The strategy whose model the gauges show. */
  private String gaugedStrategy = io.segmenter.strategy.StrategySpec.DEFAULT;

  void onModel(ModelSnapshot model) {
    onModel(io.segmenter.strategy.StrategySpec.DEFAULT, model);
  }

  /**
   * The champion's model as of now. Versions move forward within one strategy; a promotion brings
   * another strategy's model, whose version numbers are its own, and it is taken whatever its number.
   */
  void onModel(String strategy, ModelSnapshot model) {
    if (model == null || model == gaugedModel) return;
    synchronized (modelLock) {
      ModelSnapshot previous = gaugedModel;
      boolean sameStrategy = strategy.equals(gaugedStrategy);
      if (previous != null && sameStrategy && model.version() <= previous.version()) return;
      if (!sameStrategy) previous = null; // no drift between two strategies' models
      gaugedStrategy = strategy;
      if (previous != null) recordDrift(previous, model);
      versions.add(ModelVersions.entry(previous, model));
      names.add(model);
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      for (Centre c : model.kmeans().centres()) {
        int id = c.id();
        rows.add(MultiGauge.Row.of(Tags.of("segment_id", Integer.toString(id), "segment", model.name(id)),
            populations, p -> p.population(id)));
      }
      populationGauges.register(rows, false);
      gaugedModel = model;
      modelTakenAt = System.currentTimeMillis() / 1000.0;
    }
  }

  private void recordDrift(ModelSnapshot previous, ModelSnapshot next) {
    double max = Double.NaN;
    for (Centre c : next.kmeans().centres()) {
      Centre old = previous.kmeans().centre(c.id());
      if (old == null) continue;
      double d = io.segmenter.model.KMeansModel.distance(old.position(), c.position());
      centreDrift.record(d);
      max = Double.isNaN(max) ? d : Math.max(max, d);
    }
    lastMaxDrift = max;
  }

  /** Largest centre drift of the latest model update this instance saw (NaN before the second version). */
  public double lastUpdateMaxDrift() {
    return lastMaxDrift;
  }
}
