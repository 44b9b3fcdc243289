package io.segmenter.profile;

/**
 * An exponentially decayed sum kept as (value, asOfMs): the value is exact as of asOfMs and decays
 * by half every half-life after it. Immutable.
 *
 * <p>Late inputs (before asOfMs) are decayed back to asOfMs instead of moving it, so the result
 * does not depend on the order inputs arrive in (up to floating-point rounding): asOfMs is always
 * the latest input time and value is always the sum of x * 2^(-(asOf - t) / h).
 */
public record DecayedSum(double value, long asOfMs) {
  /** Never added to. */
  public static final DecayedSum EMPTY = new DecayedSum(0, CustomerProfile.NONE);

  public boolean isEmpty() {
    return asOfMs == CustomerProfile.NONE;
  }

  public DecayedSum add(double x, long atMs, long halfLifeMs) {
    if (isEmpty()) return new DecayedSum(x, atMs);
    if (atMs >= asOfMs) {
      return new DecayedSum(value * factor(atMs - asOfMs, halfLifeMs) + x, atMs);
    }
    return new DecayedSum(value + x * factor(asOfMs - atMs, halfLifeMs), asOfMs);
  }

  /**
   * The sum decayed to nowMs. A now before asOfMs is treated as asOfMs: a caller whose clock lags
   * behind event time must not see the sum grow beyond the sum of its inputs.
   */
  public double valueAt(long nowMs, long halfLifeMs) {
    if (isEmpty()) return 0;
    return nowMs <= asOfMs ? value : value * factor(nowMs - asOfMs, halfLifeMs);
  }

  // pow(2, -1) is exactly 0.5, so one half-life later is exactly half.
  private static double factor(long elapsedMs, long halfLifeMs) {
    return Math.pow(2.0, -(double) elapsedMs / halfLifeMs);
  }
}
