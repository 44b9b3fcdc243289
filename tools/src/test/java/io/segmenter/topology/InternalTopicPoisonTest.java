package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Features;
import io.segmenter.model.MiniBatchAccumulator;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records on the internal topics that the service cannot use are skipped, counted and (for deltas)
 * dead-lettered, and the model in force stays: the real topology in the TopologyTestDriver. (Over a
 * real broker, with restarts: InternalTopicPoisonIT in integration-tests.)
 */
class InternalTopicPoisonTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  private static TopologyHarness harness(SimpleMeterRegistry meters) {
    return new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_K, 4,
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE), NOW, new SegmenterRuntime(meters));
  }

  private static double rejected(SimpleMeterRegistry meters, String topic, String reason) {
    Counter c = meters.find(SegmenterMetrics.INTERNAL_REJECTED).tags("topic", topic, "reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void junkNanCentresAndOlderVersionsOnTheModelTopicAreSkippedAndTheModelInForceStays() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (TopologyHarness h = harness(meters)) {
      ModelVersion good = SeedModels.championsAndAtRisk(NOW);
      good.setVersion(3L);
      h.publishModel(good);
      assertThat(h.runtime.model().current().version()).isEqualTo(3);

      h.rawModels.pipeInput(SegmenterTopology.MODEL_KEY, "not a model".getBytes(StandardCharsets.UTF_8));
      ModelVersion nan = SeedModels.championsAndAtRisk(NOW);
      nan.setVersion(4L);
      nan.getCentres().get(2).getVector().set(0, Double.NaN);
      h.publishModel(nan);
      ModelVersion older = SeedModels.championsAndAtRisk(NOW);
      older.setVersion(2L);
      h.publishModel(older);
      h.rawModels.pipeInput(new TestRecord<>(SegmenterTopology.MODEL_KEY, null, NOW));

      assertThat(h.runtime.model().current().version()).as("the last good version stays in force").isEqualTo(3);
      assertThat(InternalCodecRead.version(h.driver)).isEqualTo(3);
      assertThat(rejected(meters, "model", "UNKNOWN_FORMAT")).isEqualTo(1);
      assertThat(rejected(meters, "model", "NOT_FINITE")).isEqualTo(1);
      assertThat(rejected(meters, "model", "NOT_NEWER")).isEqualTo(1);
      assertThat(rejected(meters, "model", "TOMBSTONE")).isEqualTo(1);

      // Customers are still assigned with it.
      h.pipe(Events.order("c-1", "o-1", NOW, "40"));
      assertThat(h.drainChanges()).singleElement().satisfies(c -> assertThat(c.getModelVersion()).isEqualTo(3));
    }
  }

  @Test
  void anUnusableDeltaIsDeadLetteredWithItsReasonAndTheAggregatorGoesOn() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (TopologyHarness h = harness(meters)) {
      byte[] junk = {0, 0, 0, 0, 1, 2, 3, 4};
      h.rawDeltas.pipeInput("0_0".getBytes(StandardCharsets.UTF_8), junk);
      ModelDelta nan = delta(200);
      nan.getCentreStatistics().get(0).getSums().set(1, Double.NaN);
      h.deltasIn.pipeInput("0_1", nan);

      List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
      assertThat(dead).hasSize(2);
      assertThat(dead.get(0).value()).isEqualTo(junk);
      assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo("UNKNOWN_FORMAT");
      assertThat(header(dead.get(0), DeadLetters.TOPIC)).isEqualTo(h.topic(SegmenterConfig.TOPIC_MODEL_DELTAS));
      assertThat(header(dead.get(1), DeadLetters.REASON)).isEqualTo("NOT_FINITE");
      assertThat(rejected(meters, "model-deltas", "UNKNOWN_FORMAT")).isEqualTo(1);
      assertThat(rejected(meters, "model-deltas", "NOT_FINITE")).isEqualTo(1);

      // The next good warm-up delta still makes version 1: the bad ones left no trace.
      h.deltasIn.pipeInput("0_2", delta(1000));
      List<ModelVersion> versions = h.models.readValuesToList();
      assertThat(versions).singleElement().satisfies(v -> assertThat(v.getVersion()).isEqualTo(1));
      assertThat(versions.get(0).getCentres()).allSatisfy(c ->
          assertThat(c.getVector()).allSatisfy(x -> assertThat(x).isFinite()));
    }
  }

  /** A warm-up delta of n points spread over 8 kinds of customer. */
  private static ModelDelta delta(int n) {
    MiniBatchAccumulator batch = new MiniBatchAccumulator(Features.DIMENSION);
    for (int i = 0; i < n; i++) {
      double[] p = new double[Features.DIMENSION];
      Arrays.fill(p, i % 8);
      p[0] += i * 1e-3;
      batch.add(p, i % 3, NOW.toEpochMilli(), 1000);
    }
    return ModelCodec.toAvro(batch.drain("0_9", 1, -1));
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /** The version in the global store, decoded as the tasks decode it. */
  private static final class InternalCodecRead {
    static long version(org.apache.kafka.streams.TopologyTestDriver driver) {
      byte[] bytes = driver.<String, byte[]>getKeyValueStore(SegmenterTopology.MODEL_GLOBAL_STORE)
          .get(SegmenterTopology.MODEL_KEY);
      try {
        return InternalCodec.decodeVersion(bytes).getVersion();
      } catch (RejectedRecord e) {
        throw new AssertionError(e);
      }
    }
  }
}
