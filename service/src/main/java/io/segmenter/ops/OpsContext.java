package io.segmenter.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.topology.SegmenterRuntime;
import java.time.Clock;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What the HTTP endpoints answer from: this instance's streams, runtime, settings and meters, and the
 * record of its stream-thread failures (for the health endpoints).
 */
public record OpsContext(KafkaStreams streams, SegmenterRuntime runtime, SegmenterConfig config,
    PrometheusMeterRegistry meters, HostInfo self, ThreadFailurePolicy threadFailures) {

  /** A context whose thread failures are recorded by nobody (tests of the other endpoints). */
  public OpsContext(KafkaStreams streams, SegmenterRuntime runtime, SegmenterConfig config,
      PrometheusMeterRegistry meters, HostInfo self) {
    this(streams, runtime, config, meters, self,
        new ThreadFailurePolicy(ThreadFailurePolicy.Settings.defaults(), Clock.systemUTC()));
  }
}
