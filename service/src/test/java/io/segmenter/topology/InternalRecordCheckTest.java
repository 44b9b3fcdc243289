package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.internal.Centre;
import io.segmenter.internal.ModelVersion;
import io.segmenter.topology.RejectedRecord.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InternalRecordCheckTest {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

  private static Reason rejection(Consumer<ModelVersion> damage, long held) {
    ModelVersion v = SeedModels.championsAndAtRisk(NOW);
    damage.accept(v);
    try {
      InternalRecordCheck.modelVersion(InternalCodec.encode(v), held);
      return null;
    } catch (RejectedRecord e) {
      return e.reason();
    }
  }

  @Test
  void aSoundModelVersionNewerThanTheOneInForcePasses() {
    assertThat(rejection(v -> { }, -1)).isNull();
    assertThat(rejection(v -> v.setVersion(5L), 4)).isNull();
  }

  @Test
  void aVersionNotNewerThanTheOneInForceIsRejected() {
    assertThat(rejection(v -> { }, 1)).isEqualTo(Reason.NOT_NEWER);
    assertThat(rejection(v -> v.setVersion(3L), 7)).isEqualTo(Reason.NOT_NEWER);
  }

  @Test
  void nanOrInfiniteNumbersWhereTheModelComputesAreRejected() {
    assertThat(rejection(v -> v.getCentres().get(1).getVector().set(3, Double.NaN), -1)).isEqualTo(Reason.NOT_FINITE);
    assertThat(rejection(v -> v.getCentres().get(0).setWeight(Double.POSITIVE_INFINITY), -1)).isEqualTo(Reason.NOT_FINITE);
    assertThat(rejection(v -> v.getFeatureStatistics().get(2).setMean(Double.NaN), -1)).isEqualTo(Reason.NOT_FINITE);
    assertThat(rejection(v -> v.setDecayFactor(Double.NaN), -1)).isEqualTo(Reason.NOT_FINITE);
  }

  @Test
  void theWrongShapeIsRejected() {
    assertThat(rejection(v -> v.setCentres(new ArrayList<>()), -1)).as("no centre").isEqualTo(Reason.WRONG_SHAPE);
    assertThat(rejection(v -> {
      List<Centre> many = new ArrayList<>();
      for (int i = 0; i < 65; i++) {
        Centre c = Centre.newBuilder(v.getCentres().get(0)).setId(i).build();
        many.add(c);
      }
      v.setCentres(many);
      v.setNextCentreId(65);
    }, -1)).as("65 centres").isEqualTo(Reason.WRONG_SHAPE);
    assertThat(rejection(v -> v.getCentres().get(1).setId(0), -1)).as("duplicate id").isEqualTo(Reason.WRONG_SHAPE);
    assertThat(rejection(v -> v.getCentres().get(0).getVector().remove(0), -1)).as("short vector")
        .isEqualTo(Reason.WRONG_SHAPE);
    assertThat(rejection(v -> v.setFeatures(List.of("a", "b")), -1)).as("other features").isEqualTo(Reason.WRONG_SHAPE);
    assertThat(rejection(v -> v.setDecayFactor(1.5), -1)).isEqualTo(Reason.WRONG_SHAPE);
  }

  /** The explanation's tree travels as nodes in pre-order: nodes that do not make a tree are refused. */
  @Test
  void anExplanationThatIsNotATreeIsRejected() {
    java.util.function.Function<List<io.segmenter.internal.TreeNode>, io.segmenter.internal.Explanation> tree =
        nodes -> new io.segmenter.internal.Explanation(0.95, 100, 1L, io.segmenter.model.Features.DIMENSION, List.of(0, 1), nodes);
    io.segmenter.internal.TreeNode leaf0 = new io.segmenter.internal.TreeNode(-1, 0.0, -1, -1, 0, 60L,
        List.of(new io.segmenter.internal.LabelCount(0, 60)));
    io.segmenter.internal.TreeNode leaf1 = new io.segmenter.internal.TreeNode(-1, 0.0, -1, -1, 1, 40L,
        List.of(new io.segmenter.internal.LabelCount(1, 40)));
    io.segmenter.internal.TreeNode root = new io.segmenter.internal.TreeNode(1, 3.5, 1, 2, -1, 100L, List.of());
    assertThat(rejection(v -> v.setExplanation(tree.apply(List.of(root, leaf0, leaf1))), -1)).as("a sound tree").isNull();
    io.segmenter.internal.TreeNode cycle = new io.segmenter.internal.TreeNode(1, 3.5, 0, 2, -1, 100L, List.of());
    assertThat(rejection(v -> v.setExplanation(tree.apply(List.of(cycle, leaf0, leaf1))), -1)).as("a cycle")
        .isEqualTo(Reason.WRONG_SHAPE);
    io.segmenter.internal.TreeNode beyond = new io.segmenter.internal.TreeNode(1, 3.5, 1, 9, -1, 100L, List.of());
    assertThat(rejection(v -> v.setExplanation(tree.apply(List.of(beyond, leaf0, leaf1))), -1)).as("a child beyond the nodes")
        .isEqualTo(Reason.WRONG_SHAPE);
    io.segmenter.internal.TreeNode noFeature = new io.segmenter.internal.TreeNode(99, 3.5, 1, 2, -1, 100L, List.of());
    assertThat(rejection(v -> v.setExplanation(tree.apply(List.of(noFeature, leaf0, leaf1))), -1)).as("a feature out of range")
        .isEqualTo(Reason.WRONG_SHAPE);
    assertThat(rejection(v -> v.setExplanation(tree.apply(List.of())), -1)).as("no nodes").isEqualTo(Reason.WRONG_SHAPE);
  }
}
