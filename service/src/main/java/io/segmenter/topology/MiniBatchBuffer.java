package io.segmenter.topology;

import io.segmenter.clv.CustomerSummary;
import io.segmenter.evaluation.Decision.TrainingPoint;
import io.segmenter.model.Features;
import io.segmenter.model.MiniBatchAccumulator;
import io.segmenter.model.TaskDelta;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The task's mini-batch in progress, mirrored in memory by a {@link MiniBatchAccumulator} and kept in
 * the model-batch store in chunks: the points ({@link BatchPoint}: training points, summaries, erased
 * customers' panel keys) are appended to the current chunk, which is put again after each point, and
 * the store's record cache keeps only the last put of a chunk per commit. So a commit writes each
 * chunk it touched once (one changelog record per {@value #CHUNK_POINTS} points at most, rather than
 * one per point, and one delete per chunk when the delta is sent, rather than one per point). When
 * the chunk is written more often (a trickle of one point per commit, or a full cache, below), the
 * chunk's small size bounds the bytes: a point is written at most {@value #CHUNK_POINTS} times. Chunks
 * follow from the points alone (every {@value #CHUNK_POINTS}), not from the clock, so the same input
 * leaves the same store whatever the commits and restarts (AtomicStepIT compares them). The
 * chunks, the delta sent and the input offsets share one transaction, so a crash loses no point and
 * sends no delta twice; after a restart the batch is rebuilt from the store.
 *
 * <p>Keys: {@value #SEQUENCE_KEY} holds the last delta's sequence number; chunk n is at
 * {@code CHUNK_BASE + n}; keys from 0 below {@code CHUNK_BASE} are single points written by releases
 * before chunks, read once after an upgrade and deleted with the first delta sent.
 */
final class MiniBatchBuffer {
  /** Key of the last delta sequence number. */
  static final long SEQUENCE_KEY = -1;
  /** Key of chunk 0; below it, the single points of earlier releases. */
  static final long CHUNK_BASE = 1L << 62;
  /**
   * Points per chunk. A put re-writes the chunk, and when the thread's record cache is full (more
   * customers than it holds) Kafka Streams flushes the store's entry at every put: the chunk is then
   * written once per point, so its size bounds the bytes written per point (64 points wrote about
   * 5 kB per point for 100,000 customers in RestoreBenchmark; 8 points write at most about 1 kB).
   */
  static final int CHUNK_POINTS = 8;

  private final KeyValueStore<Long, byte[]> store;
  private final StoreWriteHook hook;
  private final long seed;
  private final int summariesPerDelta;
  private MiniBatchAccumulator batch;
  /** Single points of an earlier release still in the store, deleted with the next delta. */
  private final List<Long> legacyKeys = new ArrayList<>();
  /** First chunk of the batch in progress, and the chunk being filled. */
  private long firstChunk;
  private long chunk;
  private final ByteArrayOutputStream chunkBytes = new ByteArrayOutputStream();
  private int chunkPoints;
  private long sequence;

  /** Rebuilds the batch in progress from the store (after a restart or a rebalance). */
  MiniBatchBuffer(KeyValueStore<Long, byte[]> store, StoreWriteHook hook, long seed, int summariesPerDelta) {
    this.store = store;
    this.hook = hook;
    this.seed = seed;
    this.summariesPerDelta = summariesPerDelta;
    batch = new MiniBatchAccumulator(Features.DIMENSION, seed);
    firstChunk = -1;
    try (KeyValueIterator<Long, byte[]> it = store.range(0L, Long.MAX_VALUE)) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        if (kv.key < CHUNK_BASE) {
          legacyKeys.add(kv.key);
          restore(BatchPoint.decode(kv.value));
          continue;
        }
        if (firstChunk < 0) firstChunk = kv.key - CHUNK_BASE;
        chunk = kv.key - CHUNK_BASE;
        chunkBytes.reset();
        chunkPoints = 0;
        ByteBuffer b = ByteBuffer.wrap(kv.value);
        while (b.hasRemaining()) {
          byte[] point = new byte[b.getInt()];
          b.get(point);
          restore(BatchPoint.decode(point));
          append(point);
        }
      }
    }
    byte[] seq = store.get(SEQUENCE_KEY);
    sequence = seq == null ? 0 : ByteBuffer.wrap(seq).getLong();
    if (firstChunk < 0) {
      // No chunk in the store (a new task, or every delta sent): numbering starts again.
      firstChunk = 0;
      chunk = 0;
    } else if (chunkPoints == CHUNK_POINTS) {
      nextChunk();
    }
  }

  private void restore(BatchPoint p) {
    if (p.isSummary()) batch.addSummary(p.toSummary());
    else if (p.isForget()) batch.forget(p.panelKey());
    else batch.add(p.raw(), p.centreId(), p.eventTime(), p.sampleCap(), p.panelKey());
  }

  /** @param panelKey the customer's {@link io.segmenter.model.CustomerKey} */
  void add(TrainingPoint p, long panelKey) {
    put(new BatchPoint(p.centreId(), p.sampleCap(), p.time(), p.raw(), panelKey));
    batch.add(p.raw(), p.centreId(), p.time(), p.sampleCap(), panelKey);
  }

  /** Adds a repeat-purchase summary for the predictive fit, unless the batch holds enough already. */
  void offer(CustomerSummary s, long now) {
    if (batch.summaries() >= summariesPerDelta) return;
    put(BatchPoint.summary(s, now));
    batch.addSummary(s);
  }

  /** An erased customer: its panel point goes from this batch, and from the aggregator's panel with the next delta. */
  void forget(long panelKey, long now) {
    put(BatchPoint.forget(panelKey, now));
    batch.forget(panelKey);
  }

  /** Appends the point to the current chunk and puts the chunk (the record cache keeps the last put). */
  private void put(BatchPoint p) {
    append(p.encode());
    hook.beforeWrite(SegmenterTopology.BATCH_STORE, "put");
    store.put(CHUNK_BASE + chunk, chunkBytes.toByteArray());
    if (chunkPoints == CHUNK_POINTS) nextChunk();
  }

  private void append(byte[] point) {
    chunkBytes.write(point.length >>> 24);
    chunkBytes.write(point.length >>> 16);
    chunkBytes.write(point.length >>> 8);
    chunkBytes.write(point.length);
    chunkBytes.writeBytes(point);
    chunkPoints++;
  }

  private void nextChunk() {
    chunk++;
    chunkBytes.reset();
    chunkPoints = 0;
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
   * The delta of {@link #pending} was sent (forwarded): the store forgets its chunks and remembers
   * its sequence number, and a new batch starts in a new chunk. Called after the send, so that a
   * failure between the two keeps the points rather than losing them.
   */
  void sent() {
    long last = chunkPoints > 0 ? chunk : chunk - 1;
    for (long c = firstChunk; c <= last; c++) {
      hook.beforeWrite(SegmenterTopology.BATCH_STORE, "delete");
      store.delete(CHUNK_BASE + c);
    }
    for (long k : legacyKeys) {
      hook.beforeWrite(SegmenterTopology.BATCH_STORE, "delete");
      store.delete(k);
    }
    legacyKeys.clear();
    hook.beforeWrite(SegmenterTopology.BATCH_STORE, "put");
    store.put(SEQUENCE_KEY, ByteBuffer.allocate(8).putLong(sequence + 1).array());
    sequence++;
    if (chunkPoints > 0) nextChunk();
    firstChunk = chunk;
    batch = new MiniBatchAccumulator(Features.DIMENSION, seed);
  }
}
