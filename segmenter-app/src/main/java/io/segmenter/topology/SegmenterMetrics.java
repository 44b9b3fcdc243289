package io.segmenter.topology;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * segmenter's own meters (see README, "Metrics"). Never a customer id as a label: tags are event
 * types, segment names and reasons, all bounded.
 */
public final class SegmenterMetrics {
  private final MeterRegistry registry;

  SegmenterMetrics(MeterRegistry registry, ModelHolder model, LocalPopulations populations) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }
}
