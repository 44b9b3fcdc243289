/**
 * Segmentation strategies side by side: the champion and up to two challengers
 * ({@link io.segmenter.strategy.StrategySpec}), each customer's challenger segments and 30-day
 * outcome window ({@link io.segmenter.strategy.CustomerStrategies},
 * {@link io.segmenter.strategy.OutcomeWindows}), and the comparison of the strategies by what
 * customers did next ({@link io.segmenter.strategy.StrategyComparison}). Pure: no Kafka; the
 * service keeps the state in its stores and calls these.
 */
package io.segmenter.strategy;
