package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.evaluation.Decision.TrainingPoint;
import io.segmenter.model.Features;
import io.segmenter.model.TaskDelta;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The mini-batch's store layout: points in chunks (one key per {@link MiniBatchBuffer#CHUNK_POINTS}
 * points, so one changelog record per chunk and commit), the batch rebuilt from them after a
 * restart, and single points left by an earlier release read and deleted. A real in-memory
 * key-value store from Kafka Streams in Kafka's MockProcessorContext.
 */
class MiniBatchBufferTest {
  private static final long T0 = 1_767_225_600_000L;
  private static final long SEED = 42;

  private final KeyValueStore<Long, byte[]> store = InMemoryStores.keyValue(SegmenterTopology.BATCH_STORE, Serdes.Long(), Serdes.ByteArray());

  @Test
  void pointsAreKeptInChunksAndTheBatchIsRebuiltFromThem() {
    MiniBatchBuffer buffer = buffer();
    for (int i = 0; i < 150; i++) buffer.add(point(i), 1_000 + i);
    int chunks = (150 + MiniBatchBuffer.CHUNK_POINTS - 1) / MiniBatchBuffer.CHUNK_POINTS;
    assertThat(keys()).as("150 points in chunks of at most %d", MiniBatchBuffer.CHUNK_POINTS)
        .hasSize(chunks).allMatch(k -> k >= MiniBatchBuffer.CHUNK_BASE);

    MiniBatchBuffer restarted = buffer();
    assertThat(restarted.points()).isEqualTo(150);
    assertThat(ModelCodec.toAvro(restarted.pending("0_0", 3)).equals(ModelCodec.toAvro(buffer.pending("0_0", 3))))
        .as("the rebuilt batch is the same delta").isTrue();

    // The restarted batch goes on filling its last chunk (150 is not a multiple of the chunk size),
    // and a delta sent clears every chunk.
    restarted.add(point(150), 2_000);
    assertThat(keys()).hasSize(chunks);
    restarted.sent();
    assertThat(keys()).as("only the sequence number is left").containsExactly(MiniBatchBuffer.SEQUENCE_KEY);
    MiniBatchBuffer afterSend = buffer();
    assertThat(afterSend.isEmpty()).isTrue();
    assertThat(afterSend.pending("0_0", 3).sequence()).isEqualTo(2);
  }

  @Test
  void singlePointsOfAnEarlierReleaseAreReadAndDeletedWithTheNextDelta() {
    store.put(0L, new BatchPoint(0, 10, T0, raw(0), 7).encode());
    store.put(1L, new BatchPoint(1, 10, T0 + 1, raw(1), 8).encode());
    MiniBatchBuffer buffer = buffer();
    assertThat(buffer.points()).isEqualTo(2);
    buffer.add(point(2), 9);
    assertThat(buffer.points()).isEqualTo(3);
    TaskDelta delta = buffer.pending("0_0", 1);
    assertThat(delta.points()).isEqualTo(3);
    buffer.sent();
    assertThat(keys()).containsExactly(MiniBatchBuffer.SEQUENCE_KEY);
  }

  private MiniBatchBuffer buffer() {
    return new MiniBatchBuffer(store, StoreWriteHook.NONE, SEED, 100);
  }

  private List<Long> keys() {
    List<Long> keys = new ArrayList<>();
    try (KeyValueIterator<Long, byte[]> it = store.all()) {
      while (it.hasNext()) keys.add(it.next().key);
    }
    return keys;
  }

  private static TrainingPoint point(int i) {
    return new TrainingPoint(raw(i), i % 3, T0 + i, 10);
  }

  private static double[] raw(int i) {
    double[] raw = new double[Features.DIMENSION];
    for (int d = 0; d < raw.length; d++) raw[d] = i + d / 10.0;
    return raw;
  }
}
