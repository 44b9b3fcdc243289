package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.clv.BgNbd;
import io.segmenter.clv.BgNbdParameters;
import io.segmenter.clv.ClvModel;
import io.segmenter.clv.GammaGammaParameters;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.PredictiveSegment;
import io.segmenter.events.SegmentChange;
import io.segmenter.internal.ModelVersion;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Predictive segments in the real topology (TopologyTestDriver, real serdes and registry): a weekly
 * buyer who stops sees P(alive) fall as the wall clock alone advances, and is moved into "high churn
 * risk" by a segment change, at the moment the closed form says P(alive) crosses the threshold.
 */
class PredictiveTopologyTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final long DAY_MS = 86_400_000L;
  /** The published CDNOW estimates, weeks converted to days. */
  static final BgNbdParameters CDNOW_DAYS = new BgNbdParameters(0.243, 4.414, 0.793, 2.426).withTimeUnitDividedBy(7);
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
    ModelVersion v = SeedModels.championsAndAtRisk(NOW);
    ClvModel clv = new ClvModel(CDNOW_DAYS, new GammaGammaParameters(6.25, 3.74, 15.44), ClvModel.Source.FILE, 0,
        Double.NaN, NOW.toEpochMilli(), 1, 5_000, 50);
    v.setClv(ModelCodec.toAvro(clv));
    harness.publishModel(v);
    return harness;
  }

  @Test
  void aSteadyBuyerWhoStopsFallsIntoHighChurnRiskByTheClockAlone() {
    TopologyHarness h = harness();
    String id = "steady-1";
    List<OrderEvent> orders = SeedModels.orders(id, 20, 7, NOW.minus(Duration.ofDays(1)), "30");
    orders.forEach(h::pipe);
    List<CustomerSegment> current = new ArrayList<>(h.segments.readValuesToList());
    List<SegmentChange> changes = new ArrayList<>(h.drainChanges());
    CustomerSegment afterLastOrder = current.get(current.size() - 1);
    assertThat(afterLastOrder.getPredictiveScores()).isNotNull();
    assertThat(afterLastOrder.getPredictiveScores().getPAlive()).isGreaterThan(0.9);
    assertThat(afterLastOrder.getPredictiveScores().getSegment()).isNotEqualTo(PredictiveSegment.HIGH_CHURN_RISK);
    assertThat(afterLastOrder.getPredictiveScores().getClv()).isPositive();

    // When the closed form says P(alive) drops below 0.3 (the default threshold) with no more orders.
    CustomerProfile p = h.profile(id);
    assertThat(p.purchaseDays()).isEqualTo(20);
    double age = BgNbd.of(CDNOW_DAYS).ageWhenProbabilityAliveFallsBelow(19, 133, 0.3);
    long crossing = p.firstOrderAt() + (long) Math.ceil(age * DAY_MS);

    // Only the wall clock moves (6 hours a step, 60 days): no event of this customer or anyone else.
    Duration step = Duration.ofHours(6);
    for (int i = 0; i < 60 * 4; i++) {
      h.driver.advanceWallClockTime(step);
      current.addAll(h.segments.readValuesToList());
      changes.addAll(h.drainChanges());
    }
    SegmentChange churn = changes.stream()
        .filter(c -> c.getPredictiveScores() != null
            && c.getPredictiveScores().getSegment() == PredictiveSegment.HIGH_CHURN_RISK)
        .findFirst().orElseThrow(() -> new AssertionError("no change into HIGH_CHURN_RISK in " + changes));
    System.out.printf("PredictiveTopologyTest: P(alive) %.3f after the last order, %.3f at the change into HIGH_CHURN_RISK"
        + " (reason %s) %.2f days after it; closed-form crossing %.2f days after it%n",
        afterLastOrder.getPredictiveScores().getPAlive(), churn.getPredictiveScores().getPAlive(), churn.getReason(),
        (churn.getEventTime().toEpochMilli() - p.lastOrderAt()) / (double) DAY_MS,
        (crossing - p.lastOrderAt()) / (double) DAY_MS);
    assertThat(churn.getPreviousPredictiveSegment()).isNotEqualTo(PredictiveSegment.HIGH_CHURN_RISK);
    assertThat(churn.getPredictiveScores().getPAlive()).isLessThan(0.3);
    assertThat(churn.getReason()).isIn(ChangeReason.PREDICTIVE, ChangeReason.INACTIVITY);
    // Found at the booked moment (within one step of the wall clock), not at the next daily check.
    assertThat(churn.getEventTime().toEpochMilli()).isBetween(crossing, crossing + step.toMillis());
    assertThat(churn.getSequence()).isEqualTo(changes.get(changes.indexOf(churn) - 1).getSequence() + 1);
    // Every output in between shows P(alive) falling, never rising, while nothing happened.
    double previous = 1;
    for (CustomerSegment s : current) {
      if (s.getPredictiveScores() == null || s.getUpdatedAt().toEpochMilli() <= NOW.toEpochMilli()) continue;
      assertThat(s.getPredictiveScores().getPAlive()).isLessThanOrEqualTo(previous);
      previous = s.getPredictiveScores().getPAlive();
    }
    assertThat(h.profile(id).predictiveSegment()).isEqualTo(io.segmenter.clv.PredictiveSegment.HIGH_CHURN_RISK.ordinal());
    assertThat(h.runtime.populations().population(io.segmenter.clv.PredictiveSegment.HIGH_CHURN_RISK)).isEqualTo(1);

    // An order brings them back, by an event, and out of the churn segment.
    Instant back = Instant.ofEpochMilli(h.profile(id).nextCheckAt()).minus(Duration.ofHours(1));
    h.pipe(Events.order(id, id + "-back", back, "30"));
    SegmentChange returned = h.drainChanges().stream().reduce((a, b) -> b).orElseThrow();
    assertThat(returned.getPreviousPredictiveSegment()).isEqualTo(PredictiveSegment.HIGH_CHURN_RISK);
    assertThat(returned.getPredictiveScores().getSegment()).isNotEqualTo(PredictiveSegment.HIGH_CHURN_RISK);
    assertThat(returned.getPredictiveScores().getPAlive()).isGreaterThan(0.9);
    assertThat(h.runtime.populations().population(io.segmenter.clv.PredictiveSegment.HIGH_CHURN_RISK)).isZero();
  }

  @Test
  void customersWithoutOrdersAreNotScored() {
    TopologyHarness h = harness();
    h.pipe(Events.view("browser", "v1", "s1", NOW.minus(Duration.ofHours(2))));
    h.pipe(Events.view("browser", "v2", "s1", NOW.minus(Duration.ofHours(1))));
    for (CustomerSegment s : h.segments.readValuesToList()) assertThat(s.getPredictiveScores()).isNull();
    assertThat(h.profile("browser").predictiveSegment()).isEqualTo(CustomerProfile.NO_SEGMENT);
  }
}
