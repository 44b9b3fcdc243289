package io.segmenter.topology;

import java.util.Map;

/**
 * How many customers each segment holds in the tasks this instance runs now. Summed over the
 * instances (HTTP /segments, or Prometheus' sum()) it is the population of the segment.
 */
public final class LocalPopulations {
  /** Segment id to customers, over the tasks this instance runs; ids absent have none. */
  public Map<Integer, Long> snapshot() {
    return Map.of(); // TODO(metrics): counted per task
  }
}
