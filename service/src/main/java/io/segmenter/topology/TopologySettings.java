package io.segmenter.topology;

import io.segmenter.clv.ClvModel;
import io.segmenter.clv.ClvSettings;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.evaluation.EvaluatorSettings;
import io.segmenter.model.ModelAggregator;
import io.segmenter.privacy.Pseudonymiser;

/**
 * The settings the processors need, read once from {@link SegmenterConfig}. {@code exactlyOnce}:
 * whether the topology puts the profiles' write-behind layer ({@link WriteBehindStore}, holding at
 * most {@code profilesRemembered} profiles) and the inactivity index's flush hook
 * ({@link FlushHookStore}) on their stores; both only under exactly-once.
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
}
