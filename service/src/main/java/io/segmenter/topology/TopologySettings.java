package io.segmenter.topology;

import io.segmenter.clv.ClvModel;
import io.segmenter.clv.ClvSettings;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.evaluation.EvaluatorSettings;
import io.segmenter.model.ModelAggregator;
import io.segmenter.privacy.Pseudonymiser;

/**
 * The settings the processors need, read once from {@link SegmenterConfig}. {@code exactlyOnce}:
 * whether the profiles' write-behind ({@link #profilesWaiting}) and the inactivity index's held
 * bookings ({@link InactivityIndex}) are used; both only under exactly-once.
 */
record TopologySettings(
    EvaluatorSettings evaluator,
    ModelAggregator.Settings model,
    boolean modelInBackground,
    long punctuateIntervalMs,
    long streamPunctuateIntervalMs,
    int maxPerTick,
    long dedupTtlMs,
    int dedupMaxIds,
    int profilesRemembered,
    boolean exactlyOnce,
    int historyMaxChanges,
    boolean hybridClock,
    long maxAheadMs,
    String currency,
    long maxFutureMs,
    long minEventTime,
    double maxAmount,
    int deltaPoints,
    long deltaIntervalMs,
    boolean clvEnabled,
    ClvSettings clv,
    ClvModel clvFile,
    Pseudonymiser pseudonymiser,
    boolean outcomes,
    int maxCampaigns) {

  static TopologySettings from(SegmenterConfig c) {
    return new TopologySettings(
        c.evaluatorSettings(),
        c.modelSettings(),
        c.getBoolean(SegmenterConfig.MODEL_BACKGROUND),
        c.getLong(SegmenterConfig.INACTIVITY_PUNCTUATE_MS),
        c.getLong(SegmenterConfig.INACTIVITY_STREAM_PUNCTUATE_MS),
        c.getInt(SegmenterConfig.INACTIVITY_MAX_PER_TICK),
        c.getLong(SegmenterConfig.DEDUP_TTL_MS),
        c.getInt(SegmenterConfig.DEDUP_MAX_IDS),
        c.getInt(SegmenterConfig.PROFILES_REMEMBERED),
        c.exactlyOnce(),
        c.getInt(SegmenterConfig.HISTORY_MAX_CHANGES),
        c.hybridClock(),
        c.getLong(SegmenterConfig.CLOCK_MAX_AHEAD_MS),
        c.getString(SegmenterConfig.CURRENCY),
        c.getLong(SegmenterConfig.MAX_FUTURE_MS),
        c.minEventTimeMs(),
        c.getDouble(SegmenterConfig.MAX_AMOUNT),
        c.getInt(SegmenterConfig.MODEL_DELTA_POINTS),
        c.getLong(SegmenterConfig.MODEL_DELTA_INTERVAL_MS),
        c.clvEnabled(),
        c.clvSettings(),
        c.clvParametersFromFile(),
        c.pseudonymiser(),
        c.outcomesEnabled(),
        c.getInt(SegmenterConfig.OUTCOMES_MAX_CAMPAIGNS));
  }

  /**
   * How many changed profiles a task's {@link WriteBehindStore} holds until the commit: as many as it
   * remembers, under exactly-once only. At least once, a failed task's caches are flushed before it
   * closes, and a profile changed in place by the step that failed (with its event's de-duplication
   * id) would be written, so the event would be skipped when processed again; 0 writes at every step.
   */
  int profilesWaiting() {
    return exactlyOnce ? profilesRemembered : 0;
  }
}
