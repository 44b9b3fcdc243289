package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentNamesSeenTest {
  private static ModelSnapshot model(long version, Map<Integer, String> names) {
    List<Centre> centres = new ArrayList<>();
    for (int id : names.keySet()) centres.add(new Centre(id, new double[Features.DIMENSION], 1.0, 1, version, null));
    int next = names.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    KMeansModel kmeans = new KMeansModel(version, Features.DIMENSION, centres, next, 0.95);
    FeatureScaler scaler = new FeatureScaler(java.util.Collections.nCopies(Features.DIMENSION, new RunningMoments(100, 1, 400)));
    return new ModelSnapshot(kmeans, scaler, names, version);
  }

  @Test
  void aSegmentOfTheNewestVersionHasItsNameThereAndARetiredOneItsLastNameSeen() {
    SegmentNamesSeen seen = new SegmentNamesSeen();
    seen.add(model(1, Map.of(1, "New Customers", 2, "Loyal")));
    seen.add(model(2, Map.of(1, "Potential Loyalist", 2, "Champions")));
    ModelSnapshot newest = model(3, Map.of(1, "Loyal", 3, "Hibernating"));
    seen.add(newest);

    assertThat(seen.name(newest, 1)).isEqualTo("Loyal");
    assertThat(seen.name(newest, 2)).as("its last name, not its first").isEqualTo("Champions (retired)");
    assertThat(seen.name(newest, 9)).isEqualTo("segment 9 (retired)");
    assertThat(seen.name(null, 3)).as("no model yet").isEqualTo("Hibernating (retired)");
  }

  @Test
  void keepsTheMostRecentlyNamedIdsWhenFull() {
    SegmentNamesSeen seen = new SegmentNamesSeen();
    Map<Integer, String> first = new HashMap<>();
    for (int id = 0; id < SegmentNamesSeen.CAPACITY; id++) first.put(id, "old " + id);
    seen.add(model(1, first));
    seen.add(model(2, Map.of(0, "renamed 0", SegmentNamesSeen.CAPACITY, "new")));

    ModelSnapshot none = model(3, Map.of(SegmentNamesSeen.CAPACITY + 1, "x"));
    assertThat(seen.name(none, 0)).as("named again in version 2: kept").isEqualTo("renamed 0 (retired)");
    assertThat(seen.name(none, SegmentNamesSeen.CAPACITY)).isEqualTo("new (retired)");
    assertThat(seen.name(none, 1)).as("the least recently named: dropped").isEqualTo("segment 1 (retired)");
    assertThat(seen.name(none, 2)).isEqualTo("old 2 (retired)");
  }
}
