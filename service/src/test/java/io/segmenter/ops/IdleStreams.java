package io.segmenter.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.topology.SegmenterRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;

/**
 * A real KafkaStreams that is never started (state CREATED, NOT_RUNNING once closed), with its
 * settings, runtime and meters: what the operations server answers from in tests that need no broker.
 */
final class IdleStreams implements AutoCloseable {
  final Path stateDir;
  final SegmenterConfig config;
  final KafkaStreams streams;
  final PrometheusMeterRegistry meters;
  final SegmenterRuntime runtime;
  final HostInfo self;

  private IdleStreams(Path stateDir, SegmenterConfig config, KafkaStreams streams, PrometheusMeterRegistry meters,
      SegmenterRuntime runtime, HostInfo self) {
    this.stateDir = stateDir;
    this.config = config;
    this.streams = streams;
    this.meters = meters;
    this.runtime = runtime;
    this.self = self;
  }

  /** Streams advertised at 127.0.0.1:{@code port}, with extra segmenter settings. */
  static IdleStreams at(int port, Map<String, Object> extra) throws Exception {
    Path stateDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ops-test-");
    Map<String, Object> settings = new HashMap<>(Map.of(
        SegmenterConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:9",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
        StreamsConfig.APPLICATION_ID_CONFIG, "ops-server-test",
        StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
        // Nothing listens there: keep the clients' reconnect attempts (and their warnings) rare.
        "reconnect.backoff.ms", 60_000,
        "reconnect.backoff.max.ms", 60_000));
    settings.putAll(extra);
    SegmenterConfig config = new SegmenterConfig(settings);
    Topology topology = new Topology();
    topology.addSource("in", "ops-test-input");
    Properties props = config.streamsProperties();
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + port);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new IdleStreams(stateDir, config, new KafkaStreams(topology, props), meters, new SegmenterRuntime(meters),
        new HostInfo("127.0.0.1", port));
  }

  OpsContext context(ThreadFailurePolicy threadFailures) {
    return new OpsContext(streams, runtime, config, meters, self, threadFailures);
  }

  @Override
  public void close() throws Exception {
    streams.close(Duration.ofSeconds(10));
    try (var paths = Files.walk(stateDir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
