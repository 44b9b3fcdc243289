package io.segmenter.topology;

import io.segmenter.clv.CustomerSummary;
import io.segmenter.evaluation.Decision.TrainingPoint;
import io.segmenter.model.Features;
import io.segmenter.model.MiniBatchAccumulator;
import io.segmenter.model.TaskDelta;
import java.nio.ByteBuffer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The task's mini-batch in progress: each training point and summary is one small put in the
 * model-batch store ({@link BatchPoint}), mirrored in memory by a {@link MiniBatchAccumulator};
 * draining it into a delta deletes the points and stores the delta's sequence number. The points,
 * the delta sent and the input offsets share one transaction, so a crash loses no point and sends
 * no delta twice; after a restart the batch is rebuilt from the store.
 */
final class MiniBatchBuffer {
  /** Key of the last delta sequence number; points have keys >= 0. */
  static final long SEQUENCE_KEY = -1;

  private final KeyValueStore<Long, byte[]> store;
  private final StoreWriteHook hook;
  private final long seed;
  private final int summariesPerDelta;
  private MiniBatchAccumulator batch;
  private long firstPointKey;
  private long nextPointKey;
  private long sequence;

  /** Rebuilds the batch in progress from the store (after a restart or a rebalance). */
  MiniBatchBuffer(KeyValueStore<Long, byte[]> store, StoreWriteHook hook, long seed, int summariesPerDelta) {
    this.store = store;
    this.hook = hook;
    this.seed = seed;
    this.summariesPerDelta = summariesPerDelta;
    batch = new MiniBatchAccumulator(Features.DIMENSION, seed);
    firstPointKey = -1;
    nextPointKey = 0;
    try (KeyValueIterator<Long, byte[]> it = store.range(0L, Long.MAX_VALUE)) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        BatchPoint p = BatchPoint.decode(kv.value);
        if (p.isSummary()) batch.addSummary(p.toSummary());
        else if (p.isForget()) batch.forget(p.panelKey());
        else batch.add(p.raw(), p.centreId(), p.eventTime(), p.sampleCap(), p.panelKey());
        if (firstPointKey < 0) firstPointKey = kv.key;
        nextPointKey = kv.key + 1;
      }
    }
    if (firstPointKey < 0) firstPointKey = nextPointKey;
    byte[] seq = store.get(SEQUENCE_KEY);
    sequence = seq == null ? 0 : ByteBuffer.wrap(seq).getLong();
  }

  /** @param panelKey the customer's {@link io.segmenter.model.CustomerKey} */
  void add(TrainingPoint p, long panelKey) {
    hook.beforeWrite(SegmenterTopology.BATCH_STORE, "put");
    store.put(nextPointKey, new BatchPoint(p.centreId(), p.sampleCap(), p.time(), p.raw(), panelKey).encode());
    nextPointKey++;
    batch.add(p.raw(), p.centreId(), p.time(), p.sampleCap(), panelKey);
  }

  /** Adds a repeat-purchase summary for the predictive fit, unless the batch holds enough already. */
  void offer(CustomerSummary s, long now) {
    if (batch.summaries() >= summariesPerDelta) return;
    hook.beforeWrite(SegmenterTopology.BATCH_STORE, "put");
    store.put(nextPointKey, BatchPoint.summary(s, now).encode());
    nextPointKey++;
    batch.addSummary(s);
  }

  /** An erased customer: its panel point goes from this batch, and from the aggregator's panel with the next delta. */
  void forget(long panelKey, long now) {
    hook.beforeWrite(SegmenterTopology.BATCH_STORE, "put");
    store.put(nextPointKey, BatchPoint.forget(panelKey, now).encode());
    nextPointKey++;
    batch.forget(panelKey);
  }

  long points() {
    return batch.points();
  }

  boolean isEmpty() {
    return batch.points() == 0 && batch.summaries() == 0 && !batch.hasForgets();
  }

  /** The batch as the next delta to send, without forgetting it (see {@link #sent}). */
  TaskDelta pending(String taskId, long baseVersion) {
    return batch.snapshot(taskId, sequence + 1, baseVersion);
  }

  /**
   * The delta of {@link #pending} was sent (forwarded): the store forgets its points and remembers
   * its sequence number, and a new batch starts. Called after the send, so that a failure between
   * the two keeps the points rather than losing them.
   */
  void sent() {
    for (long k = firstPointKey; k < nextPointKey; k++) {
      hook.beforeWrite(SegmenterTopology.BATCH_STORE, "delete");
      store.delete(k);
    }
    hook.beforeWrite(SegmenterTopology.BATCH_STORE, "put");
    store.put(SEQUENCE_KEY, ByteBuffer.allocate(8).putLong(sequence + 1).array());
    sequence++;
    firstPointKey = nextPointKey;
    batch = new MiniBatchAccumulator(Features.DIMENSION, seed);
  }
}
