package io.segmenter.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.segmenter.topology.SegmenterMetrics;

/**
 * What a segmenter run did besides processing its input, read from its own meters: the model version
 * it ended on (versions are numbered from 1, so this is how many the run's aggregator cut), the
 * customers its inactivity punctuator re-evaluated and the segment changes it emitted. In a replay
 * of history, event time races through months in seconds, and these show the work it drives.
 */
record SegmenterCounts(long modelVersion, double reevaluations, double segmentChanges, long events) {

  static SegmenterCounts of(MeterRegistry meters, long events) {
    Gauge version = meters.find(SegmenterMetrics.MODEL_VERSION).gauge();
    return new SegmenterCounts(version == null ? -1 : (long) version.value(),
        sum(meters, SegmenterMetrics.REEVALUATIONS), sum(meters, SegmenterMetrics.SEGMENT_CHANGES), events);
  }

  private static double sum(MeterRegistry meters, String name) {
    return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  @Override
  public String toString() {
    return String.format("segmenter's meters: model version %d at the end, %,.0f inactivity re-evaluations (%.2f per "
        + "input event), %,.0f segment changes (%.3f per input event)", modelVersion, reevaluations, reevaluations / events,
        segmentChanges, segmentChanges / events);
  }
}
