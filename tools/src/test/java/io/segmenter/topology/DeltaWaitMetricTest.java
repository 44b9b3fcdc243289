package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.internal.ModelDelta;
import io.segmenter.model.Features;
import io.segmenter.model.MiniBatchAccumulator;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The aggregator's lag is visible: {@code segmenter_model_delta_wait_seconds} records, per delta
 * merged, how long after its task sent it (the record's wall-clock timestamp) the aggregator merged
 * it. The real topology in the TopologyTestDriver, whose wall clock the test sets, so that the wait
 * is known to the millisecond.
 */
class DeltaWaitMetricTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void eachMergedDeltaRecordsTheTimeSinceItsTaskSentItAndRejectedOnesDoNot() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_K, 4,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE), NOW, new SegmenterRuntime(meters))) {
      DistributionSummary wait = meters.get(SegmenterMetrics.DELTA_WAIT).summary();
      assertThat(wait.count()).as("registered before the first delta").isZero();

      // Sent 90 s before the aggregator's wall clock: the backlog of a lagging aggregator.
      h.deltasIn.pipeInput(new TestRecord<>("0_0", delta(1, 200), NOW.minusSeconds(90)));
      assertThat(wait.count()).isEqualTo(1);
      assertThat(wait.max()).isEqualTo(90.0);

      h.driver.advanceWallClockTime(java.time.Duration.ofMillis(250));
      h.deltasIn.pipeInput(new TestRecord<>("0_1", delta(2, 200), NOW));
      assertThat(wait.count()).isEqualTo(2);
      assertThat(wait.totalAmount()).isEqualTo(90.25);

      // A delta the aggregator cannot use is not merged, so it has no wait; a clock skewed ahead
      // of the aggregator's gives 0, not a negative wait.
      h.rawDeltas.pipeInput("0_2".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1, 2, 3, 4});
      h.deltasIn.pipeInput(new TestRecord<>("0_3", delta(3, 200), NOW.plusSeconds(60)));
      assertThat(wait.count()).isEqualTo(3);
      assertThat(wait.totalAmount()).isEqualTo(90.25);
    }
  }

  /** A warm-up delta of n points spread over 8 kinds of customer. */
  private static ModelDelta delta(long sequence, int n) {
    MiniBatchAccumulator batch = new MiniBatchAccumulator(Features.DIMENSION);
    for (int i = 0; i < n; i++) {
      double[] p = new double[Features.DIMENSION];
      Arrays.fill(p, i % 8);
      p[0] += i * 1e-3;
      batch.add(p, -1, NOW.toEpochMilli(), 1000);
    }
    return ModelCodec.toAvro(batch.drain("0_9", sequence, -1));
  }
}
