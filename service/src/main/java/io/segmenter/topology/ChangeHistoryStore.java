package io.segmenter.topology;

import io.segmenter.profile.ChangeHistory;
import io.segmenter.profile.ChangeHistoryCodec;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment-history store: per customer id, the latest segment changes emitted for them
 * ({@link ChangeHistory}, encoded by {@link ChangeHistoryCodec}), written only when a change is
 * emitted, in the same step (and so the same transaction) as the change itself. A store of its own
 * rather than a part of the profile: changes are rare, and the profile is encoded on every event.
 */
final class ChangeHistoryStore {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeHistoryStore.class);
  private final KeyValueStore<String, byte[]> store;
  private final StoreWriteHook hook;
  private final int max;

  /** @param max most changes kept per customer; 0 = none (a history stored before is deleted at the next change) */
  ChangeHistoryStore(KeyValueStore<String, byte[]> store, StoreWriteHook hook, int max) {
    this.store = store;
    this.hook = hook;
    this.max = max;
  }

  /** Adds an emitted change as the customer's newest. */
  void record(String customerId, ChangeHistory.Entry change) {
    if (max == 0) {
      forget(customerId);
      return;
    }
    ChangeHistory history = read(store.get(customerId));
    hook.beforeWrite(SegmenterTopology.HISTORY_STORE, "put");
    store.put(customerId, ChangeHistoryCodec.encode(history.with(change, max)));
  }

  /** Deletes the customer's history, if there is one (a tombstone in the changelog). */
  void forget(String customerId) {
    if (store.get(customerId) == null) return;
    hook.beforeWrite(SegmenterTopology.HISTORY_STORE, "delete");
    store.delete(customerId);
  }

  /**
   * Stored bytes this release cannot read start a new history rather than fail the step: the history
   * is for people to read, and an unreadable one must not stop the customer's segmentation.
   */
  private static ChangeHistory read(byte[] bytes) {
    if (bytes == null) return ChangeHistory.EMPTY;
    try {
      return ChangeHistoryCodec.decode(bytes);
    } catch (IllegalArgumentException e) {
      LOG.warn("a stored change history could not be read and starts again empty: {}", e.getMessage());
      return ChangeHistory.EMPTY;
    }
  }
}
