package io.segmenter.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategySpecTest {

  @Test
  void theDocumentedExampleGivesTwoChallengersWithOnlyTheirOverridesSet() {
    List<StrategySpec> specs = StrategySpec.parse("true-k: k=6; wide: k.min=3 k.max=10 decay.factor=0.9");

    assertThat(specs).containsExactly(
        new StrategySpec("true-k", 6, null, null, null, null, null),
        new StrategySpec("wide", null, 3, 10, 0.9, null, null));
    assertThat(StrategySpec.parse("all: k=0 k.min=2 k.max=64 decay.factor=1 refresh.every.versions=0 seed=-7"))
        .containsExactly(new StrategySpec("all", 0, 2, 64, 1.0, 0, -7L));
  }

  @Test
  void spacesAreFreeABareNameRunsTheBaseSettingsAndBlankTextMeansNoChallengers() {
    assertThat(StrategySpec.parse("  true-k :  k = 6 ;wide:k.min=3   k.max=10 ; "))
        .containsExactly(new StrategySpec("true-k", 6, null, null, null, null, null),
            new StrategySpec("wide", null, 3, 10, null, null, null));
    assertThat(StrategySpec.parse("same; twin:"))
        .containsExactly(new StrategySpec("same", null, null, null, null, null, null),
            new StrategySpec("twin", null, null, null, null, null, null));
    assertThat(StrategySpec.parse("")).isEmpty();
    assertThat(StrategySpec.parse("  \n ")).isEmpty();
    assertThat(StrategySpec.parse(null)).isEmpty();
  }

  @Test
  void everyErrorNamesTheSettingTheSpecAndWhatIsAllowed() {
    assertError("wide: kmax=10", "'wide'", "unknown key 'kmax'",
        "allowed keys are k, k.min, k.max, decay.factor, refresh.every.versions, seed");
    assertError("wide: k=65", "'wide'", "k=65", "0..64");
    assertError("wide: k=-1", "k=-1", "0..64");
    assertError("wide: k.min=0", "k.min=0", "1..64");
    assertError("wide: k.max=99", "k.max=99", "1..64");
    assertError("wide: k.min=8 k.max=4", "k.min=8", "k.max=4", "k.min <= k.max");
    assertError("wide: decay.factor=0", "decay.factor=0", "0.01..1.0");
    assertError("wide: decay.factor=1.5", "decay.factor=1.5", "0.01..1.0");
    assertError("wide: decay.factor=NaN", "decay.factor=NaN", "not a number", "0.01..1.0");
    assertError("wide: refresh.every.versions=-1", "refresh.every.versions=-1", "at least 0");
    assertError("wide: k=six", "k=six", "not an integer", "0..64");
    assertError("wide: seed=1.5", "seed=1.5", "not an integer");
    assertError("wide: k", "'k' is not key=value", "allowed keys");
    assertError("wide: k=3=4", "'k=3=4' is not key=value");
    assertError("wide: k=3 k=4", "key 'k' is given twice");
    assertError("k=6", "spec 'k=6'", "no ':'", "name: key=value");
    assertError("true k=6", "spec 'true k=6'", "no ':'");
    assertError("Wide: k=3", "name 'Wide'", "lower-case letter");
    assertError(": k=3", "name ''", "lower-case letter");
    assertError("a-name-far-too-long-for-a-metric: k=3", "a-name-far-too-long-for-a-metric", "up to 23");
    assertError("default: k=4", "'default' is reserved", "another name");
    assertError("wide: k=3; wide: k=4", "'wide' is listed twice", "unique");
    assertError("a: k=3; b: k=4; c: k=5", "3 challengers listed (a, b, c)", "at most 2");
  }

  @Test
  void twoNamesWhoseSegmentIdsWouldMeetAreRefused() {
    assertThat(StrategySpec.idBase("bv")).isEqualTo(StrategySpec.idBase("c0")); // found by search, 1 pair in 999
    assertError("bv; c0", "'bv' and 'c0'", "segment ids", "rename one");
  }

  @Test
  void theIdBaseIsFnv1aOfTheNameAndFixedForEver() {
    // The published FNV-1a 32-bit test vectors: the hash is the algorithm's, not the JVM's.
    assertThat(StrategySpec.fnv1a32(new byte[0])).isEqualTo(0x811c9dc5);
    assertThat(StrategySpec.fnv1a32("a".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xe40c292c);
    assertThat(StrategySpec.fnv1a32("foobar".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xbf9cf968);
    // Stored assignments and tallies rely on these: a change of them is a change of every stored id.
    assertThat(StrategySpec.idBase(StrategySpec.DEFAULT)).isZero();
    assertThat(StrategySpec.idBase("true-k")).isEqualTo(682_000_000);
    assertThat(StrategySpec.idBase("wide")).isEqualTo(733_000_000);
    assertThat(StrategySpec.idBase("k4")).isEqualTo(891_000_000);
    for (String name : List.of("a", "k8", "zzzzzzzzzzzzzzzzzzzzzzzz")) {
      assertThat(StrategySpec.idBase(name)).isBetween(1_000_000, 999_000_000).isEqualTo(
          StrategySpec.idBase(name) / StrategySpec.ID_RANGE * StrategySpec.ID_RANGE);
    }
  }

  @Test
  void theConstructorChecksRangesSoNoInvalidSpecExists() {
    assertThat(StrategySpec.base()).isEqualTo(new StrategySpec("default", null, null, null, null, null, null));
    assertThatThrownBy(() -> new StrategySpec("x", 65, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(StrategySpec.SETTING);
    assertThatThrownBy(() -> new StrategySpec(null, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name 'null'");
  }

  private static void assertError(String text, String... parts) {
    assertThatThrownBy(() -> StrategySpec.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(StrategySpec.SETTING)
        .hasMessageContainingAll(parts);
  }
}
