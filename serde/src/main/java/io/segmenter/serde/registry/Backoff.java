package io.segmenter.serde.registry;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th wait (n = 1, 2, ...) is drawn from [3/4, 1] of
 * min(max, initial * 2^(n-1)). Jitter keeps many clients that failed together from retrying in
 * lock step; the cap keeps the total bounded, so callers can compute a worst case.
 */
final class Backoff {
  private static final double JITTER = 0.25;

  private final long initialMs;
  private final long maxMs;
  private final DoubleSupplier random; // uniform in [0, 1)

  Backoff(long initialMs, long maxMs) {
    this(initialMs, maxMs, () -> ThreadLocalRandom.current().nextDouble());
  }

  Backoff(long initialMs, long maxMs, DoubleSupplier random) {
    if (initialMs < 0 || maxMs < initialMs) {
      throw new IllegalArgumentException("need 0 <= initialMs <= maxMs, got " + initialMs + ", " + maxMs);
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  /** The wait before retry number {@code retry} (1 for the first retry). */
  long delayMs(int retry) {
    return Math.round(nominalMs(retry) * (1 - JITTER * random.getAsDouble()));
  }

  /** The longest {@link #delayMs} can be for this retry: the bound tests and callers can rely on. */
  long nominalMs(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry numbers start at 1, got " + retry);
    }
    int doublings = Math.min(retry - 1, 62); // past this, the cap has long been reached
    long nominal = initialMs << doublings;
    return nominal < 0 || (doublings > 0 && nominal >> doublings != initialMs) ? maxMs : Math.min(maxMs, nominal);
  }
}
