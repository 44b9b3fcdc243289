package io.segmenter.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratorConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    GeneratorConfig c = GeneratorConfig.defaults();
    assertThat(c.seed()).isEqualTo(42L);
    assertThat(c.customers()).isEqualTo(1_000);
    assertThat(c.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(c.span()).isEqualTo(Duration.ofDays(180));
    assertThat(c.mix()).hasSize(Persona.values().length).allSatisfy((p, w) -> assertThat(w).isEqualTo(1.0));
    assertThat(c.currency()).isEqualTo("EUR");
    assertThat(c.duplicateRate()).isZero();
    assertThat(c.end()).isEqualTo(Instant.parse("2026-06-30T00:00:00Z"));
  }

  @Test
  void withHelpersChangeOnlyTheirField() {
    GeneratorConfig c = GeneratorConfig.defaults().withSeed(7).withCustomers(10).withSpan(Duration.ofDays(3))
        .withDuplicateRate(0.2);
    assertThat(c).isEqualTo(new GeneratorConfig(7, 10, GeneratorConfig.defaults().start(), Duration.ofDays(3),
        GeneratorConfig.defaults().mix(), "EUR", 0.2));
  }

  @Test
  void missingPersonasGetWeightZeroAndTheMixIsCopied() {
    Map<Persona, Double> mix = new EnumMap<>(Persona.class);
    mix.put(Persona.LOYAL, 2.0);
    GeneratorConfig c = GeneratorConfig.defaults().withMix(mix);
    mix.put(Persona.NEW, 5.0);
    assertThat(c.mix()).containsEntry(Persona.LOYAL, 2.0).containsEntry(Persona.NEW, 0.0)
        .hasSize(Persona.values().length);
  }

  @Test
  void rejectsInvalidValuesWithClearMessages() {
    GeneratorConfig d = GeneratorConfig.defaults();
    assertThatThrownBy(() -> d.withCustomers(0)).hasMessageContaining("customers must be >= 1");
    assertThatThrownBy(() -> d.withSpan(Duration.ofHours(23))).hasMessageContaining("span must be at least 1 day");
    assertThatThrownBy(() -> d.withDuplicateRate(-0.1)).hasMessageContaining("duplicateRate must be in [0, 1)");
    assertThatThrownBy(() -> d.withDuplicateRate(1.0)).hasMessageContaining("duplicateRate must be in [0, 1)");
    assertThatThrownBy(() -> d.withMix(Map.of(Persona.LOYAL, -1.0))).hasMessageContaining("LOYAL must be finite and >= 0");
    assertThatThrownBy(() -> d.withMix(Map.of(Persona.LOYAL, 0.0))).hasMessageContaining("positive sum");
    assertThatThrownBy(() -> new GeneratorConfig(1, 1, d.start(), d.span(), d.mix(), "euro", 0))
        .hasMessageContaining("ISO 4217");
    assertThatThrownBy(() -> new GeneratorConfig(1, 1, d.start().plusNanos(1), d.span(), d.mix(), "EUR", 0))
        .hasMessageContaining("millisecond precision");
  }
}
