package io.segmenter.ops;

import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;

/**
 * An estimate, outside the stream tasks, of the "now" the topology measures recency against (see
 * docs/TOPOLOGY.md, "what now is"), so that /customers shows the features as the topology sees them.
 *
 * <p>The tasks' clocks are not reachable from here; the newest model version is: its
 * {@code createdAt} is the newest event time merged into the model, i.e. close to the application's
 * stream time. Under the hybrid clock the estimate is that time plus the wall-clock time elapsed
 * since this instance first saw it advance (the same rule as the tasks' clock), so that it follows
 * the wall clock in live traffic and stays at the replay's own present after a fast replay of
 * history, where the wall clock would make every customer months inactive. Under the event clock it
 * is the model's time alone. Observed by a periodic task ({@link #observe}) as well as on each
 * query, so the elapsed part does not start late. Thread-safe.
 */
final class ApplicationClock {
  private final boolean hybrid;
  private long streamTime = CustomerProfile.NONE;
  private long wallAtAdvance;

  ApplicationClock(boolean hybrid) {
    this.hybrid = hybrid;
  }

  /** Notes the model's time if it advanced. */
  synchronized void observe(ModelSnapshot model, long wallNow) {
    if (model != null && model.createdAt() > streamTime) {
      streamTime = model.createdAt();
      wallAtAdvance = wallNow;
    }
  }

  /** The estimate at {@code wallNow}; {@link CustomerProfile#NONE} before any model version. */
  synchronized long now(ModelSnapshot model, long wallNow) {
    observe(model, wallNow);
    if (streamTime == CustomerProfile.NONE) return CustomerProfile.NONE;
    return hybrid ? streamTime + Math.max(0, wallNow - wallAtAdvance) : streamTime;
  }

  /**
   * "Now" for a customer's features: the estimate, never before the customer's own newest event;
   * before the first model, the wall clock under the hybrid clock (the customer's newest event
   * under the event clock).
   */
  long nowFor(CustomerProfile profile, ModelSnapshot model, long wallNow) {
    long estimate = now(model, wallNow);
    if (estimate == CustomerProfile.NONE && hybrid) estimate = wallNow;
    long now = Math.max(estimate, profile.lastEventAt());
    return now == CustomerProfile.NONE ? wallNow : now;
  }
}
