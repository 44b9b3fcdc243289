package io.segmenter.topology;

import io.segmenter.evaluation.Decision.Move;
import io.segmenter.evaluation.MemberLists;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Who is in which list ({@link MemberLists}: segments, the customers waiting for a model, predictive
 * segments), as {@link SegmentMembers} keys, and this task's counts per list (see
 * {@link LocalPopulations}), moved with every entry.
 */
final class MembershipIndex implements AutoCloseable {
  private static final byte[] EMPTY = new byte[0];
  private final KeyValueStore<Bytes, byte[]> store;
  private final StoreWriteHook hook;
  private final LocalPopulations.Task population;

  /**
   * Counts the task's members per list with one scan of the store and registers the counts with
   * the instance's populations (again after a task is revived: its stores were restored, any
   * previous counts are void).
   */
  MembershipIndex(KeyValueStore<Bytes, byte[]> store, StoreWriteHook hook, LocalPopulations populations) {
    this.store = store;
    this.hook = hook;
    Map<Integer, Long> counts = new HashMap<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) counts.merge(ByteBuffer.wrap(it.next().key.get(), 0, 4).getInt(), 1L, Long::sum);
    }
    this.population = populations.open(counts);
  }

  void move(String customerId, Move move) {
    if (move.from() != MemberLists.NONE) {
      hook.beforeWrite(SegmenterTopology.MEMBERS_STORE, "delete");
      store.delete(SegmentMembers.key(move.from(), customerId));
    }
    if (move.to() != MemberLists.NONE) {
      hook.beforeWrite(SegmenterTopology.MEMBERS_STORE, "put");
      store.put(SegmentMembers.key(move.to(), customerId), EMPTY);
    }
    population.move(move.from(), move.to());
  }

  /** Takes the customer out of a list if listed there (erasure). */
  void remove(String customerId, int list) {
    hook.beforeWrite(SegmenterTopology.MEMBERS_STORE, "delete");
    if (store.delete(SegmentMembers.key(list, customerId)) != null) population.add(list, -1);
  }

  /** The customer ids in one list. */
  List<String> members(int list) {
    List<String> ids = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.range(SegmentMembers.from(list), SegmentMembers.to(list))) {
      while (it.hasNext()) ids.add(SegmentMembers.customerId(it.next().key));
    }
    return ids;
  }

  /** The lists that hold at least one of the task's customers (from the counts, no store read). */
  Set<Integer> nonEmptyLists() {
    return population.nonEmpty();
  }

  /** The task closed (shutdown, or it migrates): its customers are no longer this instance's. */
  @Override
  public void close() {
    population.close();
  }
}
