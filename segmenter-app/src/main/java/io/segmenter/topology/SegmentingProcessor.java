package io.segmenter.topology;

import io.segmenter.clv.ClvModel;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.Prediction;
import io.segmenter.clv.PredictiveRules;
import io.segmenter.clv.PredictiveSegment;
import io.segmenter.clv.Predictor;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.ErasureRequest;
import io.segmenter.events.OrderEvent;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Features;
import io.segmenter.model.MiniBatchAccumulator;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentAssigner;
import io.segmenter.model.TaskDelta;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The per-customer heart of the topology: validates and de-duplicates events, updates the profile,
 * assigns the segment with the global model (with hysteresis), emits a change only when the segment
 * really changes, gathers the mini-batch for the model, and re-evaluates quiet customers from a
 * time-ordered index on a wall-clock punctuator.
 */
final class SegmentingProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
  /** Key of the last delta sequence number in the batch store; points have keys >= 0. */
  static final long SEQUENCE_KEY = -1;
  /** The predictive models' time unit. */
  private static final double DAY_MS = 86_400_000d;

  private final TopologySettings settings;
  private final ModelHolder holder;
  private final SegmenterMetrics metrics;
  private final LocalPopulations populations;
  private final EventValidator validator;
  /** This task's members per segment (see LocalPopulations), moved with every membership change. */
  private LocalPopulations.Task population;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> profiles;
  private KeyValueStore<String, Long> dedup;
  private KeyValueStore<Bytes, byte[]> due;
  private KeyValueStore<Long, byte[]> batchStore;
  private KeyValueStore<Bytes, byte[]> members;
  /** The model version this task last looked at, to notice a new one (see checkModelChange). */
  private ModelSnapshot seenModel;
  /** Whether customers seen before any model (pseudo segment UNASSIGNED) were made due since start. */
  private boolean unassignedChecked;
  private ModelSnapshot restrictedFor;
  private java.util.Set<Integer> restricted = java.util.Set.of();
  private ReadOnlyKeyValueStore<String, ModelVersion> globalModel;
  private SegmenterClock clock;
  private MiniBatchAccumulator batch;
  private long deltaSequence;
  private long firstPointKey;
  private long nextPointKey;
  private long lastDeltaWall;
  private String taskId;
  /**
   * Where the next scan of the inactivity index starts: every entry below it has been processed.
   * Deleted entries stay in RocksDB as tombstones until compaction, and a scan from key 0 would step
   * over all of them every tick (the cost grew with the length of the run). In memory only: after a
   * restart the first scan starts from 0.
   */
  private long scanFrom = 0;
  /** Newest valid event time this task processed; see streamTime(). */
  private long newestEventTime = SegmenterClock.UNKNOWN;
  /** Scores with the predictive parameters of the current model version (rebuilt when they change). */
  private Predictor predictor;

  SegmentingProcessor(TopologySettings settings, SegmenterRuntime runtime) {
    this.settings = settings;
    this.holder = runtime.model();
    this.metrics = runtime.metrics();
    this.populations = runtime.populations();
    this.validator = new EventValidator(settings.currency(), settings.maxFutureMs(), settings.minEventTime(),
        settings.maxAmount());
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    profiles = context.getStateStore(SegmenterTopology.PROFILES_STORE);
    dedup = context.getStateStore(SegmenterTopology.DEDUP_STORE);
    due = context.getStateStore(SegmenterTopology.DUE_STORE);
    batchStore = context.getStateStore(SegmenterTopology.BATCH_STORE);
    members = context.getStateStore(SegmenterTopology.MEMBERS_STORE);
    globalModel = context.getStateStore(SegmenterTopology.MODEL_GLOBAL_STORE);
    clock = new SegmenterClock(settings.hybridClock());
    taskId = context.taskId().toString();
    resumeBatch();
    byte[] seq = batchStore.get(SEQUENCE_KEY);
    deltaSequence = seq == null ? 0 : ByteBuffer.wrap(seq).getLong();
    lastDeltaWall = context.currentSystemTimeMs();
    loadModelFromGlobalStore();
    metrics.onModel(holder.current());
    countMembers();
    // Members are assumed to fit the model they start with; a rename missed while the task was
    // down is caught by the routine re-check (at most one recheck interval late).
    seenModel = holder.current();
    // Due customers are found on both clocks: the wall clock moves "now" while the stream is idle,
    // stream time moves it during a fast replay (where a minute of wall time can be a year of data).
    context.schedule(Duration.ofMillis(settings.punctuateIntervalMs()), PunctuationType.WALL_CLOCK_TIME,
        w -> punctuate(context.currentSystemTimeMs()));
    context.schedule(Duration.ofMillis(settings.streamPunctuateIntervalMs()), PunctuationType.STREAM_TIME,
        t -> punctuate(context.currentSystemTimeMs()));
    context.schedule(Duration.ofMillis(settings.deltaIntervalMs()), PunctuationType.WALL_CLOCK_TIME, w -> flushDeltaIfDue(w));
  }

  /**
   * Counts this task's members per segment with one scan of the membership index, and registers the
   * counts with the instance's populations. Again after a re-initialisation (task revived after an
   * error: its stores were restored, the previous counts are void).
   */
  private void countMembers() {
    if (population != null) population.close();
    Map<Integer, Long> counts = new HashMap<>();
    try (KeyValueIterator<Bytes, byte[]> it = members.all()) {
      while (it.hasNext()) counts.merge(ByteBuffer.wrap(it.next().key.get(), 0, 4).getInt(), 1L, Long::sum);
    }
    population = populations.open(counts);
  }

  @Override
  public void close() {
    // The task closes here (shutdown, or it migrates to another instance): its customers are no
    // longer counted by this instance.
    if (population != null) population.close();
    population = null;
  }

  /** Rebuilds the batch in progress from its points (after a restart or a rebalance). */
  private void resumeBatch() {
    batch = new MiniBatchAccumulator(Features.DIMENSION);
    firstPointKey = -1;
    nextPointKey = 0;
    try (KeyValueIterator<Long, byte[]> it = batchStore.range(0L, Long.MAX_VALUE)) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        BatchPoint p = BatchPoint.decode(kv.value);
        if (p.isSummary()) batch.addSummary(p.toSummary());
        else batch.add(p.raw(), p.centreId(), p.eventTime(), p.sampleCap());
        if (firstPointKey < 0) firstPointKey = kv.key;
        nextPointKey = kv.key + 1;
      }
    }
    if (firstPointKey < 0) firstPointKey = nextPointKey;
  }

  private void loadModelFromGlobalStore() {
    if (holder.current() != null) return;
    ModelVersion v = globalModel.get(SegmenterTopology.MODEL_KEY);
    if (v != null) holder.offer(ModelCodec.fromAvro(v));
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    long wall = context.currentSystemTimeMs();
    SpecificRecord value = record.value();
    String customerId;
    String dedupId;
    long eventTime;
    boolean isClick = value instanceof ClickEvent;
    // Every check comes before any state changes: a rejected record (thrown to the dead-letter
    // handler, which counts it) leaves no trace.
    if (value instanceof ClickEvent click) {
      validator.check(record.key(), click, wall);
      customerId = click.getCustomerId();
      dedupId = DedupKeys.click(customerId, click.getEventId());
      eventTime = click.getOccurredAt().toEpochMilli();
    } else if (value instanceof OrderEvent order) {
      validator.check(record.key(), order, wall);
      customerId = order.getCustomerId();
      // The same order id arrives once per status (placed, then maybe returned).
      dedupId = DedupKeys.order(customerId, order.getOrderId(), order.getStatus().name());
      eventTime = order.getOccurredAt().toEpochMilli();
    } else if (value instanceof ErasureRequest erasure) {
      validator.check(record.key(), erasure);
      erase(erasure.getCustomerId(), erasure.getRequestedAt().toEpochMilli(), wall);
      return;
    } else {
      throw new InvalidEventException("UNEXPECTED_TYPE", "unexpected record type "
          + (value == null ? "null (tombstone)" : value.getSchema().getFullName()));
    }
    if (isDuplicate(dedupId, eventTime)) {
      metrics.duplicateEvent(isClick);
      return;
    }
    metrics.eventProcessed(isClick);
    dedup.put(dedupId, eventTime);

    byte[] stored = profiles.get(customerId);
    CustomerProfile profile = stored == null ? CustomerProfile.empty() : ProfileCodec.decode(stored);
    if (value instanceof ClickEvent click) {
      profile.apply(click, settings.profile());
    } else {
      profile.apply((OrderEvent) value, settings.profile());
    }
    if (eventTime > newestEventTime) newestEventTime = eventTime;
    long now = Math.max(clock.now(streamTime(), wall), eventTime);
    evaluate(customerId, profile, stored == null, now, eventTime, wall, ChangeReason.EVENT);
    scheduleCheck(customerId, profile, now, CustomerProfile.NONE);
    profiles.put(customerId, ProfileCodec.encode(profile));
    if (batch.points() >= settings.deltaPoints()) flushDelta(wall);
  }

  /**
   * Forgets a customer (GDPR article 17, CCPA): deletes the profile, the membership and inactivity
   * index entries and the de-duplication entries (each delete is a tombstone in the store's
   * changelog), announces the end of the customer's segment with an ERASURE change, and writes a
   * tombstone to customer-segments so that compaction removes the current segment. Anything that
   * arrives later for the same id starts a fresh profile. What stays: the anonymous training points
   * already merged into the model, and past records of the output and input topics until their
   * retention (see docs/PRIVACY.md).
   */
  private void erase(String customerId, long requestedAt, long wall) {
    byte[] stored = profiles.get(customerId);
    boolean known = stored != null;
    if (known) {
      CustomerProfile profile = ProfileCodec.decode(stored);
      if (profile.nextCheckAt() != CustomerProfile.NONE) due.delete(DueIndex.key(profile.nextCheckAt(), customerId));
      int listedUnder = profile.segmentId() >= 0 ? profile.segmentId() : SegmentMembers.UNASSIGNED;
      if (members.delete(SegmentMembers.key(listedUnder, customerId)) != null) population.add(listedUnder, -1);
      PredictiveSegment predictive = PredictiveSegment.ofOrdinal(profile.predictiveSegment());
      if (predictive != null && members.delete(SegmentMembers.key(SegmentMembers.predictive(predictive), customerId)) != null) {
        population.add(SegmentMembers.predictive(predictive), -1);
      }
      profiles.delete(customerId);
      ModelSnapshot model = holder.current();
      if (profile.segmentId() >= 0 && model != null) {
        context.forward(new Record<>(customerId, SegmentEvents.erasure(customerId, profile, model, requestedAt, wall), wall),
            SegmenterTopology.CHANGES_SINK);
        metrics.segmentChanged(model, profile.segmentId(), -1, ChangeReason.ERASURE, requestedAt, wall);
      }
    }
    eraseExtraDueEntries(customerId);
    eraseDedupEntries(customerId);
    // Always, even for a customer this task does not know: the compacted topic may hold a record
    // written before a restore lost track of it, and a tombstone for nothing costs nothing.
    context.forward(new Record<String, SpecificRecord>(customerId, null, wall), SegmenterTopology.SEGMENTS_SINK);
    metrics.erasure(known);
  }

  /**
   * A new model version books extra re-evaluations at "now" (checkModelChange) that the profile does
   * not record. They are all due already, so they lie between the scan start and now: a short range.
   */
  private void eraseExtraDueEntries(String customerId) {
    List<Bytes> mine = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = due.range(DueIndex.lowerBound(scanFrom),
        DueIndex.upperBound(clock.now(streamTime(), context.currentSystemTimeMs())))) {
      while (it.hasNext()) {
        Bytes key = it.next().key;
        if (DueIndex.customerId(key).equals(customerId)) mine.add(key);
      }
    }
    for (Bytes key : mine) due.delete(key);
  }

  private void eraseDedupEntries(String customerId) {
    List<String> mine = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = dedup.range(DedupKeys.from(customerId), DedupKeys.to(customerId))) {
      while (it.hasNext()) mine.add(it.next().key);
    }
    for (String key : mine) dedup.delete(key);
  }

  /**
   * The task's event-time clock: the newest occurredAt of a valid event it processed. Kafka's own
   * stream time is the same value in production (the source extractor reads occurredAt) but also
   * counts any other partition of the task, and it is what survives a restart (committed with the
   * offsets), hence the fallback until this task has processed an event.
   */
  private long streamTime() {
    return newestEventTime != SegmenterClock.UNKNOWN ? newestEventTime : context.currentStreamTimeMs();
  }

  /**
   * A retry is the same event again, so it carries the same id AND the same occurredAt. Entries are
   * deleted once older than the TTL (pruneDedup), at the customer's next re-evaluation.
   */
  private boolean isDuplicate(String id, long eventTime) {
    Long seen = dedup.get(id);
    return seen != null && seen == eventTime;
  }

  /**
   * Deletes the customer's de-duplication entries older than the TTL. Runs at each re-evaluation of
   * the customer, which the inactivity index brings round at least every recheck interval, so no id
   * lives much longer than the TTL; one short key range per customer, never a scan of the store.
   */
  private void pruneDedup(String customerId, long now) {
    long expired = now - settings.dedupTtlMs();
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = dedup.range(DedupKeys.from(customerId), DedupKeys.to(customerId))) {
      while (it.hasNext()) {
        KeyValue<String, Long> kv = it.next();
        if (kv.value < expired) old.add(kv.key);
      }
    }
    for (String key : old) dedup.delete(key);
  }

  /**
   * Assigns the customer with the current model, emits the change if the segment really changed, and
   * contributes a training point at most once per sample interval.
   *
   * @param fresh the profile was not in the store before this event. A stored profile without a
   *     segment is always listed under the pseudo segment UNASSIGNED (it was only ever evaluated
   *     without a model), a fresh one never: that is how the population counts follow the index
   *     without reading it.
   */
  private void evaluate(String customerId, CustomerProfile profile, boolean fresh, long now, long eventTime,
      long wall, ChangeReason eventReason) {
    ModelSnapshot model = holder.current();
    double[] raw = Features.of(profile, now, settings.profile());
    int nearest = -1;
    if (model != null) {
      SegmentAssigner.Decision d = SegmentAssigner.decide(profile.segmentId(), model.standardise(raw),
          model.kmeans(), settings.hysteresisMargin(), ineligible(profile, model, now));
      nearest = d.nearestId();
      metrics.assigned(d.distance());
      Scored scored = score(profile, model, now);
      PredictiveSegment previousPredictive = PredictiveSegment.ofOrdinal(profile.predictiveSegment());
      boolean predictiveChanged = scored != null && scored.segment() != previousPredictive;
      if (d.changed() || predictiveChanged) {
        ChangeReason reason = !d.changed() ? ChangeReason.PREDICTIVE
            : eventReason == ChangeReason.INACTIVITY && profile.assignedModelVersion() != model.version()
            ? ChangeReason.MODEL : eventReason;
        int previous = profile.segmentId();
        if (d.changed()) {
          members.delete(SegmentMembers.key(previous >= 0 ? previous : SegmentMembers.UNASSIGNED, customerId));
          members.put(SegmentMembers.key(d.segmentId(), customerId), new byte[0]);
          population.move(previous >= 0 ? previous : fresh ? -1 : SegmentMembers.UNASSIGNED, d.segmentId());
          profile.setSegmentId(d.segmentId());
          profile.setSegmentSince(now);
        }
        if (predictiveChanged) movePredictive(customerId, profile, previousPredictive, scored.segment(), now);
        profile.setChangeSequence(profile.changeSequence() + 1);
        // Stamped with the emission time, like the payload's processingTime: in a replay of history an
        // event-time stamp would be years old and the broker's time-based retention would delete the
        // change as soon as it arrived. The event time travels in the payload.
        long ts = wall;
        context.forward(new Record<>(customerId, SegmentEvents.change(customerId, profile, previous, model, reason,
            d.distance(), eventTime, now, wall, previousPredictive, scored), ts), SegmenterTopology.CHANGES_SINK);
        context.forward(new Record<>(customerId, SegmentEvents.current(customerId, profile, model, d.distance(),
            now, wall, scored), ts), SegmenterTopology.SEGMENTS_SINK);
        metrics.segmentChanged(model, d.changed() ? previous : profile.segmentId(), profile.segmentId(), reason,
            eventTime, wall);
        if (predictiveChanged) metrics.predictiveChanged(previousPredictive, scored.segment());
      }
      if (scored != null) metrics.scored(model.name(profile.segmentId()), scored.prediction());
      profile.setAssignedModelVersion(model.version());
    } else if (profile.segmentId() < 0) {
      // Remembered so that the first model version assigns them at once (checkModelChange).
      members.put(SegmentMembers.key(SegmentMembers.UNASSIGNED, customerId), new byte[0]);
      if (fresh) population.add(SegmentMembers.UNASSIGNED, 1);
    }
    if (profile.lastSampledAt() == CustomerProfile.NONE || now - profile.lastSampledAt() >= settings.sampleIntervalMs()) {
      int sampleCap = model == null ? settings.model().warmupPoints() : settings.model().sampleCap();
      batch.add(raw, nearest, now, sampleCap);
      batchStore.put(nextPointKey++, new BatchPoint(nearest, sampleCap, now, raw).encode());
      profile.setLastSampledAt(now);
    }
  }

  /** A customer's predictive scores and the predictive segment they give. */
  record Scored(CustomerSummary summary, Prediction prediction, PredictiveSegment segment, ClvModel parameters) { }

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
    if (predictor == null || !predictor.model().equals(parameters)) predictor = new Predictor(parameters, settings.clv());
    return predictor;
  }

  /** Moves the customer between predictive segments in the membership index and the populations. */
  private void movePredictive(String customerId, CustomerProfile profile, PredictiveSegment from,
      PredictiveSegment to, long now) {
    if (from != null) members.delete(SegmentMembers.key(SegmentMembers.predictive(from), customerId));
    members.put(SegmentMembers.key(SegmentMembers.predictive(to), customerId), new byte[0]);
    population.move(from == null ? -1 : SegmentMembers.predictive(from), SegmentMembers.predictive(to));
    profile.setPredictiveSegment(to.ordinal(), now);
  }

  /** Champions-like segments are for customers who ordered within the active window (a business rule). */
  private java.util.Set<Integer> ineligible(CustomerProfile profile, ModelSnapshot model, long now) {
    boolean active = profile.lastOrderAt() != CustomerProfile.NONE
        && now - profile.lastOrderAt() <= settings.activeWindowMs();
    return active ? java.util.Set.of() : restrictedCentres(model);
  }

  /** The model's Champions-like centres, derived once per version (this is on the per-event path). */
  private java.util.Set<Integer> restrictedCentres(ModelSnapshot model) {
    if (model != restrictedFor) {
      restricted = model.recentBuyersOnly();
      restrictedFor = model;
    }
    return restricted;
  }

  private long baseVersion() {
    ModelSnapshot m = holder.current();
    return m == null ? -1 : m.version();
  }

  /**
   * Books the customer's next re-evaluation: a recheck interval from now, or the moment they leave
   * the active window if that is sooner (a change of eligibility). An entry already booked between
   * now and then is kept: when it fires the customer is evaluated and booked again, which is
   * correct, and it spares a delete and a put in the index (and its changelog) on every event.
   *
   * @param fired due time of the entry the punctuator just removed, or NONE
   */
  private void scheduleCheck(String customerId, CustomerProfile profile, long now, long fired) {
    long next = now + settings.recheckIntervalMs();
    if (profile.lastOrderAt() != CustomerProfile.NONE) {
      long leavesWindow = profile.lastOrderAt() + settings.activeWindowMs() + 1;
      if (leavesWindow > now && leavesWindow < next) next = leavesWindow;
      long predictive = predictiveMoment(profile, now);
      if (predictive > now && predictive < next) next = predictive;
    }
    long booked = profile.nextCheckAt();
    if (booked != CustomerProfile.NONE && booked != fired) {
      if (booked > now && booked <= next) return;
      due.delete(DueIndex.key(booked, customerId));
    }
    profile.setNextCheckAt(next);
    book(next, customerId);
  }

  /**
   * The next moment a predictive rule turns true by the clock alone, so that the customer is
   * re-evaluated then rather than at the next routine check: P(alive) falling below the churn
   * threshold (closed form), or the end of the "new" window. Long.MAX_VALUE when neither is ahead.
   */
  private long predictiveMoment(CustomerProfile profile, long now) {
    Predictor p = predictorFor(holder.current());
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

  private void book(long dueAt, String customerId) {
    due.put(DueIndex.key(dueAt, customerId), new byte[0]);
    scanFrom = Math.min(scanFrom, Math.max(0, dueAt));
  }

  /** Re-evaluates the customers whose check is due, oldest first, at most maxPerTick of them. */
  private void punctuate(long wall) {
    loadModelFromGlobalStore();
    metrics.onModel(holder.current());
    long now = clock.now(streamTime(), wall);
    if (now == SegmenterClock.UNKNOWN) return;
    checkModelChange(now);
    if (scanFrom > now) return;
    List<Bytes> dueKeys = new ArrayList<>();
    // Collect first, then modify: the store is not changed under an open iterator.
    try (KeyValueIterator<Bytes, byte[]> it = due.range(DueIndex.lowerBound(scanFrom), DueIndex.upperBound(now))) {
      while (it.hasNext() && dueKeys.size() < settings.maxPerTick()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        dueKeys.add(kv.key);
      }
    }
    // Everything due is collected, or the tick is full and the rest starts at the last time taken.
    // Re-bookings below are all later than now, so they cannot fall under the new start.
    scanFrom = dueKeys.size() < settings.maxPerTick() ? now + 1 : DueIndex.dueAt(dueKeys.get(dueKeys.size() - 1));
    for (Bytes key : dueKeys) {
      due.delete(key);
      String customerId = DueIndex.customerId(key);
      byte[] stored = profiles.get(customerId);
      if (stored == null) continue;
      CustomerProfile profile = ProfileCodec.decode(stored);
      metrics.reevaluated();
      // The entry just removed may be the profile's booking or an extra one (checkModelChange).
      evaluate(customerId, profile, false, now, now, wall, ChangeReason.INACTIVITY);
      sampleSummary(profile, now);
      scheduleCheck(customerId, profile, now, DueIndex.dueAt(key));
      pruneDedup(customerId, now);
      profiles.put(customerId, ProfileCodec.encode(profile));
    }
  }

  /**
   * Adds the customer's repeat-purchase summary to the batch, for the aggregator's fit of the
   * predictive models. Only at re-evaluations as time passes, never at an event: a summary taken at
   * a purchase would always have t_x = T, and the fit would see customers only at their most alive.
   */
  private void sampleSummary(CustomerProfile profile, long now) {
    if (!settings.clvEnabled() || batch.summaries() >= settings.clv().summariesPerDelta()) return;
    CustomerSummary s = profile.repeatSummary(now, DAY_MS);
    if (s == null) return;
    batch.addSummary(s);
    batchStore.put(nextPointKey++, BatchPoint.summary(s, now).encode());
  }

  /**
   * Reacts to a new model version. The first one: customers who arrived before any model are made
   * due now, to get their segment at once. Later ones: when a version turns a centre Champions-like
   * (names follow the centres as they move), its members, who may no longer belong there, are made
   * due now, so that the eligibility rule holds from this punctuation on, not from their next routine
   * check. Only those members are read (membership index), never every profile.
   */
  private void checkModelChange(long now) {
    ModelSnapshot model = holder.current();
    if (model == null || model == seenModel && unassignedChecked) return;
    java.util.Set<Integer> recheck = new java.util.TreeSet<>();
    if (seenModel != null && model != seenModel) {
      recheck.addAll(restrictedCentres(model));
      recheck.removeAll(seenModel.recentBuyersOnly());
    }
    // Once per task lifetime with a model (normally an empty range after the first version).
    if (!unassignedChecked) recheck.add(SegmentMembers.UNASSIGNED);
    unassignedChecked = true;
    seenModel = model;
    for (int centre : recheck) {
      List<String> ids = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = members.range(SegmentMembers.from(centre), SegmentMembers.to(centre))) {
        while (it.hasNext()) ids.add(SegmentMembers.customerId(it.next().key));
      }
      for (String id : ids) book(now, id);
    }
  }

  private void flushDeltaIfDue(long wall) {
    if ((batch.points() > 0 || batch.summaries() > 0) && wall - lastDeltaWall >= settings.deltaIntervalMs()) flushDelta(wall);
  }

  /** Sends the mini-batch to the aggregator; the send and the store update share the transaction. */
  private void flushDelta(long wall) {
    if (batch.points() == 0 && batch.summaries() == 0) return;
    deltaSequence++;
    TaskDelta delta = batch.drain(taskId, deltaSequence, baseVersion());
    // Wall-clock stamp: an event-time one could be older than the topic's retention (replays), and the
    // broker would delete the delta before the aggregator read it. Event times are in the payload.
    context.forward(new Record<>(taskId, ModelCodec.toAvro(delta), wall), SegmenterTopology.DELTAS_SINK);
    for (long k = firstPointKey; k < nextPointKey; k++) batchStore.delete(k);
    firstPointKey = nextPointKey;
    batchStore.put(SEQUENCE_KEY, ByteBuffer.allocate(8).putLong(deltaSequence).array());
    lastDeltaWall = wall;
  }
}
