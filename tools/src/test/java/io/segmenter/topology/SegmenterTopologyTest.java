package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.events.SegmentChange;
import io.segmenter.internal.ModelVersion;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topology in TopologyTestDriver with a hand-built model of known segments. */
class SegmenterTopologyTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private TopologyHarness harness;

  /** A harness whose model never updates by itself, so segments are decided by the seed model only. */
  private TopologyHarness withSeedModel() {
    harness = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE), NOW);
    harness.publishModel(SeedModels.championsAndAtRisk(NOW));
    return harness;
  }

  @AfterEach
  void close() {
    if (harness != null) harness.close();
  }

  @Test
  void aChangeIsEmittedExactlyWhenTheSegmentReallyChanges() {
    TopologyHarness h = withSeedModel();
    int previous = -1;
    int transitions = 0;
    List<OrderEvent> orders = SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120");
    for (int i = 0; i < orders.size(); i++) {
      h.pipe(orders.get(i));
      // Browsing between orders moves the profile but not (with these segments) the segment.
      for (int v = 0; v < 3; v++) {
        h.pipe(Events.view("c-1", "v" + i + "-" + v, "s" + i, orders.get(i).getOccurredAt().plusSeconds(60 + v)));
      }
      int now = h.profile("c-1").segmentId();
      List<SegmentChange> emitted = h.drainChanges();
      if (now != previous) {
        transitions++;
        assertThat(emitted).hasSize(1);
        SegmentChange c = emitted.get(0);
        assertThat(c.getNewSegment().getId()).isEqualTo(now);
        assertThat(c.getPreviousSegment() == null ? -1 : c.getPreviousSegment().getId()).isEqualTo(previous);
        assertThat(c.getReason()).isEqualTo(ChangeReason.EVENT);
        assertThat(c.getSequence()).isEqualTo(transitions);
        assertThat(c.getModelVersion()).isEqualTo(1);
      } else {
        assertThat(emitted).as("no change after order %d", i).isEmpty();
      }
      previous = now;
    }
    assertThat(previous).as("twenty orders three days apart make a champion").isEqualTo(SeedModels.CHAMPION);
    assertThat(transitions).isGreaterThanOrEqualTo(2);
    // The compacted table got one record per change, the last being the current segment.
    var table = h.segments.readKeyValuesToMap();
    assertThat(table.get("c-1").getSegment().getId()).isEqualTo(SeedModels.CHAMPION);
  }

  @Test
  void aChampionWhoGoesQuietMovesToAtRiskByWallClockAloneWithoutAnyEvent() {
    TopologyHarness h = withSeedModel();
    SeedModels.orders("c-2", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    assertThat(h.profile("c-2").segmentId()).isEqualTo(SeedModels.CHAMPION);
    h.drainChanges();

    // A day later nothing has changed for a champion.
    h.driver.advanceWallClockTime(Duration.ofDays(2));
    assertThat(h.drainChanges()).isEmpty();

    // 100 days of silence: no input at all, only the wall clock moves.
    h.driver.advanceWallClockTime(Duration.ofDays(100));
    List<SegmentChange> changes = h.drainChanges();
    assertThat(changes).hasSize(1);
    SegmentChange c = changes.get(0);
    assertThat(c.getPreviousSegment().getId()).isEqualTo(SeedModels.CHAMPION);
    assertThat(c.getNewSegment().getId()).isEqualTo(SeedModels.AT_RISK);
    assertThat(c.getReason()).isEqualTo(ChangeReason.INACTIVITY);
    assertThat(c.getRfm().getRecencyDays()).isGreaterThan(100.0);
  }

  @Test
  void aReplayOfHistoryProducedTodayIsProcessedInItsOwnTime() {
    TopologyHarness h = withSeedModel();
    // Last year's events, produced now: every Kafka record timestamp is today (NOW).
    Instant lastOrder = NOW.minus(Duration.ofDays(400));
    SeedModels.orders("c-6", 20, 3, lastOrder, "120").forEach(o -> h.pipe(o, NOW));
    assertThat(h.profile("c-6").segmentId()).isEqualTo(SeedModels.CHAMPION);
    h.drainChanges();
    // Another customer's daily visits carry event time on; c-6 sends nothing more. No wall-clock move.
    for (int day = 1; day <= 200; day++) {
      h.pipe(Events.view("c-7", "v" + day, "s" + day, lastOrder.plus(Duration.ofDays(day))), NOW);
    }
    List<SegmentChange> quiet = h.drainChanges().stream().filter(c -> c.getCustomerId().equals("c-6")).toList();
    assertThat(quiet).as("c-6 moved during the replay, by event time").hasSize(1);
    assertThat(quiet.get(0).getNewSegment().getId()).isEqualTo(SeedModels.AT_RISK);
    assertThat(quiet.get(0).getReason()).isEqualTo(ChangeReason.INACTIVITY);
    // Measured in the replay's time: weeks after the last order, not ~400 days (today's date).
    assertThat(quiet.get(0).getRfm().getRecencyDays()).isBetween(2.0, 100.0);
    assertThat(quiet.get(0).getEventTime()).isBefore(NOW.minus(Duration.ofDays(290)));
  }

  @Test
  void aRetriedEventIsNotCountedTwice() {
    TopologyHarness h = withSeedModel();
    OrderEvent order = Events.order("c-3", "o-1", NOW, "50");
    ClickEvent view = Events.view("c-3", "e-1", "s-1", NOW.plusSeconds(5));
    h.pipe(order);
    h.pipe(view);
    h.pipe(order); // producer retry: same order id and status
    h.pipe(view);  // same event id
    CustomerProfile p = h.profile("c-3");
    assertThat(p.orders()).isEqualTo(1);
    assertThat(p.netSpend()).isEqualByComparingTo("50");
    assertThat(p.productViews()).isEqualTo(1);

    // The same order id with another status is a new fact, not a duplicate.
    h.pipe(Events.order("c-3", "o-1", NOW.plusSeconds(60), "50", OrderStatus.RETURNED, "EUR"));
    assertThat(h.profile("c-3").returns()).isEqualTo(1);
    assertThat(h.profile("c-3").netSpend()).isEqualByComparingTo("0");
  }

  @Test
  void impossibleEventsGoToTheDeadLetterTopicAndTheStreamGoesOn() {
    TopologyHarness h = withSeedModel();
    h.pipe(Events.order("c-4", "o-1", NOW, "10", OrderStatus.PLACED, "USD"));
    h.pipe(Events.order("c-4", "o-2", NOW, "-5"));
    h.pipe(Events.order("c-4", "o-3", NOW, "25"));
    List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
    assertThat(dead).hasSize(2);
    assertThat(headerText(dead.get(0))).contains("FOREIGN_CURRENCY");
    assertThat(headerText(dead.get(1))).contains("NEGATIVE_AMOUNT");
    assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("c-4");
    assertThat(dead.get(0).value()[0]).as("original Avro bytes, Confluent magic byte").isEqualTo((byte) 0);
    assertThat(h.profile("c-4").orders()).isEqualTo(1);
  }

  private static String headerText(TestRecord<byte[], byte[]> r) {
    StringBuilder sb = new StringBuilder();
    for (Header header : r.headers()) {
      sb.append(header.key()).append('=').append(header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8)).append('\n');
    }
    return sb.toString();
  }

  @Test
  void aModelOnTheTopicIsUsedByTheTasks() {
    TopologyHarness h = withSeedModel();
    h.pipe(Events.order("c-5", "o-1", NOW, "40"));
    SegmentChange c = h.drainChanges().get(0);
    ModelVersion seed = SeedModels.championsAndAtRisk(NOW);
    assertThat(c.getModelVersion()).isEqualTo(seed.getVersion());
    assertThat(c.getNewSegment().getName()).isEqualTo(seed.getCentres().get(c.getNewSegment().getId()).getName());
  }

  @Test
  void membersOfACentreANewVersionNoLongerHasMoveWithoutWaitingForTheirRoutineRecheck() {
    TopologyHarness h = withSeedModel();
    SeedModels.orders("c-8", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    assertThat(h.profile("c-8").segmentId()).isEqualTo(SeedModels.CHAMPION);
    h.drainChanges();

    // Version 2 re-seeded the champions' centre away: a new centre 4 replaces centre 0, elsewhere.
    ModelVersion v2 = SeedModels.championsAndAtRisk(NOW);
    v2.setVersion(2L);
    v2.setNextCentreId(5);
    io.segmenter.internal.Centre gone = v2.getCentres().get(SeedModels.CHAMPION);
    v2.getCentres().set(SeedModels.CHAMPION, io.segmenter.internal.Centre.newBuilder(gone).setId(4).setReplacesId(0)
        .setVector(v2.getCentres().get(SeedModels.HIBERNATING).getVector()).build());
    h.publishModel(v2);
    long booked = h.profile("c-8").nextCheckAt();
    // The next record of anyone acts on the new version (a minute of wall clock would too), a minute
    // after c-8's last order: long before c-8's routine re-check.
    Instant minuteLater = NOW.minus(Duration.ofDays(1)).plusSeconds(60);
    assertThat(minuteLater.toEpochMilli()).isLessThan(booked);
    h.pipe(Events.view("someone-else", "v-1", "s-1", minuteLater));

    List<SegmentChange> moved = h.drainChanges().stream().filter(c -> c.getCustomerId().equals("c-8")).toList();
    assertThat(moved).as("c-8 no longer holds a segment the model does not have").hasSize(1);
    assertThat(moved.get(0).getReason()).isEqualTo(ChangeReason.MODEL);
    assertThat(moved.get(0).getPreviousSegment().getId()).isEqualTo(SeedModels.CHAMPION);
    assertThat(moved.get(0).getModelVersion()).isEqualTo(2);
    assertThat(h.profile("c-8").segmentId()).isNotEqualTo(SeedModels.CHAMPION);
    assertThat(moved.get(0).getEventTime()).as("moved at the new version, not at the routine re-check")
        .isBefore(Instant.ofEpochMilli(booked));
  }
}
