package io.segmenter.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.flows.FlowRing;
import io.segmenter.model.ModelVersions;
import io.segmenter.model.SegmentNamesSeen;

/**
 * What one Kafka Streams instance of segmenter shares between its topology and its operations side
 * (HTTP queries, metrics): the newest model, the meters, the populations of the segments in the
 * tasks this instance runs, and what the live page reads (the segment changes by minute, the model
 * versions seen). One per instance, never static: two instances in one JVM stay apart.
 */
public final class SegmenterRuntime {
  private final Strategies strategies = new Strategies();
  /** The champion's model, whichever strategy that is (see {@link Strategies}). */
  private final ModelHolder model = strategies.championModel();
  private final LocalPopulations populations = new LocalPopulations();
  private final FlowRing flows = new FlowRing();
  private final ModelVersions versions = new ModelVersions();
  private final SegmentNamesSeen names = new SegmentNamesSeen();
  private final SegmenterMetrics metrics;
  private final StoreWriteHook writeHook;

  public SegmenterRuntime(MeterRegistry registry) {
    this(registry, StoreWriteHook.NONE);
  }

  /** With a hook the store wrappers call before each write (fault-injection tests; see {@link StoreWriteHook}). */
  public SegmenterRuntime(MeterRegistry registry, StoreWriteHook writeHook) {
    this.metrics = new SegmenterMetrics(registry, model, populations, flows, versions, names);
    this.writeHook = writeHook;
  }

  /** A runtime whose meters are kept in memory only (tests, tools that do not serve /metrics). */
  public static SegmenterRuntime standalone() {
    return new SegmenterRuntime(new SimpleMeterRegistry());
  }

  public ModelHolder model() {
    return model;
  }

  /** The strategies this instance runs and which is the champion. */
  public Strategies strategies() {
    return strategies;
  }

  public LocalPopulations populations() {
    return populations;
  }

  /** The segment changes this instance emitted in the last day, by minute (fed by {@link SegmenterMetrics}). */
  public FlowRing flows() {
    return flows;
  }

  /** The last model versions this instance took in, with their drift (fed by {@link SegmenterMetrics}). */
  public ModelVersions modelVersions() {
    return versions;
  }

  /** The last name of every segment id this instance has seen, for segments the newest version retired. */
  public SegmentNamesSeen segmentNames() {
    return names;
  }

  public SegmenterMetrics metrics() {
    return metrics;
  }

  StoreWriteHook writeHook() {
    return writeHook;
  }
}
