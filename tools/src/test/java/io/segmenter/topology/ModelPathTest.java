package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.SegmentChange;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Features;
import io.segmenter.model.MiniBatchAccumulator;
import io.segmenter.model.ModelAggregator;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.TaskDelta;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The model path through the real topology: deltas from several tasks on the model-deltas topic are
 * merged by the one aggregator into one version on the model topic, which the global store hands to
 * the tasks. (The driver runs one task; deltas of "other tasks" are piped in as those tasks would
 * send them. The multi-task case over a real broker is in the integration tests.)
 */
class ModelPathTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final ModelAggregator.Settings SETTINGS = new ModelAggregator.Settings(3, 42, 0.95, 90, 60,
      Long.MAX_VALUE, 50);

  private static TopologyHarness harness() {
    return new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_K, 3,
        SegmenterConfig.MODEL_WARMUP_POINTS, 90,
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, 60L,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE), NOW);
  }

  /** Feature vectors of three kinds of customer, with noise. */
  private static List<double[]> points(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<double[]> kinds = List.of(
        SeedModels.features(SeedModels.orders("k", 20, 3, NOW.minusSeconds(86_400), "120"), NOW),
        SeedModels.features(SeedModels.orders("k", 20, 3, NOW.minusSeconds(100 * 86_400L), "120"), NOW),
        SeedModels.features(SeedModels.orders("k", 1, 1, NOW.minusSeconds(2 * 86_400L), "40"), NOW));
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] p = kinds.get(i % 3).clone();
      for (int j = 0; j < p.length; j++) p[j] += r.nextGaussian() * 0.05;
      out.add(p);
    }
    return out;
  }

  private static TaskDelta delta(String task, ModelSnapshot model, List<double[]> pts) {
    MiniBatchAccumulator a = new MiniBatchAccumulator(Features.DIMENSION);
    for (double[] p : pts) {
      int centre = model == null ? -1 : model.kmeans().nearest(model.standardise(p)).centreId();
      a.add(p, centre, NOW.toEpochMilli(), model == null ? 1000 : ModelAggregator.CANDIDATE_SAMPLE);
    }
    return a.drain(task, 1, model == null ? -1 : model.version());
  }

  @Test
  void deltasFromSeveralTasksMergeIntoOneVersionThatTheTasksThenUse() {
    try (TopologyHarness h = harness()) {
      List<TaskDelta> warmups = List.of(delta("0_0", null, points(40, 1)), delta("0_1", null, points(40, 2)),
          delta("0_2", null, points(40, 3)));
      h.deltasIn.pipeInput("0_0", ModelCodec.toAvro(warmups.get(0)));
      h.deltasIn.pipeInput("0_1", ModelCodec.toAvro(warmups.get(1)));
      assertThat(h.models.isEmpty()).as("80 of 90 warm-up points: no model yet").isTrue();
      h.deltasIn.pipeInput("0_2", ModelCodec.toAvro(warmups.get(2)));
      List<ModelVersion> v1 = h.models.readValuesToList();
      assertThat(v1).hasSize(1);
      assertThat(v1.get(0).getVersion()).isEqualTo(1);

      h.pipe(Events.order("c-1", "o-1", NOW, "40"));
      SegmentChange first = h.drainChanges().get(0);
      assertThat(first.getModelVersion()).as("the task assigns with the version the aggregator made").isEqualTo(1);

      // Two tasks' mini-batches (36 points each, 60 needed) make ONE new version.
      ModelSnapshot m1 = ModelCodec.fromAvro(v1.get(0));
      TaskDelta a = delta("0_0", m1, points(36, 4));
      TaskDelta b = delta("0_3", m1, points(36, 5));
      h.deltasIn.pipeInput("0_0", ModelCodec.toAvro(a));
      assertThat(h.models.isEmpty()).isTrue();
      h.deltasIn.pipeInput("0_3", ModelCodec.toAvro(b));
      List<ModelVersion> v2 = h.models.readValuesToList();
      assertThat(v2).hasSize(1);
      assertThat(v2.get(0).getVersion()).isEqualTo(2);

      // Bit for bit what the pure aggregator computes from the same deltas in the same order.
      ModelAggregator reference = new ModelAggregator(SETTINGS, Features.DIMENSION, null, null);
      warmups.forEach(reference::accept);
      reference.accept(a);
      ModelVersion expected = ModelCodec.toAvro(reference.accept(b).orElseThrow());
      assertThat(v2.get(0)).isEqualTo(expected);

      h.pipe(Events.order("c-2", "o-2", NOW.plusSeconds(1), "40"));
      assertThat(h.drainChanges().get(0).getModelVersion()).isEqualTo(2);
    }
  }
}
