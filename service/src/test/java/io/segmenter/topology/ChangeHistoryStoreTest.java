package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ChangeReason;
import io.segmenter.profile.ChangeHistory;
import io.segmenter.profile.ChangeHistoryCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The segment-history store's wrapper, over a real in-memory store of Kafka Streams. */
class ChangeHistoryStoreTest {
  private final KeyValueStore<String, byte[]> store =
      InMemoryStores.keyValue(SegmenterTopology.HISTORY_STORE, Serdes.String(), Serdes.ByteArray());
  private final List<String> writes = new ArrayList<>();
  private final StoreWriteHook hook = (name, operation) -> writes.add(name + "/" + operation);

  private static ChangeHistory.Entry change(long sequence) {
    return new ChangeHistory.Entry(sequence, 1_000 * sequence, 1_000 * sequence - 5, (int) sequence - 1, (int) sequence,
        ChangeReason.EVENT, 3, ChangeHistory.NONE, ChangeHistory.NONE);
  }

  @Test
  void changesAreKeptNewestFirstUpToTheBoundAndEachWriteGoesThroughTheHook() {
    ChangeHistoryStore history = new ChangeHistoryStore(store, hook, 2);
    history.record("a", change(1));
    history.record("a", change(2));
    history.record("a", change(3));
    assertThat(ChangeHistoryCodec.decode(store.get("a")).entries()).extracting(ChangeHistory.Entry::sequence)
        .containsExactly(3L, 2L);
    assertThat(writes).containsExactly("segment-history/put", "segment-history/put", "segment-history/put");
  }

  @Test
  void forgettingDeletesWhatIsStoredAndWritesNothingForACustomerWithoutHistory() {
    ChangeHistoryStore history = new ChangeHistoryStore(store, hook, 5);
    history.record("a", change(1));
    history.forget("a");
    history.forget("nobody");
    assertThat(store.get("a")).isNull();
    assertThat(writes).containsExactly("segment-history/put", "segment-history/delete");
  }

  @Test
  void withTheHistoryOffNothingIsStoredAndAHistoryStoredBeforeGoesAtTheNextChange() {
    new ChangeHistoryStore(store, hook, 5).record("a", change(1));
    ChangeHistoryStore off = new ChangeHistoryStore(store, hook, 0);
    off.record("a", change(2));
    off.record("b", change(1));
    assertThat(store.get("a")).as("stored while it was on, deleted at the next change").isNull();
    assertThat(store.approximateNumEntries()).isZero();
  }

  @Test
  void anUnreadableStoredHistoryStartsAgainRatherThanFailTheStep() {
    store.put("a", new byte[] {9, 9, 9});
    new ChangeHistoryStore(store, hook, 5).record("a", change(4));
    assertThat(ChangeHistoryCodec.decode(store.get("a")).entries()).extracting(ChangeHistory.Entry::sequence)
        .containsExactly(4L);
  }
}
