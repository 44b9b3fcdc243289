package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.SegmentChange;
import io.segmenter.profile.ChangeHistory;
import io.segmenter.profile.ChangeHistoryCodec;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The segment-history store keeps exactly what the topology emitted to segment-changes for a
 * customer, newest first, bounded by segmenter.history.max.changes; nothing with the bound at 0; and
 * an erasure deletes it.
 */
class ChangeHistoryTopologyTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final int MAX = 3;
  private TopologyHarness harness;

  @AfterEach
  void close() {
    if (harness != null) harness.close();
  }

  private TopologyHarness harness(int maxChanges) {
    harness = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE,
        SegmenterConfig.HISTORY_MAX_CHANGES, maxChanges), NOW);
    harness.publishModel(SeedModels.championsAndAtRisk(NOW));
    return harness;
  }

  /**
   * A customer who becomes a champion by orders, goes quiet until At Risk (wall clock alone), comes
   * back and goes quiet again: changes by EVENT and by INACTIVITY, more than the bound.
   */
  private static List<SegmentChange> churnAndReturn(TopologyHarness h, String customer) {
    List<SegmentChange> emitted = new ArrayList<>();
    Instant last = NOW.minus(Duration.ofDays(1));
    for (int round = 0; round < 2; round++) {
      String prefix = "r" + round + "-";
      SeedModels.orders(customer, 20, 3, last, "120").forEach(o -> h.pipe(Events.order(customer,
          prefix + o.getOrderId(), o.getOccurredAt(), "120")));
      emitted.addAll(h.drainChanges());
      h.driver.advanceWallClockTime(Duration.ofDays(100));
      emitted.addAll(h.drainChanges());
      last = last.plus(Duration.ofDays(101));
    }
    return emitted;
  }

  private static ChangeHistory stored(TopologyHarness h, String customer) {
    byte[] bytes = h.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.HISTORY_STORE).get(customer);
    return bytes == null ? null : ChangeHistoryCodec.decode(bytes);
  }

  @Test
  void theHistoryHoldsTheNewestEmittedChangesNewestFirstUpToTheBound() {
    TopologyHarness h = harness(MAX);
    List<SegmentChange> emitted = churnAndReturn(h, "c-1");
    assertThat(emitted).as("changes emitted, more than the bound").hasSizeGreaterThan(MAX);
    assertThat(emitted).extracting(SegmentChange::getReason).contains(ChangeReason.EVENT, ChangeReason.INACTIVITY);

    List<ChangeHistory.Entry> history = stored(h, "c-1").entries();

    assertThat(history).hasSize(MAX);
    for (int i = 0; i < MAX; i++) {
      SegmentChange c = emitted.get(emitted.size() - 1 - i);
      ChangeHistory.Entry e = history.get(i);
      assertThat(e.sequence()).as("entry %d: sequence", i).isEqualTo(c.getSequence());
      assertThat(e.at()).as("entry %d: emission time", i).isEqualTo(c.getProcessingTime().toEpochMilli());
      assertThat(e.eventTime()).as("entry %d: event time", i).isEqualTo(c.getEventTime().toEpochMilli());
      assertThat(e.fromSegment()).as("entry %d: from", i)
          .isEqualTo(c.getPreviousSegment() == null ? ChangeHistory.NONE : c.getPreviousSegment().getId());
      assertThat(e.toSegment()).as("entry %d: to", i).isEqualTo(c.getNewSegment().getId());
      assertThat(e.reason()).as("entry %d: reason", i).isEqualTo(c.getReason());
      assertThat(e.modelVersion()).as("entry %d: model version", i).isEqualTo(c.getModelVersion());
    }
    assertThat(history).extracting(ChangeHistory.Entry::sequence).as("newest first").isSortedAccordingTo(
        java.util.Comparator.reverseOrder());
    assertThat(history.get(0).sequence()).isEqualTo(h.profile("c-1").changeSequence());
  }

  @Test
  void withTheBoundAtZeroNothingIsStored() {
    TopologyHarness h = harness(0);
    assertThat(churnAndReturn(h, "c-2")).isNotEmpty();
    KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(SegmenterTopology.HISTORY_STORE);
    assertThat(store.approximateNumEntries()).isZero();
  }

  @Test
  void anErasureDeletesTheHistoryAndAReturningCustomerStartsAFreshOne() {
    TopologyHarness h = harness(MAX);
    churnAndReturn(h, "c-3");
    churnAndReturn(h, "c-30");
    assertThat(stored(h, "c-3")).isNotNull();
    ChangeHistory neighbour = stored(h, "c-30");
    assertThat(neighbour).isNotNull();

    h.erase("c-3", NOW.plus(Duration.ofDays(200)));

    assertThat(stored(h, "c-3")).as("c-3's history after the erasure").isNull();
    assertThat(stored(h, "c-30")).as("the neighbour's").isEqualTo(neighbour);
    h.drainChanges();
    h.pipe(Events.order("c-3", "after", NOW.plus(Duration.ofDays(200)).plusSeconds(60), "40"));
    assertThat(stored(h, "c-3").entries()).singleElement().satisfies(e -> {
      assertThat(e.sequence()).isEqualTo(1);
      assertThat(e.fromSegment()).isEqualTo(ChangeHistory.NONE);
    });
  }
}
