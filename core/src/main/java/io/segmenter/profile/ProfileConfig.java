package io.segmenter.profile;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link CustomerProfile} is built.
 *
 * @param halfLife half-life of the decayed order and spend counters; must be at least 1 ms because
 *     the counters work in whole milliseconds
 * @param sessionMemory how many recent sessions a profile remembers to count distinct sessions;
 *     bounds both the profile size and the out-of-order guarantee
 * @param categoryLimit how many distinct categories a profile tracks before the count saturates
 * @param noActivityDays recency (in days) used when a customer never ordered or never visited, so
 *     such customers sit far away rather than at "0 days ago"
 */
public record ProfileConfig(
    Duration halfLife, int sessionMemory, int categoryLimit, double noActivityDays) {

  public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(30);
  public static final int DEFAULT_SESSION_MEMORY = 16;
  public static final int DEFAULT_CATEGORY_LIMIT = 64;
  public static final double DEFAULT_NO_ACTIVITY_DAYS = 365;

  public ProfileConfig {
    Objects.requireNonNull(halfLife, "halfLife must not be null");
    if (halfLife.toMillis() < 1) {
      throw new IllegalArgumentException("halfLife must be at least 1 ms, got " + halfLife);
    }
    if (sessionMemory < 1) {
      throw new IllegalArgumentException("sessionMemory must be positive, got " + sessionMemory);
    }
    if (categoryLimit < 1) {
      throw new IllegalArgumentException("categoryLimit must be positive, got " + categoryLimit);
    }
    // NaN fails this test too: !(NaN > 0).
    if (!(noActivityDays > 0) || Double.isInfinite(noActivityDays)) {
      throw new IllegalArgumentException(
          "noActivityDays must be positive and finite, got " + noActivityDays);
    }
  }

  public static ProfileConfig defaults() {
    return new ProfileConfig(
        DEFAULT_HALF_LIFE, DEFAULT_SESSION_MEMORY, DEFAULT_CATEGORY_LIMIT, DEFAULT_NO_ACTIVITY_DAYS);
  }

  /** The half-life in milliseconds, the unit the decayed counters work in. */
  public long halfLifeMs() {
    return halfLife.toMillis();
  }
}
