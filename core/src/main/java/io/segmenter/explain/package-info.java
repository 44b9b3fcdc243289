/**
 * Plain-rule explanations of segments: a small CART decision tree ({@link io.segmenter.explain.DecisionTree})
 * fitted on a sample of customers' features and the segments a model gave them, read as rules per
 * segment with their support, precision and the tree's fidelity ({@link io.segmenter.explain.SegmentRules}).
 * Pure: no Kafka.
 */
package io.segmenter.explain;
