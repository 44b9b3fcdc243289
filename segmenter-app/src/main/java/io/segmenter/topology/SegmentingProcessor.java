package io.segmenter.topology;

import io.segmenter.events.ChangeReason;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Features;
import io.segmenter.model.MiniBatchAccumulator;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentAssigner;
import io.segmenter.model.TaskDelta;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The per-customer heart of the topology: validates and de-duplicates events, updates the profile,
 * assigns the segment with the global model (with hysteresis), emits a change only when the segment
 * really changes, gathers the mini-batch for the model, and re-evaluates quiet customers from a
 * time-ordered index on a wall-clock punctuator.
 */
final class SegmentingProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
  static final String BATCH_KEY = "batch";
  static final String SEQUENCE_KEY = "sequence";

  private final TopologySettings settings;
  private final ModelHolder holder;
  private final EventValidator validator;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> profiles;
  private WindowStore<String, Long> dedup;
  private KeyValueStore<Bytes, byte[]> due;
  private KeyValueStore<String, byte[]> batchStore;
  private ReadOnlyKeyValueStore<String, ModelVersion> globalModel;
  private SegmenterClock clock;
  private MiniBatchAccumulator batch;
  private long deltaSequence;
  private long lastDeltaWall;
  private String taskId;

  SegmentingProcessor(TopologySettings settings, ModelHolder holder) {
    this.settings = settings;
    this.holder = holder;
    this.validator = new EventValidator(settings.currency(), settings.maxFutureMs());
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    profiles = context.getStateStore(SegmenterTopology.PROFILES_STORE);
    dedup = context.getStateStore(SegmenterTopology.DEDUP_STORE);
    due = context.getStateStore(SegmenterTopology.DUE_STORE);
    batchStore = context.getStateStore(SegmenterTopology.BATCH_STORE);
    globalModel = context.getStateStore(SegmenterTopology.MODEL_GLOBAL_STORE);
    clock = new SegmenterClock(settings.hybridClock());
    taskId = context.taskId().toString();
    byte[] persisted = batchStore.get(BATCH_KEY);
    batch = persisted == null ? new MiniBatchAccumulator(Features.DIMENSION)
        : MiniBatchAccumulator.resume(ModelCodec.fromAvro(decodeDelta(persisted)));
    byte[] seq = batchStore.get(SEQUENCE_KEY);
    deltaSequence = seq == null ? 0 : ByteBuffer.wrap(seq).getLong();
    lastDeltaWall = context.currentSystemTimeMs();
    loadModelFromGlobalStore();
    context.schedule(Duration.ofMillis(settings.punctuateIntervalMs()), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    context.schedule(Duration.ofMillis(settings.deltaIntervalMs()), PunctuationType.WALL_CLOCK_TIME, w -> flushDeltaIfDue(w));
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
    if (value instanceof ClickEvent click) {
      validator.check(record.key(), click, wall);
      customerId = click.getCustomerId();
      dedupId = "c:" + click.getEventId();
      eventTime = click.getOccurredAt().toEpochMilli();
    } else if (value instanceof OrderEvent order) {
      validator.check(record.key(), order, wall);
      customerId = order.getCustomerId();
      // The same order id arrives once per status (placed, then maybe returned).
      dedupId = "o:" + order.getOrderId() + ":" + order.getStatus();
      eventTime = order.getOccurredAt().toEpochMilli();
    } else {
      throw new InvalidEventException("UNEXPECTED_TYPE", "unexpected record type "
          + (value == null ? "null (tombstone)" : value.getSchema().getFullName()));
    }
    if (isDuplicate(dedupId, eventTime)) return;
    dedup.put(dedupId, eventTime, eventTime);

    byte[] stored = profiles.get(customerId);
    CustomerProfile profile = stored == null ? CustomerProfile.empty() : ProfileCodec.decode(stored);
    if (value instanceof ClickEvent click) {
      profile.apply(click, settings.profile());
    } else {
      profile.apply((OrderEvent) value, settings.profile());
    }
    long now = Math.max(clock.now(context.currentStreamTimeMs(), wall), eventTime);
    evaluate(customerId, profile, now, eventTime, wall, ChangeReason.EVENT);
    scheduleCheck(customerId, profile, now);
    profiles.put(customerId, ProfileCodec.encode(profile));
    if (batch.points() >= settings.deltaPoints()) flushDelta(wall);
  }

  private boolean isDuplicate(String id, long eventTime) {
    long ttl = settings.dedupTtlMs();
    try (WindowStoreIterator<Long> seen = dedup.fetch(id, eventTime - ttl, eventTime + ttl)) {
      return seen.hasNext();
    }
  }

  /**
   * Assigns the customer with the current model, emits the change if the segment really changed, and
   * contributes a training point at most once per sample interval.
   */
  private void evaluate(String customerId, CustomerProfile profile, long now, long eventTime, long wall,
      ChangeReason eventReason) {
    ModelSnapshot model = holder.current();
    double[] raw = Features.of(profile, now, settings.profile());
    int nearest = -1;
    if (model != null) {
      SegmentAssigner.Decision d = SegmentAssigner.decide(profile.segmentId(), model.standardise(raw),
          model.kmeans(), settings.hysteresisMargin());
      nearest = d.nearestId();
      if (d.changed()) {
        ChangeReason reason = eventReason == ChangeReason.INACTIVITY
            && profile.assignedModelVersion() != model.version() ? ChangeReason.MODEL : eventReason;
        int previous = profile.segmentId();
        profile.setSegmentId(d.segmentId());
        profile.setSegmentSince(now);
        profile.setChangeSequence(profile.changeSequence() + 1);
        long ts = Math.max(eventTime, 0);
        context.forward(new Record<>(customerId, SegmentEvents.change(customerId, profile, previous, model, reason,
            d.distance(), eventTime, now, wall), ts), SegmenterTopology.CHANGES_SINK);
        context.forward(new Record<>(customerId, SegmentEvents.current(customerId, profile, model, d.distance(),
            now, wall), ts), SegmenterTopology.SEGMENTS_SINK);
      }
      profile.setAssignedModelVersion(model.version());
    }
    if (profile.lastSampledAt() == CustomerProfile.NONE || now - profile.lastSampledAt() >= settings.sampleIntervalMs()) {
      int sampleCap = model == null ? settings.model().warmupPoints() : io.segmenter.model.ModelAggregator.CANDIDATE_SAMPLE;
      batch.add(raw, nearest, now, sampleCap);
      profile.setLastSampledAt(now);
      batchStore.put(BATCH_KEY, encodeDelta(ModelCodec.toAvro(batch.snapshot(taskId, deltaSequence + 1, baseVersion()))));
    }
  }

  private long baseVersion() {
    ModelSnapshot m = holder.current();
    return m == null ? -1 : m.version();
  }

  private void scheduleCheck(String customerId, CustomerProfile profile, long now) {
    if (profile.nextCheckAt() != CustomerProfile.NONE) due.delete(DueIndex.key(profile.nextCheckAt(), customerId));
    long next = now + settings.recheckIntervalMs();
    profile.setNextCheckAt(next);
    due.put(DueIndex.key(next, customerId), new byte[0]);
  }

  /** Re-evaluates the customers whose check is due, oldest first, at most maxPerTick of them. */
  private void punctuate(long wall) {
    loadModelFromGlobalStore();
    long now = clock.now(context.currentStreamTimeMs(), wall);
    if (now == SegmenterClock.UNKNOWN) return;
    List<Bytes> dueKeys = new ArrayList<>();
    // Collect first, then modify: the store is not changed under an open iterator.
    try (KeyValueIterator<Bytes, byte[]> it = due.range(DueIndex.lowerBound(), DueIndex.upperBound(now))) {
      while (it.hasNext() && dueKeys.size() < settings.maxPerTick()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        dueKeys.add(kv.key);
      }
    }
    for (Bytes key : dueKeys) {
      due.delete(key);
      String customerId = DueIndex.customerId(key);
      byte[] stored = profiles.get(customerId);
      if (stored == null) continue;
      CustomerProfile profile = ProfileCodec.decode(stored);
      profile.setNextCheckAt(CustomerProfile.NONE);
      evaluate(customerId, profile, now, now, wall, ChangeReason.INACTIVITY);
      scheduleCheck(customerId, profile, now);
      profiles.put(customerId, ProfileCodec.encode(profile));
    }
  }

  private void flushDeltaIfDue(long wall) {
    if (batch.points() > 0 && wall - lastDeltaWall >= settings.deltaIntervalMs()) flushDelta(wall);
  }

  /** Sends the mini-batch to the aggregator; the send and the store update share the transaction. */
  private void flushDelta(long wall) {
    if (batch.points() == 0) return;
    deltaSequence++;
    TaskDelta delta = batch.drain(taskId, deltaSequence, baseVersion());
    long ts = Math.max(0, delta.maxEventTime());
    context.forward(new Record<>(taskId, ModelCodec.toAvro(delta), ts), SegmenterTopology.DELTAS_SINK);
    batchStore.delete(BATCH_KEY);
    batchStore.put(SEQUENCE_KEY, ByteBuffer.allocate(8).putLong(deltaSequence).array());
    lastDeltaWall = wall;
  }

  static byte[] encodeDelta(ModelDelta d) {
    try {
      ByteBuffer b = d.toByteBuffer();
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ModelDelta decodeDelta(byte[] bytes) {
    try {
      return ModelDelta.fromByteBuffer(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
