package io.segmenter.config;

import io.segmenter.model.ModelAggregator;

/**
 * One segmentation strategy as this deployment runs it: its model settings, the first id of its
 * segments, and its own internal topics (the default strategy's are the plain model topics, so a
 * deployment without challengers is unchanged).
 *
 * @param idBase the first segment id of the strategy's range ({@link io.segmenter.strategy.StrategySpec#idBase})
 */
public record StrategySettings(String name, ModelAggregator.Settings model, int idBase, String deltasTopic,
    String modelTopic) {

  public boolean isDefault() {
    return idBase == 0;
  }
}
