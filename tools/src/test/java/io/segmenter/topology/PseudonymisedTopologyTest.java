package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.SegmentChange;
import io.segmenter.model.CustomerKey;
import io.segmenter.privacy.Pseudonymiser;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * With segmenter.privacy.pseudonymise.key.file set, the raw customer ids of the input stop at the
 * edge: no store, changelog or output record holds one (scanned byte for byte), an erasure by raw id
 * still forgets the customer, and without the setting the ids stay as they were.
 */
class PseudonymisedTopologyTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  /** Raw ids distinctive enough that a byte scan cannot find them by chance. */
  private static final String ALICE = "alice-7731";
  private static final String BOB = "bob-2209";
  private static final byte[] KEY = "a-test-key-of-more-than-thirty-two-bytes".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dir;
  private TopologyHarness harness;

  @AfterEach
  void close() {
    if (harness != null) harness.close();
  }

  private TopologyHarness harness(boolean pseudonymise) throws Exception {
    Map<String, Object> overrides = new HashMap<>(Map.of(
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE));
    if (pseudonymise) {
      // As a Secret made from a file written by echo: with a trailing newline.
      Path keyFile = Files.write(dir.resolve("key"), (new String(KEY, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII));
      overrides.put(SegmenterConfig.PSEUDONYMISE_KEY_FILE, keyFile.toString());
    }
    harness = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), overrides, NOW);
    harness.publishModel(SeedModels.championsAndAtRisk(NOW));
    return harness;
  }

  private static String pseudonym(String raw) {
    return Pseudonymiser.hmac(KEY).pseudonymise(raw);
  }

  /** Orders and views whose own ids (order, event, session) do not contain the customer id. */
  private static void activity(TopologyHarness h, String customer, String tag) {
    for (int i = 0; i < 6; i++) {
      Instant at = NOW.minus(Duration.ofDays(1L + 3L * (5 - i)));
      h.pipe(Events.order(customer, "ord-" + tag + i, at, "120"));
      h.pipe(Events.view(customer, "ev-" + tag + i, "sess-" + tag + i, at.plusSeconds(30)));
    }
  }

  @Test
  void noRawIdInAnyStoreChangelogOrOutputRecord() throws Exception {
    TopologyHarness h = harness(true);
    activity(h, ALICE, "a");
    activity(h, BOB, "b");
    h.driver.advanceWallClockTime(Duration.ofMinutes(2)); // the pending delta goes to the aggregator
    h.driver.advanceWallClockTime(Duration.ofDays(2)); // inactivity re-evaluations from the due index
    h.driver.advanceWallClockTime(Duration.ofMinutes(2));

    assertThat(h.profile(pseudonym(ALICE))).as("the profile, under the pseudonym").isNotNull();
    assertThat(h.profile(ALICE)).as("nothing under the raw id").isNull();
    long seed = h.config.modelSettings().seed();
    String panelKey = ModelAggregatorProcessor.PANEL_PREFIX + String.format("%016x", CustomerKey.of(seed, pseudonym(ALICE)));
    assertThat(h.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.AGGREGATOR_STORE).get(panelKey))
        .as("the panel key is computed from the pseudonym").isNotNull();

    Scan scan = scan(h, List.of(ALICE, BOB));
    assertThat(scan.sightings()).as("raw ids found").isEmpty();
    // The scan covered what matters: every customer store with its changelog, and the outputs.
    assertThat(scan.stores()).contains(SegmenterTopology.PROFILES_STORE,
        SegmenterTopology.DUE_STORE, SegmenterTopology.MEMBERS_STORE, SegmenterTopology.BATCH_STORE,
        SegmenterTopology.AGGREGATOR_STORE);
    assertThat(scan.topics()).contains(h.topic(SegmenterConfig.TOPIC_SEGMENT_CHANGES),
        h.topic(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS), h.topic(SegmenterConfig.TOPIC_MODEL_DELTAS),
        "segmenter-test-profiles-changelog",
        "segmenter-test-inactivity-index-changelog", "segmenter-test-segment-members-changelog");
    assertThat(scan.changeKeys()).as("segment-changes keys").containsOnly(pseudonym(ALICE), pseudonym(BOB));
  }

  @Test
  void anErasureByRawIdForgetsThePseudonymisedCustomer() throws Exception {
    TopologyHarness h = harness(true);
    activity(h, ALICE, "a");
    activity(h, BOB, "b");
    h.driver.advanceWallClockTime(Duration.ofMinutes(2));
    long seed = h.config.modelSettings().seed();
    var aggregator = h.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.AGGREGATOR_STORE);
    String alicePanel = ModelAggregatorProcessor.PANEL_PREFIX + String.format("%016x", CustomerKey.of(seed, pseudonym(ALICE)));
    String bobPanel = ModelAggregatorProcessor.PANEL_PREFIX + String.format("%016x", CustomerKey.of(seed, pseudonym(BOB)));
    assertThat(aggregator.get(alicePanel)).isNotNull();
    int segment = h.profile(pseudonym(ALICE)).segmentId();
    h.drainChanges();
    h.segments.readRecordsToList();

    h.erase(ALICE, NOW.plusSeconds(1)); // the request carries the raw id, as the erase command sends it
    h.driver.advanceWallClockTime(Duration.ofMinutes(2));

    assertThat(h.profile(pseudonym(ALICE))).isNull();
    assertThat(h.profile(pseudonym(BOB))).as("the neighbour").isNotNull();
    assertThat(aggregator.get(alicePanel)).as("the panel point").isNull();
    assertThat(aggregator.get(bobPanel)).isNotNull();
    assertThat(h.drainChanges()).singleElement().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo(ChangeReason.ERASURE);
      assertThat(c.getCustomerId()).isEqualTo(pseudonym(ALICE));
      assertThat(c.getPreviousSegment().getId()).isEqualTo(segment);
    });
    List<TestRecord<String, CustomerSegment>> current = h.segments.readRecordsToList();
    assertThat(current).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo(pseudonym(ALICE));
      assertThat(r.value()).as("tombstone").isNull();
    });
    // Nothing that names Alice under her pseudonym is left in the customer stores.
    Scan scan = scan(h, List.of(ALICE, BOB, pseudonym(ALICE)));
    assertThat(scan.sightings()).allMatch(s -> !s.startsWith("store ") || !s.endsWith(pseudonym(ALICE)),
        "no store holds the erased pseudonym");
    assertThat(scan.sightings()).noneMatch(s -> s.endsWith(": " + ALICE) || s.endsWith(": " + BOB));
  }

  @Test
  void withoutTheSettingIdsStayRaw() throws Exception {
    TopologyHarness h = harness(false);
    assertThat(h.config.pseudonymiser().enabled()).isFalse();
    activity(h, ALICE, "a");

    assertThat(h.profile(ALICE)).isNotNull();
    List<SegmentChange> changes = h.drainChanges();
    assertThat(changes).isNotEmpty().allSatisfy(c -> assertThat(c.getCustomerId()).isEqualTo(ALICE));
    // The scan finds raw ids where they are: it is not blind.
    assertThat(scan(h, List.of(ALICE)).sightings()).contains("store profiles key: " + ALICE,
        "topic segmenter-test-profiles-changelog key: " + ALICE);
  }

  record Scan(List<String> sightings, Set<String> stores, Set<String> topics, Set<String> changeKeys) { }

  /**
   * Every key, value and header of every state store (global one included) and of every record the
   * topology produced (outputs, changelogs, model topics), searched for the UTF-8 bytes of each id.
   * Reads the produced records, so the harness's own output topics are empty afterwards.
   */
  private static Scan scan(TopologyHarness h, List<String> ids) {
    List<String> sightings = new ArrayList<>();
    Set<String> stores = new TreeSet<>(h.driver.getAllStateStores().keySet());
    for (String name : stores) {
      KeyValueStore<Object, Object> store = h.driver.getKeyValueStore(name);
      assertThat(store).as("store %s scanned as a key-value store", name).isNotNull();
      try (KeyValueIterator<Object, Object> it = store.all()) {
        while (it.hasNext()) {
          KeyValue<Object, Object> kv = it.next();
          look(sightings, "store " + name + " key", bytes(kv.key), ids);
          look(sightings, "store " + name + " value", bytes(kv.value), ids);
        }
      }
    }
    Set<String> topics = new TreeSet<>(h.driver.producedTopicNames());
    Set<String> changeKeys = new TreeSet<>();
    for (String topic : topics) {
      TestOutputTopic<byte[], byte[]> out = h.driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
          Serdes.ByteArray().deserializer());
      for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
        look(sightings, "topic " + topic + " key", r.key(), ids);
        look(sightings, "topic " + topic + " value", r.value(), ids);
        for (Header header : r.headers()) look(sightings, "topic " + topic + " header " + header.key(), header.value(), ids);
        if (topic.equals(h.topic(SegmenterConfig.TOPIC_SEGMENT_CHANGES))) {
          changeKeys.add(new String(r.key(), StandardCharsets.UTF_8));
        }
      }
    }
    return new Scan(sightings, stores, topics, changeKeys);
  }

  private static void look(List<String> sightings, String where, byte[] haystack, List<String> ids) {
    if (haystack == null) return;
    for (String id : ids) {
      if (contains(haystack, id.getBytes(StandardCharsets.UTF_8))) sightings.add(where + ": " + id);
    }
  }

  private static byte[] bytes(Object o) {
    if (o == null) return null;
    if (o instanceof byte[] b) return b;
    if (o instanceof Bytes b) return b.get();
    return String.valueOf(o).getBytes(StandardCharsets.UTF_8);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }
}
