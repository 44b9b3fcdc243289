package io.segmenter.topology;

import io.segmenter.strategy.OutcomeWindows.ClosedWindow;
import io.segmenter.strategy.OutcomeTally;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The strategy-outcomes store of a task: per strategy and segment ({@code strategy/segment}), what
 * the segment's customers did in the outcome windows closed so far ({@link OutcomeTally}). Small (a
 * few keys per segment) and aggregate: no customer id in it. The HTTP side sums it over the tasks
 * ({@link #read}, public for it).
 */
public final class OutcomeStore {
  private final KeyValueStore<String, byte[]> store;
  private final StoreWriteHook hook;

  OutcomeStore(KeyValueStore<String, byte[]> store, StoreWriteHook hook) {
    this.store = store;
    this.hook = hook;
  }

  /** Adds a closed window to the tally of each strategy's segment the customer held at its start. */
  void add(ClosedWindow window) {
    for (Map.Entry<String, Integer> e : window.segments().entrySet()) {
      String key = key(e.getKey(), e.getValue());
      byte[] before = store.get(key);
      OutcomeTally tally = OutcomeTally.of(window, e.getKey());
      if (before != null) tally = OutcomeTally.decode(before).plus(tally);
      hook.beforeWrite(SegmenterTopology.OUTCOMES_STORE, "put");
      store.put(key, tally.encode());
    }
  }

  static String key(String strategy, int segment) {
    return strategy + "/" + segment;
  }

  /**
   * The tallies of a store (one task's, or all of an instance's through interactive queries), by
   * strategy then segment. A key or value it cannot read is left out.
   */
  public static Map<String, Map<Integer, OutcomeTally>> read(ReadOnlyKeyValueStore<String, byte[]> store) {
    Map<String, Map<Integer, OutcomeTally>> out = new TreeMap<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        int slash = kv.key.lastIndexOf('/');
        if (slash <= 0) continue;
        try {
          int segment = Integer.parseInt(kv.key.substring(slash + 1));
          OutcomeTally t = OutcomeTally.decode(kv.value);
          out.computeIfAbsent(kv.key.substring(0, slash), k -> new TreeMap<>()).merge(segment, t, OutcomeTally::plus);
        } catch (IllegalArgumentException e) {
          // Unreadable: not counted, rather than failing the answer.
        }
      }
    }
    return out;
  }
}
