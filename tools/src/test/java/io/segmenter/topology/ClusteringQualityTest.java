package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.Persona;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Centre;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileConfig;
import io.segmenter.testing.ClusteringMetrics;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clustering quality of the ONLINE model, learnt by the real topology from generated customers whose
 * persona is known: the final model's clusters against the personas (adjusted Rand index) and its
 * inertia against batch k-means++ (best of 10 Lloyd runs, Commons Math) on the same final vectors.
 */
class ClusteringQualityTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final int CUSTOMERS = 600;
  private static final java.time.Instant START = GeneratorConfig.defaults().start();

  @Test
  void theOnlineModelFindsThePersonasAndIsAsTightAsBatchKMeans() {
    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(CUSTOMERS).withSpan(Duration.ofDays(120)).withSeed(7));
    long end = generator.end().toEpochMilli();
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(),
        TopologyHarness.HISTORY_REPLAY, START)) {
      long events = 0;
      for (GeneratedEvent e : generator) {
        h.pipe(e.event());
        if (++events % 5000 == 0) h.discardOutputs();
      }
      List<ModelVersion> versions = h.models.readValuesToList();
      assertThat(versions).isNotEmpty();
      ModelSnapshot model = ModelCodec.fromAvro(versions.get(versions.size() - 1));

      List<double[]> points = new ArrayList<>();
      List<Integer> truth = new ArrayList<>();
      for (Map.Entry<String, Persona> c : generator.groundTruth().entrySet()) {
        CustomerProfile p = h.profile(c.getKey());
        assertThat(p).as("profile of %s", c.getKey()).isNotNull();
        points.add(model.standardise(Features.of(p, end, ProfileConfig.defaults())));
        truth.add(c.getValue().ordinal());
      }
      int[] online = new int[points.size()];
      for (int i = 0; i < online.length; i++) online[i] = model.kmeans().nearest(points.get(i)).centreId();
      double ari = ClusteringMetrics.adjustedRandIndex(online, truth.stream().mapToInt(Integer::intValue).toArray());
      List<double[]> centres = new ArrayList<>();
      for (Centre c : model.kmeans().centres()) centres.add(c.position());
      double onlineInertia = ClusteringMetrics.inertia(points, centres);
      ClusteringMetrics.BatchResult batch = ClusteringMetrics.batchKMeansBestOf(points, centres.size(), 10, 1);

      int[] batchLabels = new int[points.size()];
      for (int i = 0; i < batchLabels.length; i++) batchLabels[i] = nearest(points.get(i), batch.centres());
      double batchAri = ClusteringMetrics.adjustedRandIndex(batchLabels, truth.stream().mapToInt(Integer::intValue).toArray());
      System.out.printf("%nClustering quality: %d customers, %,d events, model v%d (k=%d)%n",
          points.size(), events, model.version(), centres.size());
      System.out.printf("adjusted Rand index vs personas: %.3f (must be >= 0.8; batch k-means: %.3f)%n", ari, batchAri);
      System.out.printf("inertia online %.1f vs batch k-means++ best of 10 %.1f: ratio %.3f (must be <= 1.10)%n",
          onlineInertia, batch.inertia(), onlineInertia / batch.inertia());
      model.names().forEach((id, name) -> System.out.printf("  centre %d: %s%n", id, name));

      assertThat(ari).isGreaterThanOrEqualTo(0.8);
      assertThat(onlineInertia).isLessThanOrEqualTo(1.10 * batch.inertia());
    }
  }

  private static int nearest(double[] p, List<double[]> centres) {
    int best = 0;
    for (int c = 1; c < centres.size(); c++) {
      if (ClusteringMetrics.squaredDistance(p, centres.get(c)) < ClusteringMetrics.squaredDistance(p, centres.get(best))) best = c;
    }
    return best;
  }
}
