package io.segmenter.topology;

import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The profiles store: one encoded {@link CustomerProfile} per customer id, with the decoded
 * profiles of the customers written most recently kept in memory, so that a customer's next event
 * (clicks come in sessions) skips the decode. When the store has a {@link WriteBehindStore} layer
 * (the topology's does), a profile put is encoded and written once, at the next commit, however many
 * steps changed it since the last one; without it (at-least-once, and tests of one processor over a
 * plain store) every put is encoded and written at once. The memory lives as long as the task's stores are open: a
 * failed step fails the task, and the revived task opens new stores and a new, empty memory, so a
 * profile changed by a step that did not complete is never served. (The write-behind layer, used
 * under exactly-once only, may write it while the failed task closes, in the transaction that is
 * then aborted; see {@link WriteBehindStore}.)
 */
final class ProfileStore {
  private final KeyValueStore<String, byte[]> store;
  /** Null when the store has no write-behind layer. */
  private final WriteBehindStore<CustomerProfile> writeBehind;
  private final StoreWriteHook hook;
  private final Map<String, CustomerProfile> recent;

  /** @param remembered how many decoded profiles to keep (least recently used go first; 0 = none) */
  ProfileStore(KeyValueStore<String, byte[]> store, StoreWriteHook hook, int remembered) {
    this.store = store;
    this.writeBehind = WriteBehindStore.of(store);
    this.hook = hook;
    this.recent = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, CustomerProfile> eldest) {
        return size() > remembered;
      }
    };
  }

  /**
   * The customer's profile, or null when unknown. The caller may change it, but must then put it
   * (or fail the step): the object may be the one kept in memory.
   */
  CustomerProfile get(String customerId) {
    CustomerProfile kept = recent.get(customerId);
    if (kept != null) return kept;
    // Forgotten by the memory but not written yet: the store below still holds the last commit's.
    if (writeBehind != null && (kept = writeBehind.pending(customerId)) != null) return kept;
    byte[] stored = store.get(customerId);
    return stored == null ? null : ProfileCodec.decode(stored);
  }

  void put(String customerId, CustomerProfile profile) {
    hook.beforeWrite(SegmenterTopology.PROFILES_STORE, "put");
    if (writeBehind != null) {
      writeBehind.putLater(customerId, profile);
    } else {
      store.put(customerId, ProfileCodec.encode(profile));
    }
    recent.put(customerId, profile);
  }

  void delete(String customerId) {
    hook.beforeWrite(SegmenterTopology.PROFILES_STORE, "delete");
    recent.remove(customerId);
    // The write-behind layer's delete drops what waited for the customer too.
    store.delete(customerId);
  }
}
