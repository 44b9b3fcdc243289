package io.segmenter.evaluation;

import io.segmenter.clv.ClvSettings;
import io.segmenter.profile.ProfileConfig;

/**
 * What the evaluator needs to decide about one customer, read once from the configuration.
 *
 * @param hysteresisMargin a customer moves only when the new centre is closer by this fraction
 * @param activeWindowMs no Champions-like segment without an order in this window
 * @param recheckIntervalMs a customer is re-evaluated at most this long after the last evaluation
 * @param sampleIntervalMs a customer contributes at most one training point per this much time
 * @param warmupPoints sample cap of a training point before the first model version
 * @param sampleCap sample cap of a training point once a model exists
 * @param clv the predictive settings, or null with predictive scoring off
 */
public record EvaluatorSettings(ProfileConfig profile, double hysteresisMargin, long activeWindowMs,
    long recheckIntervalMs, long sampleIntervalMs, int warmupPoints, int sampleCap, ClvSettings clv) {

  public boolean clvEnabled() {
    return clv != null;
  }
}
