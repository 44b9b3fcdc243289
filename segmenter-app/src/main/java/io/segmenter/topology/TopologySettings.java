package io.segmenter.topology;

import io.segmenter.clv.ClvModel;
import io.segmenter.clv.ClvSettings;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.model.ModelAggregator;
import io.segmenter.profile.ProfileConfig;

/** The settings the processors need, read once from {@link SegmenterConfig}. */
record TopologySettings(
    ProfileConfig profile,
    ModelAggregator.Settings model,
    double hysteresisMargin,
    long activeWindowMs,
    long recheckIntervalMs,
    long punctuateIntervalMs,
    long streamPunctuateIntervalMs,
    int maxPerTick,
    long dedupTtlMs,
    boolean hybridClock,
    String currency,
    long maxFutureMs,
    long minEventTime,
    double maxAmount,
    int deltaPoints,
    long deltaIntervalMs,
    long sampleIntervalMs,
    boolean clvEnabled,
    ClvSettings clv,
    ClvModel clvFile) {

  static TopologySettings from(SegmenterConfig c) {
    return new TopologySettings(
        c.profileConfig(),
        c.modelSettings(),
        c.getDouble(SegmenterConfig.SEGMENT_HYSTERESIS),
        Math.round(c.getDouble(SegmenterConfig.SEGMENT_ACTIVE_DAYS) * 86_400_000d),
        c.getLong(SegmenterConfig.INACTIVITY_RECHECK_MS),
        c.getLong(SegmenterConfig.INACTIVITY_PUNCTUATE_MS),
        c.getLong(SegmenterConfig.INACTIVITY_STREAM_PUNCTUATE_MS),
        c.getInt(SegmenterConfig.INACTIVITY_MAX_PER_TICK),
        c.getLong(SegmenterConfig.DEDUP_TTL_MS),
        c.hybridClock(),
        c.getString(SegmenterConfig.CURRENCY),
        c.getLong(SegmenterConfig.MAX_FUTURE_MS),
        c.minEventTimeMs(),
        c.getDouble(SegmenterConfig.MAX_AMOUNT),
        c.getInt(SegmenterConfig.MODEL_DELTA_POINTS),
        c.getLong(SegmenterConfig.MODEL_DELTA_INTERVAL_MS),
        c.getLong(SegmenterConfig.MODEL_SAMPLE_INTERVAL_MS),
        c.clvEnabled(),
        c.clvSettings(),
        c.clvParametersFromFile());
  }
}
