package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The inactivity index over a real in-memory store of Kafka Streams with the topology's flush hook:
 * bookings wait for the flush before a commit (called by hand here, as
 * {@code ProcessorStateManager.flushCache} calls it), and the scans see them as if stored. The store
 * below records what reaches it.
 */
class InactivityIndexTest {
  private final KeyValueStore<Bytes, byte[]> memory = InMemoryStores.keyValue(SegmenterTopology.DUE_STORE, Serdes.Bytes(), Serdes.ByteArray());
  /** Every put and delete that reached the store below the hook, in order. */
  private final List<String> writes = new ArrayList<>();
  private final KeyValueStore<Bytes, byte[]> recording = new LayeredStore<>(memory) {
    @Override
    public void put(Bytes key, byte[] value) {
      writes.add("put " + DueIndex.dueAt(key) + " " + DueIndex.customerId(key));
      super.put(key, value);
    }

    @Override
    public byte[] delete(Bytes key) {
      writes.add("delete " + DueIndex.dueAt(key) + " " + DueIndex.customerId(key));
      return super.delete(key);
    }
  };
  private final FlushHookStore<Bytes> hooked = new FlushHookStore<>(recording);
  private final InactivityIndex index = new InactivityIndex(hooked, StoreWriteHook.NONE);

  private static List<String> names(List<Bytes> keys) {
    List<String> out = new ArrayList<>();
    for (Bytes k : keys) out.add(DueIndex.dueAt(k) + " " + DueIndex.customerId(k));
    return out;
  }

  private List<String> stored() {
    List<String> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = memory.all()) {
      while (it.hasNext()) {
        Bytes k = it.next().key;
        out.add(DueIndex.dueAt(k) + " " + DueIndex.customerId(k));
      }
    }
    return out;
  }

  @Test
  void aCheckBookedAndTakenBetweenTwoFlushesNeverReachesTheStore() {
    index.book(100, "a");
    index.book(200, "b");
    List<Bytes> due = index.takeDue(150, 10);
    assertThat(names(due)).containsExactly("100 a");
    index.remove(due.get(0));
    index.cancel(200, "b");

    hooked.flushCache();

    assertThat(writes).as("no put, no delete").isEmpty();
    assertThat(stored()).isEmpty();
  }

  @Test
  void theFlushWritesWhatWaitsAndTheScansMergeItWithWhatIsStored() {
    index.book(10, "a");
    index.book(30, "c");
    hooked.flushCache();
    assertThat(writes).containsExactly("put 10 a", "put 30 c");
    assertThat(index.heldCount()).isZero();

    index.book(20, "b");
    index.book(40, "d");
    index.book(25, "e");
    assertThat(names(index.takeDue(35, 3))).as("the first three due, stored and held, in key order")
        .containsExactly("10 a", "20 b", "25 e");
    assertThat(names(index.takeDue(35, 3))).as("the next scan starts at the last time taken").containsExactly("25 e", "30 c");
  }

  @Test
  void aKeyBookedAgainWhileStoredIsDeletedFromTheStore() {
    index.book(10, "a");
    hooked.flushCache();
    writes.clear();
    index.book(10, "a"); // the same key again: the store already has it
    index.cancel(10, "a");
    hooked.flushCache();
    assertThat(writes).containsExactly("delete 10 a");
    assertThat(stored()).isEmpty();
  }

  @Test
  void closingTheStoreDropsTheBookingsThatWait() {
    // The safety net: Kafka Streams flushes a task it closes dirty (into the transaction it then
    // aborts, and wipes the state), closes its stores and initialises them again.
    index.book(10, "a");
    hooked.close();
    assertThat(index.heldCount()).isZero();
  }

  @Test
  void initialisingTheStoreDropsTheBookingsThatWait() {
    index.book(10, "a");
    hooked.init(InMemoryStores.context(SegmenterTopology.DUE_STORE), hooked);
    assertThat(index.heldCount()).isZero();
    hooked.flushCache();
    assertThat(writes).isEmpty();
  }

  @Test
  void clearingTheCacheDropsTheBookingsThatWait() {
    index.book(10, "a");
    hooked.clearCache();
    assertThat(index.heldCount()).isZero();
  }

  @Test
  void storedKeysThatFillTheTickLeaveRoomForHeldOnesBetweenThem() {
    index.book(10, "a");
    index.book(20, "b");
    index.book(30, "c");
    hooked.flushCache();
    index.book(15, "d");
    index.book(25, "e");
    assertThat(names(index.takeDue(100, 3))).containsExactly("10 a", "15 d", "20 b");
  }

  @Test
  void pastTheBoundTheBookingsAreWrittenAtOnce() {
    for (int i = 0; i <= InactivityIndex.MAX_HELD; i++) index.book(i, "c" + i);
    assertThat(index.heldCount()).isZero();
    assertThat(writes).hasSize(InactivityIndex.MAX_HELD + 1);
  }

  @Test
  void theHookIsFoundUnderTheDecoratorKafkaStreamsHandsToProcessors() throws Exception {
    StateStore decorated = InMemoryStores.decorated(hooked);
    assertThat(FlushHookStore.<Bytes>of(decorated)).isSameAs(hooked);
    assertThat(FlushHookStore.<Bytes>of(memory)).isNull();
  }

  @Test
  void erasureRemovesTheCustomersHeldAndStoredEntries() {
    index.book(10, "a");
    index.book(15, "b");
    hooked.flushCache();
    index.book(20, "a");
    index.eraseDueBy("a", 100);
    hooked.flushCache();
    assertThat(stored()).containsExactly("15 b");
    assertThat(writes).containsExactly("put 10 a", "put 15 b", "delete 10 a");
  }

  @Test
  void withoutTheHookEveryBookingIsWrittenAtOnce() {
    InactivityIndex plain = new InactivityIndex(recording, StoreWriteHook.NONE);
    plain.book(10, "a");
    assertThat(writes).containsExactly("put 10 a");
  }
}
