package io.segmenter.generator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link SyntheticGenerator} generates. Persona mix weights are relative (they need not sum
 * to 1); a persona missing from the mix gets weight 0.
 *
 * @param seed          seed of every random draw: same config, same events
 * @param customers     number of customers, at least 1
 * @param start         first instant of the simulation (millisecond precision)
 * @param span          simulated duration, at least one day; events fall in [start, start + span)
 * @param mix           relative weight of each persona, non-negative, positive sum
 * @param currency      ISO 4217 code put on every order
 * @param duplicateRate probability in [0, 1) that an event is re-sent once (a producer retry)
 */
public record GeneratorConfig(long seed, int customers, Instant start, Duration span,
    Map<Persona, Double> mix, String currency, double duplicateRate) {

  private static final Pattern ISO_CURRENCY = Pattern.compile("[A-Z]{3}");
  // Personas are defined over days ("last 14 days", "every 2-4 days"): shorter spans make no sense.
  private static final Duration MIN_SPAN = Duration.ofDays(1);

  public GeneratorConfig {
    if (customers < 1) throw new IllegalArgumentException("customers must be >= 1: " + customers);
    Objects.requireNonNull(start, "start");
    if (start.getNano() % 1_000_000 != 0) {
      // Avro timestamp-millis would silently drop the rest: refuse rather than surprise.
      throw new IllegalArgumentException("start must have millisecond precision: " + start);
    }
    Objects.requireNonNull(span, "span");
    if (span.compareTo(MIN_SPAN) < 0) throw new IllegalArgumentException("span must be at least 1 day: " + span);
    if (span.getNano() % 1_000_000 != 0) throw new IllegalArgumentException("span must have millisecond precision: " + span);
    mix = normaliseMix(mix);
    Objects.requireNonNull(currency, "currency");
    if (!ISO_CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code (3 capital letters): '" + currency + "'");
    }
    if (!(duplicateRate >= 0 && duplicateRate < 1)) {
      throw new IllegalArgumentException("duplicateRate must be in [0, 1): " + duplicateRate);
    }
  }

  /** Seed 42, 1,000 customers, 180 days from 2026-01-01T00:00Z, equal mix, EUR, no duplicates. */
  public static GeneratorConfig defaults() {
    Map<Persona, Double> equal = new EnumMap<>(Persona.class);
    for (Persona p : Persona.values()) equal.put(p, 1.0);
    return new GeneratorConfig(42L, 1_000, Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(180),
        equal, "EUR", 0.0);
  }

  public GeneratorConfig withSeed(long newSeed) {
    return new GeneratorConfig(newSeed, customers, start, span, mix, currency, duplicateRate);
  }

  public GeneratorConfig withCustomers(int newCustomers) {
    return new GeneratorConfig(seed, newCustomers, start, span, mix, currency, duplicateRate);
  }

  public GeneratorConfig withSpan(Duration newSpan) {
    return new GeneratorConfig(seed, customers, start, newSpan, mix, currency, duplicateRate);
  }

  /** Same config starting at {@code newStart} (truncated to milliseconds, which Avro keeps). */
  public GeneratorConfig withStart(Instant newStart) {
    Objects.requireNonNull(newStart, "start");
    return new GeneratorConfig(seed, customers, newStart.truncatedTo(ChronoUnit.MILLIS), span, mix, currency, duplicateRate);
  }

  public GeneratorConfig withCurrency(String newCurrency) {
    return new GeneratorConfig(seed, customers, start, span, mix, newCurrency, duplicateRate);
  }

  public GeneratorConfig withDuplicateRate(double newRate) {
    return new GeneratorConfig(seed, customers, start, span, mix, currency, newRate);
  }

  public GeneratorConfig withMix(Map<Persona, Double> newMix) {
    return new GeneratorConfig(seed, customers, start, span, newMix, currency, duplicateRate);
  }

  /** End of the simulation, exclusive. */
  public Instant end() {
    return start.plus(span).truncatedTo(ChronoUnit.MILLIS);
  }

  private static Map<Persona, Double> normaliseMix(Map<Persona, Double> mix) {
    Objects.requireNonNull(mix, "mix");
    // Iterated rather than containsKey(null): immutable maps throw on a null query.
    for (Persona p : mix.keySet()) {
      if (p == null) throw new IllegalArgumentException("mix has a null persona");
    }
    Map<Persona, Double> copy = new EnumMap<>(Persona.class);
    double sum = 0;
    for (Persona p : Persona.values()) {
      Double w = mix.getOrDefault(p, 0.0);
      if (w == null || !Double.isFinite(w) || w < 0) {
        throw new IllegalArgumentException("mix weight of " + p + " must be finite and >= 0: " + w);
      }
      copy.put(p, w);
      sum += w;
    }
    if (!(sum > 0)) throw new IllegalArgumentException("mix weights must have a positive sum: " + mix);
    return Collections.unmodifiableMap(copy);
  }
}
