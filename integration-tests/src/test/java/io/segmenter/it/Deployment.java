package io.segmenter.it;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.service.SegmenterService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One segmenter deployment on the shared broker, with names of its own (application id, topics,
 * state directory; the model topics follow from the application id) so that test classes can share the broker: settings for a quick first model, and
 * what the tests ask of a running instance (HTTP, meters, waiting on conditions with a deadline).
 */
final class Deployment {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final String name;
  final Map<String, Object> settings = new HashMap<>();

  /**
   * @param name a unique name ({@link SharedKafka#uniqueName}): the application id and the prefix of its topics
   */
  Deployment(SharedKafka kafka, String registryUrl, String name) {
    this.name = name;
    settings.put(SegmenterConfig.SCHEMA_REGISTRY_URL, registryUrl);
    settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    settings.put(StreamsConfig.APPLICATION_ID_CONFIG, name);
    settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    settings.put(SegmenterConfig.HTTP_PORT, 0);
    // Access control has its own test (HttpSecurityIT); here the endpoints are read without credentials.
    settings.put(SegmenterConfig.HTTP_ACCESS_CONTROL, false);
    settings.put(SegmenterConfig.HTTP_HOST, "127.0.0.1");
    settings.put(SegmenterConfig.HTTP_ADVERTISED_HOST, "127.0.0.1");
    settings.put(SegmenterConfig.TOPICS_PARTITIONS, 2);
    for (String topic : new String[] {SegmenterConfig.TOPIC_CLICKS, SegmenterConfig.TOPIC_ORDERS,
        SegmenterConfig.TOPIC_ERASURES, SegmenterConfig.TOPIC_SEGMENT_CHANGES, SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS,
        SegmenterConfig.TOPIC_SEGMENT_CATALOG, SegmenterConfig.TOPIC_DLQ}) {
      settings.put(topic, name + "-" + topic.substring("segmenter.topic.".length()).replace('.', '-'));
    }
    settings.put(SegmenterConfig.MODEL_WARMUP_POINTS, 100);
    settings.put(SegmenterConfig.MODEL_MIN_BATCH_POINTS, 200L);
    settings.put(SegmenterConfig.MODEL_DELTA_POINTS, 50);
    settings.put(SegmenterConfig.MODEL_DELTA_INTERVAL_MS, 500L);
    settings.put(SegmenterConfig.INACTIVITY_PUNCTUATE_MS, 1_000L);
    newStateDirectory();
  }

  /** A fresh, empty state directory for the next start: the instance restores everything from Kafka. */
  void newStateDirectory() {
    try {
      Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name + "-state-");
      settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  SegmenterConfig config() {
    return new SegmenterConfig(settings);
  }

  String topic(String key) {
    return config().getString(key);
  }

  SegmenterService start() throws Exception {
    SegmenterService service = SegmenterService.start(config());
    if (!service.awaitRunning(Duration.ofSeconds(90))) {
      service.close();
      throw new AssertionError(name + " did not reach RUNNING");
    }
    return service;
  }

  static HttpResponse<String> get(SegmenterService s, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The model version the instance assigns with, -1 before the first. */
  static long modelVersion(SegmenterService s) {
    var m = s.runtime().model().current();
    return m == null ? -1 : m.version();
  }

  /** The sum of a counter's series with the given tags (name as registered, e.g. segmenter.events.invalid). */
  static double count(SegmenterService s, String meter, String... tags) {
    return s.meters().find(meter).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      Thread.sleep(100);
    }
  }
}
