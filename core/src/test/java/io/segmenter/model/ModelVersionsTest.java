package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelVersionsTest {
  private static ModelSnapshot model(long version, double[][] positions, ModelNotes notes) {
    List<Centre> centres = new java.util.ArrayList<>();
    for (int i = 0; i < positions.length; i++) centres.add(new Centre(i, positions[i], 1, 1, version, null));
    return new ModelSnapshot(new KMeansModel(version, 2, centres, positions.length + 1, 1.0), FeatureScaler.empty(2),
        Map.of(), 1_000L * version).withNotes(notes);
  }

  @Test
  void driftIsMeasuredOnTheCentresThatSurviveAndARefreshIsAVersionThatChoseK() {
    ModelSnapshot v1 = model(1, new double[][] {{0, 0}, {1, 1}}, ModelNotes.NONE);
    ModelNotes chosen = new ModelNotes(0, 0, Map.of(), List.of(), new ModelNotes.ClusterCount(3, 0.5, 2, Map.of()), null);
    ModelSnapshot v2 = model(2, new double[][] {{3, 4}, {1, 1}, {9, 9}}, chosen);
    ModelVersions.Entry first = ModelVersions.entry(null, v1);
    assertThat(first.maxDrift()).isNaN();
    assertThat(first.refresh()).isFalse();
    ModelVersions.Entry second = ModelVersions.entry(v1, v2);
    assertThat(second.k()).isEqualTo(3);
    assertThat(second.maxDrift()).isEqualTo(5.0);
    assertThat(second.meanDrift()).as("centre 2 is new: (5 + 0) / 2").isEqualTo(2.5);
    assertThat(second.refresh()).isTrue();
    assertThat(second.createdAt()).isEqualTo(2_000L);
    ModelSnapshot v3 = model(3, new double[][] {{3, 4}, {1, 1}, {9, 9}}, chosen);
    assertThat(ModelVersions.entry(v2, v3).refresh()).as("k chosen in version 2, carried along").isFalse();
  }

  @Test
  void keepsTheLastHundredNewestFirst() {
    ModelVersions versions = new ModelVersions();
    for (long v = 1; v <= 130; v++) versions.add(new ModelVersions.Entry(v, v, 2, 0, 0, false));
    List<ModelVersions.Entry> kept = versions.newestFirst();
    assertThat(kept).hasSize(ModelVersions.CAPACITY);
    assertThat(kept.get(0).version()).isEqualTo(130);
    assertThat(kept.get(99).version()).isEqualTo(31);
  }
}
