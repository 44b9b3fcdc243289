package io.segmenter.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What one Kafka Streams instance of segmenter shares between its topology and its operations side
 * (HTTP queries, metrics): the newest model, the meters, and the populations of the segments in the
 * tasks this instance runs. One per instance, never static: two instances in one JVM stay apart.
 */
public final class SegmenterRuntime {
  private final ModelHolder model = new ModelHolder();
  private final LocalPopulations populations = new LocalPopulations();
  private final SegmenterMetrics metrics;
  private final StoreWriteHook writeHook;

  public SegmenterRuntime(MeterRegistry registry) {
    this(registry, StoreWriteHook.NONE);
  }

  /** With a hook the store wrappers call before each write (fault-injection tests; see {@link StoreWriteHook}). */
  public SegmenterRuntime(MeterRegistry registry, StoreWriteHook writeHook) {
    this.metrics = new SegmenterMetrics(registry, model, populations);
    this.writeHook = writeHook;
  }

  /** A runtime whose meters are kept in memory only (tests, tools that do not serve /metrics). */
  public static SegmenterRuntime standalone() {
    return new SegmenterRuntime(new SimpleMeterRegistry());
  }

  public ModelHolder model() {
    return model;
  }

  public LocalPopulations populations() {
    return populations;
  }

  public SegmenterMetrics metrics() {
    return metrics;
  }

  StoreWriteHook writeHook() {
    return writeHook;
  }
}
