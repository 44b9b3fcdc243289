package io.segmenter.topology;

import io.segmenter.events.CampaignOutcomeType;
import io.segmenter.strategy.CampaignKey;
import io.segmenter.strategy.CampaignNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The campaign-outcomes store of a task (only with {@code segmenter.topic.outcomes}): per strategy,
 * segment, campaign and outcome ({@link CampaignKey}), how many such outcomes were counted. Aggregate
 * counts only, no customer id. Bounded: campaign ids are at most 64 characters, and a task names at
 * most {@code segmenter.outcomes.max.campaigns} campaigns ({@link CampaignNames}), later ones are
 * counted under "(other)". The HTTP side sums it over tasks and instances ({@link #read}).
 */
public final class CampaignOutcomeStore {
  private final KeyValueStore<String, byte[]> store;
  private final StoreWriteHook hook;
  private final CampaignNames campaigns;

  CampaignOutcomeStore(KeyValueStore<String, byte[]> store, StoreWriteHook hook, int maxCampaigns) {
    this.store = store;
    this.hook = hook;
    // The campaigns this task already names: a restarted (or moved) task keeps the same ones.
    List<String> known = new ArrayList<>();
    for (CampaignKey k : read(store).keySet()) known.add(k.campaign());
    this.campaigns = new CampaignNames(maxCampaigns, known);
  }

  /**
   * Adds one outcome of {@code campaign} for each strategy's segment of the customer.
   *
   * @param segments by strategy, the customer's segment in it (-1 for none)
   */
  void count(Map<String, Integer> segments, String campaign, CampaignOutcomeType outcome) {
    String countedAs = campaigns.countedAs(campaign);
    for (Map.Entry<String, Integer> e : segments.entrySet()) {
      String key = new CampaignKey(e.getKey(), e.getValue(), countedAs, outcome).encode();
      Long before = decode(store.get(key));
      hook.beforeWrite(SegmenterTopology.CAMPAIGN_STORE, "put");
      store.put(key, encode(before == null ? 1L : before + 1));
    }
  }

  /**
   * The counts of a campaign-outcomes store (one task's, or all of an instance's tasks through an
   * interactive query), summed by key. A key this version cannot read is left out rather than failing
   * the answer. Sum the maps of several instances with {@code Map.merge(key, count, Long::sum)}, then
   * make the rates with {@link io.segmenter.strategy.CampaignRates#of}.
   */
  public static Map<CampaignKey, Long> read(ReadOnlyKeyValueStore<String, byte[]> store) {
    Map<CampaignKey, Long> out = new TreeMap<>(java.util.Comparator.comparing(CampaignKey::encode));
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        Long count = decode(kv.value);
        if (count == null) continue;
        try {
          out.merge(CampaignKey.parse(kv.key), count, Long::sum);
        } catch (IllegalArgumentException e) {
          // Unreadable: not counted, rather than failing the answer.
        }
      }
    }
    return out;
  }

  /**
   * A count as stored: 8 bytes, big-endian. Bytes, like the other stores' values, so that the HTTP
   * side reads every store through the same {@code <String, byte[]>} interactive query.
   */
  static byte[] encode(long count) {
    return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(count).array();
  }

  /** The count of stored bytes; null for none, or for bytes that are not a count (left out). */
  static Long decode(byte[] bytes) {
    return bytes == null || bytes.length != Long.BYTES ? null : java.nio.ByteBuffer.wrap(bytes).getLong();
  }
}
