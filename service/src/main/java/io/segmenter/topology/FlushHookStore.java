package io.segmenter.topology;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A layer on a store that tells a processor-side object when Kafka Streams flushes the store before a
 * commit (write what you hold now), and when the task's state goes (drop it: a close, an init, a
 * cleared cache). The object is the task's current one: a processor initialised again (a revived
 * task) registers its new one, which replaces the old.
 */
final class FlushHookStore<K> extends LayeredStore<K> {
  /** What a processor-side object does at the flush and when its state goes. */
  interface Listener {
    /** Writes what it holds to the store below (through {@link FlushHookStore#wrapped()}). */
    void beforeFlush();

    /** Forgets what it holds, unwritten. */
    void drop();
  }

  private static final Listener NONE = new Listener() {
    @Override
    public void beforeFlush() { }

    @Override
    public void drop() { }
  };

  private Listener listener = NONE;

  FlushHookStore(KeyValueStore<K, byte[]> inner) {
    super(inner);
  }

  /** The hook of a store a processor got from its context, or null when the store has none. */
  @SuppressWarnings("unchecked")
  static <K> FlushHookStore<K> of(StateStore store) {
    return LayeredStore.find(store, FlushHookStore.class);
  }

  void listen(Listener l) {
    listener = l;
  }

  /** The current listener (tests look at what it holds). */
  Listener listener() {
    return listener;
  }

  @Override
  protected void beforeFlush() {
    listener.beforeFlush();
  }

  @Override
  protected void drop() {
    listener.drop();
  }
}
