package io.segmenter.generator;

/** Deterministic ids and seeds: no UUIDs, no clock, so the same config gives the same stream. */
final class Ids {
  private Ids() {
  }

  /** "cust-000001" for index 0. */
  static String customerId(int index) {
    return "cust-" + pad(index + 1, 6);
  }

  /** Zero-padded decimal; cheaper than String.format on the hot path. */
  static String pad(long value, int width) {
    String s = Long.toString(value);
    if (s.length() >= width) return s;
    return "0".repeat(width - s.length()) + s;
  }

  /**
   * Seed of one random stream of one customer. Neighbouring indexes must not give correlated
   * streams, so the inputs go through a strong 64-bit mix (Stafford variant 13) first.
   */
  static long seed(long configSeed, long index, long stream) {
    return mix(mix(configSeed ^ 0x9E3779B97F4A7C15L) + index * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
