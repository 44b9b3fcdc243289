package io.segmenter.topology;

import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import org.apache.kafka.streams.state.KeyValueStore;

/** The profiles store: one encoded {@link CustomerProfile} per customer id. */
final class ProfileStore {
  private final KeyValueStore<String, byte[]> store;
  private final StoreWriteHook hook;

  ProfileStore(KeyValueStore<String, byte[]> store, StoreWriteHook hook) {
    this.store = store;
    this.hook = hook;
  }

  /** The customer's profile, freshly decoded (the caller may change it), or null when unknown. */
  CustomerProfile get(String customerId) {
    byte[] stored = store.get(customerId);
    return stored == null ? null : ProfileCodec.decode(stored);
  }

  void put(String customerId, CustomerProfile profile) {
    hook.beforeWrite(SegmenterTopology.PROFILES_STORE, "put");
    store.put(customerId, ProfileCodec.encode(profile));
  }

  void delete(String customerId) {
    hook.beforeWrite(SegmenterTopology.PROFILES_STORE, "delete");
    store.delete(customerId);
  }
}
