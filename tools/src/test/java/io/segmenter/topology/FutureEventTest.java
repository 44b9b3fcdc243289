package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.SegmentChange;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One event stamped far in the future (a producer whose clock runs fast, within the validator's
 * 24 h allowance) counts for its own customer at its own time, and moves nobody else's "now".
 */
class FutureEventTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void anEventTwentyThreeHoursAheadLeavesOtherCustomersRecencyWhereTheWallClockIs() {
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE), NOW)) {
      h.publishModel(SeedModels.championsAndAtRisk(NOW));
      // A champion whose routine re-check is booked a day from now.
      SeedModels.orders("steady", 20, 3, NOW, "120").forEach(h::pipe);
      CustomerProfile before = h.profile("steady");
      assertThat(before.segmentId()).isEqualTo(SeedModels.CHAMPION);
      assertThat(before.nextCheckAt()).isEqualTo(NOW.plus(Duration.ofDays(1)).toEpochMilli());
      h.drainChanges();

      Instant ahead = NOW.plus(Duration.ofHours(23));
      h.pipe(Events.order("fast-clock", "o-1", ahead, "40"));
      // Two hours of wall-clock time: both punctuators run (the stream-time one saw the future stamp).
      h.driver.advanceWallClockTime(Duration.ofHours(2));

      CustomerProfile fast = h.profile("fast-clock");
      assertThat(fast.lastOrderAt()).as("the future event counts for its own customer").isEqualTo(ahead.toEpochMilli());
      assertThat(fast.segmentSince()).as("evaluated at its own time").isEqualTo(ahead.toEpochMilli());
      CustomerProfile steady = h.profile("steady");
      assertThat(steady.nextCheckAt()).as("nobody else's check came due: the task's now stayed near the wall clock")
          .isEqualTo(before.nextCheckAt());
      assertThat(steady.segmentSince()).isEqualTo(before.segmentSince());
      List<SegmentChange> changes = h.drainChanges();
      assertThat(changes).extracting(SegmentChange::getCustomerId).containsOnly("fast-clock");
    }
  }
}
