package io.segmenter.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.topology.SegmenterRuntime;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/** What the HTTP endpoints answer from: this instance's streams, runtime, settings and meters. */
public record OpsContext(KafkaStreams streams, SegmenterRuntime runtime, SegmenterConfig config,
    PrometheusMeterRegistry meters, HostInfo self) { }
