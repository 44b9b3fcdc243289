package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.model.CustomerKey;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.SegmentChange;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An erasure request deletes every trace of the customer from every store, and only theirs. */
class ErasureTopologyTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private TopologyHarness harness;

  @AfterEach
  void close() {
    if (harness != null) harness.close();
  }

  private TopologyHarness harness() {
    harness = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE), NOW);
    harness.publishModel(SeedModels.championsAndAtRisk(NOW));
    return harness;
  }

  /** c-1 and c-10: one id is a prefix of the other, the case a careless key range would get wrong. */
  private static void activity(TopologyHarness h, String customer) {
    List<OrderEvent> orders = SeedModels.orders(customer, 6, 3, NOW.minus(Duration.ofDays(1)), "120");
    for (int i = 0; i < orders.size(); i++) {
      h.pipe(orders.get(i));
      h.pipe(Events.view(customer, customer + "-view-" + i, "s" + i, orders.get(i).getOccurredAt().plusSeconds(30)));
    }
  }

  @Test
  void anErasedCustomerLeavesNoTraceInAnyStoreAndIsAnnounced() {
    TopologyHarness h = harness();
    activity(h, "c-1");
    activity(h, "c-10");
    int segment = h.profile("c-1").segmentId();
    long sequence = h.profile("c-1").changeSequence();
    assertThat(segment).isGreaterThanOrEqualTo(0);
    assertThat(traces(h, "c-1")).as("stores hold c-1 before the erasure").contains("profile", "segment-history");
    long populationBefore = h.runtime.populations().population(segment);
    h.drainChanges();
    h.segments.readRecordsToList();

    h.erase("c-1", NOW.plusSeconds(1));

    assertThat(h.profile("c-1")).isNull();
    assertThat(traces(h, "c-1")).as("what the stores still hold of c-1").isEmpty();
    // The neighbour is untouched.
    assertThat(h.profile("c-10")).isNotNull();
    assertThat(traces(h, "c-10")).isNotEmpty();
    assertThat(h.profile("c-10").recentIds().size()).as("the neighbour's recent event ids").isPositive();

    List<SegmentChange> changes = h.drainChanges();
    assertThat(changes).hasSize(1);
    SegmentChange last = changes.get(0);
    assertThat(last.getReason()).isEqualTo(ChangeReason.ERASURE);
    assertThat(last.getCustomerId()).isEqualTo("c-1");
    assertThat(last.getSequence()).isEqualTo(sequence + 1);
    assertThat(last.getPreviousSegment().getId()).isEqualTo(segment);
    assertThat(last.getNewSegment()).isNull();
    assertThat(last.getRfm()).as("no figures of an erased customer").isNull();
    assertThat(last.getDistance()).isNull();
    List<TestRecord<String, CustomerSegment>> current = h.segments.readRecordsToList();
    assertThat(current).hasSize(1);
    assertThat(current.get(0).key()).isEqualTo("c-1");
    assertThat(current.get(0).value()).as("tombstone on customer-segments").isNull();

    assertThat(h.runtime.populations().population(segment)).isEqualTo(populationBefore - 1);
    assertThat(h.runtime.metrics().registry().find(SegmenterMetrics.ERASURES).tag("outcome", "erased").counter().count())
        .isEqualTo(1.0);
  }

  /**
   * The model's customer panel keeps a point per customer under a keyed hash of the id: an erasure
   * sends that key with the task's next delta, and the aggregator deletes the point.
   */
  @Test
  void anErasedCustomerLeavesTheModelsCustomerPanel() {
    TopologyHarness h = harness();
    activity(h, "c-1");
    activity(h, "c-10");
    h.driver.advanceWallClockTime(Duration.ofMinutes(2)); // the punctuator sends the pending delta
    var store = h.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.AGGREGATOR_STORE);
    long seed = h.config.modelSettings().seed();
    String one = ModelAggregatorProcessor.PANEL_PREFIX + String.format("%016x", CustomerKey.of(seed, "c-1"));
    String ten = ModelAggregatorProcessor.PANEL_PREFIX + String.format("%016x", CustomerKey.of(seed, "c-10"));
    assertThat(store.get(one)).as("c-1 in the panel").isNotNull();
    assertThat(store.get(ten)).as("c-10 in the panel").isNotNull();

    h.erase("c-1", NOW.plusSeconds(1));
    h.driver.advanceWallClockTime(Duration.ofMinutes(2));

    assertThat(store.get(one)).as("c-1's panel point after the erasure").isNull();
    assertThat(store.get(ten)).as("the neighbour's").isNotNull();
  }

  @Test
  void eventsAfterTheErasureStartAFreshProfileEvenWithOldIds() {
    TopologyHarness h = harness();
    OrderEvent order = Events.order("c-2", "o-1", NOW.minus(Duration.ofDays(3)), "80");
    h.pipe(order);
    assertThat(h.profile("c-2").orders()).isEqualTo(1);
    h.erase("c-2", NOW);
    h.drainChanges();

    // The same order again: its de-duplication entry was erased with the rest, so it counts anew.
    h.pipe(order);
    assertThat(h.profile("c-2").orders()).isEqualTo(1);
    assertThat(h.profile("c-2").netSpend()).isEqualByComparingTo("80");
    List<SegmentChange> changes = h.drainChanges();
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).getSequence()).as("a fresh history").isEqualTo(1);
    assertThat(changes.get(0).getPreviousSegment()).isNull();
  }

  @Test
  void deduplicationIdsOlderThanTheTtlAreForgottenWhenTheCustomerIsReEvaluated() {
    TopologyHarness h = harness();
    h.pipe(Events.order("c-5", "o-1", NOW.minus(Duration.ofHours(2)), "30"));
    h.pipe(Events.view("c-5", "v-1", "s-1", NOW.minus(Duration.ofHours(1))));
    assertThat(h.profile("c-5").recentIds().size()).isEqualTo(2);
    // The TTL (7 days) and a recheck interval (1 day) pass on the wall clock, without events.
    h.driver.advanceWallClockTime(Duration.ofDays(9));
    h.driver.advanceWallClockTime(Duration.ofMinutes(2));
    assertThat(h.profile("c-5").recentIds().size()).as("ids past the TTL, forgotten at the re-evaluation").isZero();
    assertThat(h.profile("c-5").orders()).as("the profile itself stays").isEqualTo(1);
  }

  @Test
  void erasingAnUnknownCustomerWritesOnlyATombstone() {
    TopologyHarness h = harness();
    h.erase("nobody", NOW);
    assertThat(h.drainChanges()).isEmpty();
    List<TestRecord<String, CustomerSegment>> current = h.segments.readRecordsToList();
    assertThat(current).singleElement().satisfies(r -> assertThat(r.value()).isNull());
    assertThat(h.runtime.metrics().registry().find(SegmenterMetrics.ERASURES).tag("outcome", "unknown").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void anErasureKeyedForAnotherCustomerIsDeadLettered() {
    TopologyHarness h = harness();
    activity(h, "c-3");
    h.erasures.pipeInput(new TestRecord<>("c-4", new io.segmenter.events.ErasureRequest("r-1", "c-3", NOW), NOW));
    assertThat(h.profile("c-3")).as("not erased through the wrong partition").isNotNull();
    assertThat(h.dlq.readRecordsToList()).singleElement().satisfies(r -> assertThat(
        new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8)).isEqualTo("KEY_MISMATCH"));
  }

  /** Every key in the customer's partition-local stores that names the customer. */
  private static List<String> traces(TopologyHarness h, String customer) {
    List<String> found = new ArrayList<>();
    if (h.driver.getKeyValueStore(SegmenterTopology.PROFILES_STORE).get(customer) != null) found.add("profile");
    if (h.driver.getKeyValueStore(SegmenterTopology.HISTORY_STORE).get(customer) != null) found.add("segment-history");
    for (String store : List.of(SegmenterTopology.MEMBERS_STORE, SegmenterTopology.DUE_STORE)) {
      try (KeyValueIterator<Bytes, byte[]> it = h.driver.<Bytes, byte[]>getKeyValueStore(store).all()) {
        while (it.hasNext()) {
          KeyValue<Bytes, byte[]> kv = it.next();
          String id = store.equals(SegmenterTopology.MEMBERS_STORE) ? SegmentMembers.customerId(kv.key) : DueIndex.customerId(kv.key);
          if (id.equals(customer)) found.add(store);
        }
      }
    }
    return found;
  }
}
