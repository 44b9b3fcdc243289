package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The write-behind layer over a real in-memory store of Kafka Streams: what it writes below, and
 * when. The commit's cache flush is called by hand here, as {@code ProcessorStateManager.flushCache}
 * calls it before every commit; the topology tests and the broker tests run it under Kafka Streams.
 */
class WriteBehindStoreTest {
  private final KeyValueStore<String, byte[]> below = InMemoryStores.keyValue("write-behind", Serdes.String(), Serdes.ByteArray());
  /** Every value the layer encoded, in order: how many encodings a commit interval cost. */
  private final List<String> encoded = new ArrayList<>();

  private WriteBehindStore<StringBuilder> store(int maxPending) {
    return new WriteBehindStore<>(below, v -> {
      encoded.add(v.toString());
      return v.toString().getBytes(StandardCharsets.UTF_8);
    }, maxPending);
  }

  private String storedBelow(String key) {
    byte[] b = below.get(key);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void aValueChangedManyTimesIsEncodedAndWrittenOnceAtTheFlush() {
    WriteBehindStore<StringBuilder> store = store(10);
    StringBuilder a = new StringBuilder("a1");
    store.putLater("a", a);
    a.append("+2");
    store.putLater("a", a);
    store.putLater("b", new StringBuilder("b1"));

    assertThat(storedBelow("a")).as("nothing written before the commit").isNull();
    assertThat(store.get("a")).as("readers see the store below").isNull();
    assertThat(store.pending("a")).isSameAs(a);

    store.flushCache();

    assertThat(storedBelow("a")).isEqualTo("a1+2");
    assertThat(storedBelow("b")).isEqualTo("b1");
    assertThat(encoded).as("one encoding per key and commit, the latest value").containsExactly("a1+2", "b1");
    assertThat(store.pendingCount()).isZero();
    assertThat(store.pending("a")).isNull();
  }

  @Test
  void pastTheBoundTheValueWrittenLongestAgoIsWrittenAtOnce() {
    WriteBehindStore<StringBuilder> store = store(2);
    store.putLater("a", new StringBuilder("a"));
    store.putLater("b", new StringBuilder("b"));
    store.putLater("a", new StringBuilder("a2")); // a is now the latest written
    store.putLater("c", new StringBuilder("c"));

    assertThat(storedBelow("b")).as("b waited longest: written when c came").isEqualTo("b");
    assertThat(storedBelow("a")).isNull();
    assertThat(store.pendingCount()).isEqualTo(2);
  }

  @Test
  void withNoRoomEveryValueIsWrittenAtOnce() {
    WriteBehindStore<StringBuilder> store = store(0);
    store.putLater("a", new StringBuilder("a"));
    assertThat(storedBelow("a")).isEqualTo("a");
    assertThat(store.pendingCount()).isZero();
  }

  @Test
  void aDeleteOrAnEncodedPutReplacesWhatWaits() {
    WriteBehindStore<StringBuilder> store = store(10);
    below.put("a", "old".getBytes(StandardCharsets.UTF_8));
    store.putLater("a", new StringBuilder("new"));
    assertThat(new String(store.delete("a"), StandardCharsets.UTF_8)).as("the value deleted: the one that waited").isEqualTo("new");
    store.putLater("b", new StringBuilder("waiting"));
    store.put("b", "direct".getBytes(StandardCharsets.UTF_8));

    store.flushCache();

    assertThat(storedBelow("a")).as("deleted, not resurrected by the flush").isNull();
    assertThat(storedBelow("b")).isEqualTo("direct");
    assertThat(encoded).as("encoded only to answer the delete").containsExactly("new");
  }

  @Test
  void aFailedTaskDropsWhatWaits() {
    // The safety net: Kafka Streams flushes a task it closes dirty (into the transaction it then
    // aborts, and wipes the state directory), closes its stores, and initialises them again before
    // the task processes anything. Nothing that waited may survive a close or an init, nor a
    // clearCache (a recycled task).
    WriteBehindStore<StringBuilder> store = store(10);
    store.putLater("a", new StringBuilder("a"));
    store.clearCache();
    store.putLater("b", new StringBuilder("b"));
    store.close();
    store.init(InMemoryStores.context("write-behind"), store);

    store.flushCache();

    assertThat(storedBelow("a")).isNull();
    assertThat(storedBelow("b")).isNull();
    assertThat(encoded).isEmpty();
  }

  @Test
  void theLayerIsFoundUnderTheDecoratorKafkaStreamsHandsToProcessors() throws Exception {
    WriteBehindStore<StringBuilder> store = store(10);
    StateStore decorated = InMemoryStores.decorated(store);
    assertThat(decorated).isNotSameAs(store);

    assertThat(WriteBehindStore.<StringBuilder>of(decorated)).isSameAs(store);
    assertThat(WriteBehindStore.<StringBuilder>of(store)).isSameAs(store);
    assertThat(WriteBehindStore.<StringBuilder>of(below)).as("a store without the layer").isNull();
  }
}
