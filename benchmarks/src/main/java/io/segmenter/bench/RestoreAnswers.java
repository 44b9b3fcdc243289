package io.segmenter.bench;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.privacy.Pseudonymiser;
import io.segmenter.topology.SegmenterRuntime;
import io.segmenter.topology.SegmenterTopology;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What one instance answers, read through interactive queries, so that the instance restored from
 * the changelogs can be compared with the one that built the state:
 *
 * <ul>
 *   <li>the stored profile of each sampled customer, found as GET /customers/{id} finds it (the key's
 *       partition from {@code queryMetadataForKey}, then that partition's store);</li>
 *   <li>the segment populations as /segments sums them on one instance ({@code LocalPopulations},
 *       which a restored task rebuilds from one scan of its members store), and the customers still
 *       waiting for a model;</li>
 *   <li>the model version in force (from the global store);</li>
 *   <li>every key-value store of the topology in full: its entry count and an order-independent
 *       digest of all its entries (the sum of a SHA-256 prefix per key and value), so that a store
 *       no HTTP path reads (dedup ids, the due index, model batches) is compared too.</li>
 * </ul>
 */
record RestoreAnswers(Map<String, byte[]> profiles, Map<Integer, Long> populations, long unassigned,
    long modelVersion, Map<String, StoreContent> stores) {

  /** A store's entries: how many, and a digest independent of the order of iteration. */
  record StoreContent(long entries, long digest) { }

  /** Reads the answers; a store that is not queryable yet (a rebalance in progress) is retried until the deadline. */
  static RestoreAnswers read(KafkaStreams streams, SegmenterRuntime runtime, SegmenterConfig config,
      List<String> sample, Collection<String> storeNames, Duration deadline) throws Exception {
    Instant until = Instant.now().plus(deadline);
    Pseudonymiser ids = config.pseudonymiser();
    Map<String, byte[]> profiles = new LinkedHashMap<>();
    for (String id : sample) profiles.put(id, retrying(until, () -> profile(streams, ids, id)));
    Map<String, StoreContent> stores = new TreeMap<>();
    for (String name : storeNames) stores.put(name, retrying(until, () -> content(streams, name)));
    ModelSnapshot model = runtime.model().current();
    return new RestoreAnswers(profiles, new TreeMap<>(runtime.populations().snapshot()),
        runtime.populations().unassigned(), model == null ? -1 : model.version(), stores);
  }

  private static byte[] profile(KafkaStreams streams, Pseudonymiser ids, String customerId) {
    KeyQueryMetadata owner = streams.queryMetadataForKey(SegmenterTopology.PROFILES_STORE, customerId,
        new StringSerializer());
    if (owner == null || owner.partition() < 0 || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
      throw new InvalidStateStoreException("no owner known for the key's partition yet");
    }
    ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters
        .fromNameAndType(SegmenterTopology.PROFILES_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
        .withPartition(owner.partition()));
    return store.get(ids.pseudonymise(customerId));
  }

  private static StoreContent content(KafkaStreams streams, String storeName) throws NoSuchAlgorithmException {
    ReadOnlyKeyValueStore<Object, Object> store = streams.store(StoreQueryParameters
        .fromNameAndType(storeName, QueryableStoreTypes.keyValueStore()));
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long entries = 0;
    long digest = 0;
    try (KeyValueIterator<Object, Object> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Object, Object> kv = it.next();
        byte[] key = bytes(kv.key);
        sha.update(ByteBuffer.allocate(4).putInt(key.length).array());
        sha.update(key);
        sha.update(bytes(kv.value));
        digest += ByteBuffer.wrap(sha.digest()).getLong(); // digest() resets it for the next entry
        entries++;
      }
    }
    return new StoreContent(entries, digest);
  }

  /** The store's own types as bytes: what the key-value stores of the topology hold. */
  private static byte[] bytes(Object o) {
    if (o == null) return new byte[0];
    if (o instanceof byte[] b) return b;
    if (o instanceof Bytes b) return b.get();
    if (o instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
    if (o instanceof Long l) return ByteBuffer.allocate(8).putLong(l).array();
    return String.valueOf(o).getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T retrying(Instant until, Callable<T> read) throws Exception {
    while (true) {
      try {
        return read.call();
      } catch (InvalidStateStoreException e) {
        if (Instant.now().isAfter(until)) throw e;
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  /** Customers of the sample that have a stored profile. */
  long profilesFound() {
    return profiles.values().stream().filter(Objects::nonNull).count();
  }

  /** Entries of a store, or 0 when it is not one of the stores read. */
  long entries(String store) {
    StoreContent c = stores.get(store);
    return c == null ? 0 : c.entries();
  }

  /** What differs between these answers (before) and {@code after}; empty when they are equal. */
  List<String> differences(RestoreAnswers after) {
    List<String> out = new ArrayList<>();
    int profilesDiffering = 0;
    for (Map.Entry<String, byte[]> e : profiles.entrySet()) {
      if (!Arrays.equals(e.getValue(), after.profiles.get(e.getKey()))) profilesDiffering++;
    }
    // Customer ids are personal data in a real deployment: count, do not print them.
    if (profilesDiffering > 0) out.add(profilesDiffering + " of " + profiles.size() + " sampled profiles differ");
    if (!populations.equals(after.populations)) out.add("populations " + populations + " became " + after.populations);
    if (unassigned != after.unassigned) out.add("unassigned customers " + unassigned + " became " + after.unassigned);
    if (modelVersion != after.modelVersion) out.add("model version " + modelVersion + " became " + after.modelVersion);
    for (Map.Entry<String, StoreContent> e : stores.entrySet()) {
      StoreContent then = e.getValue();
      StoreContent now = after.stores.get(e.getKey());
      if (!then.equals(now)) {
        String became = now == null ? "absent"
            : now.entries() + (now.entries() == then.entries() ? " with other contents" : "");
        out.add("store " + e.getKey() + ": " + then.entries() + " entries became " + became);
      }
    }
    return out;
  }
}
