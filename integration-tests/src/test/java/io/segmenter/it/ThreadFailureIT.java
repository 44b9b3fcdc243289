package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.service.SegmenterService;
import io.segmenter.service.TopicSetup;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stream thread that fails on every record, on a real broker: the events were written with a schema
 * the registry knew, and when segmenter starts that registry is gone and another answers only its
 * configuration (enough for the start-up reachability check) and 503 to every schema lookup, as a
 * registry whose storage is down would; so every thread fails on the first record (an unknown schema
 * id that the registry cannot serve is retriable: the deserialization handler fails the thread rather
 * than dead-letter an event that is fine). The service replaces each
 * thread after a doubling wait, and once the configured number of failures is reached within the
 * window, {@code /health/live} (and {@code /health/ready}) answer 503 so that an orchestrator would
 * restart the process.
 */
class ThreadFailureIT {
  @RegisterExtension
  static final SharedKafka KAFKA = new SharedKafka();

  private static final int FAILURES_MAX = 4;
  /**
   * Large enough that the doubling shows through the rest of each cycle: between a replacement and
   * its failure lies a rebalance that waits for the old member's session to expire (6 s here) and
   * varied by 5 s from run to run on a loaded 2-core machine.
   */
  private static final Duration INITIAL_BACKOFF = Duration.ofSeconds(4);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  private static final Duration DEADLINE = Duration.ofMinutes(3);
  /** How much longer than its backoff a replacement may take to be asked for (scheduling). */
  private static final long WAIT_TOLERANCE_MS = 1_500;
  private static final List<String> CUSTOMERS = List.of("tf-cust-1", "tf-cust-2", "tf-cust-3", "tf-cust-4", "tf-cust-5");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One answer of /health/live while the test watched. */
  private record Probe(Instant at, int status, int failures, String state) { }

  @Test
  @Timeout(300)
  void aThreadFailingOnEveryRecordIsReplacedEverMoreSlowlyUntilLivenessFails() throws Exception {
    String app = SharedKafka.uniqueName("thread-failure-it");
    Map<String, Object> settings = settings(app);

    // Events whose schema only the (soon gone) registry knows.
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      settings.put(SegmenterConfig.SCHEMA_REGISTRY_URL, registry.url());
      SegmenterConfig config = new SegmenterConfig(settings);
      TopicSetup.createMissing(config, KAFKA.clientConfig());
      try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
        for (int i = 0; i < 20; i++) {
          String customer = CUSTOMERS.get(i % CUSTOMERS.size());
          sender.send(customer, Fixtures.click(customer, i));
        }
        sender.flush();
      }
    }

    settings.put(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + failingRegistry().getAddress().getPort());
    List<Probe> probes = new ArrayList<>();
    try (SegmenterService service = SegmenterService.start(new SegmenterConfig(settings))) {
      String base = "http://127.0.0.1:" + service.httpPort();
      Instant deadline = Instant.now().plus(DEADLINE);
      while (true) {
        HttpResponse<String> live = get(base + "/health/live");
        JsonNode body = JSON.readTree(live.body());
        probes.add(new Probe(Instant.now(), live.statusCode(), body.path("threadFailures").path("failures").asInt(),
            body.path("state").asText()));
        if (live.statusCode() == 503) break;
        assertThat(Instant.now()).as("/health/live 503 within %s; last answer %s", DEADLINE, live.body()).isBefore(deadline);
        Thread.sleep(100); // poll interval of a probe with a deadline
      }
      HttpResponse<String> ready = get(base + "/health/ready");
      HttpResponse<String> summary = get(base + "/health");
      String metrics = get(base + "/metrics").body();

      JsonNode failures = JSON.readTree(summary.body()).path("threadFailures");
      List<Instant> failedAt = new ArrayList<>();
      List<Long> backoffs = new ArrayList<>();
      List<Instant> replacedAt = new ArrayList<>();
      for (JsonNode f : failures.path("recent")) {
        failedAt.add(Instant.parse(f.path("failedAt").asText()));
        backoffs.add(f.path("backoffMs").asLong());
        replacedAt.add(f.path("replacedAt").isNull() ? null : Instant.parse(f.path("replacedAt").asText()));
      }
      print(failedAt, backoffs, replacedAt, probes);

      // The policy's waits double from the initial backoff.
      assertThat(backoffs).as("backoff of each failure (ms)").startsWith(4_000L, 8_000L, 16_000L, 32_000L);
      assertThat(failedAt).hasSizeGreaterThanOrEqualTo(FAILURES_MAX);
      // The replacements really waited that long: each was asked for its backoff after the failure...
      for (int i = 0; i < failedAt.size(); i++) {
        if (replacedAt.get(i) == null) continue; // still waiting (the last one)
        long waited = Duration.between(failedAt.get(i), replacedAt.get(i)).toMillis();
        assertThat(waited).as("wait before replacement %d (ms)", i + 1)
            .isBetween(backoffs.get(i), backoffs.get(i) + WAIT_TOLERANCE_MS);
      }
      // ...so the next failure (of the replacement) came later than the wait, and the gaps grow.
      List<Long> gaps = new ArrayList<>();
      for (int i = 1; i < failedAt.size(); i++) {
        long gap = Duration.between(failedAt.get(i - 1), failedAt.get(i)).toMillis();
        assertThat(gap).as("gap between failures %d and %d (ms)", i, i + 1).isGreaterThanOrEqualTo(backoffs.get(i - 1));
        gaps.add(gap);
      }
      assertThat(gaps.get(gaps.size() - 1)).as("the last gap against the first (ms): %s", gaps).isGreaterThan(gaps.get(0));

      // Liveness: UP with fewer failures than the limit, DOWN from the limit on, though the streams still run.
      for (Probe p : probes) {
        assertThat(p.status()).as("/health/live with %d failures (limit %d) at %s", p.failures(), FAILURES_MAX, p.at())
            .isEqualTo(p.failures() < FAILURES_MAX ? 200 : 503);
      }
      Probe last = probes.get(probes.size() - 1);
      assertThat(last.failures()).isEqualTo(FAILURES_MAX);
      assertThat(last.state()).as("the streams themselves").isIn("RUNNING", "REBALANCING");
      assertThat(probes).as("liveness was UP one failure before the limit")
          .anySatisfy(p -> assertThat(p.failures()).isEqualTo(FAILURES_MAX - 1));
      assertThat(ready.statusCode()).as("/health/ready: %s", ready.body()).isEqualTo(503);
      assertThat(summary.statusCode()).isEqualTo(503);

      PrometheusText m = PrometheusText.parse(metrics);
      assertThat(m.named("segmenter_stream_thread_failures_total")).anySatisfy(s -> {
        assertThat(s.labels()).containsEntry("thread", "stream");
        assertThat(s.value()).isGreaterThanOrEqualTo(FAILURES_MAX);
      });
      assertThat(m.sum("segmenter_live")).isZero();
      assertThat(m.sum("segmenter_stream_thread_failures_in_window")).isEqualTo(FAILURES_MAX);
      assertThat(m.sum("segmenter_stream_thread_replacement_backoff_seconds"))
          .isEqualTo(backoffs.get(FAILURES_MAX - 1) / 1000.0);
      for (String id : CUSTOMERS) assertThat(metrics).as("a customer id in /metrics").doesNotContain("\"" + id + "\"");
    }
  }

  /** The registries of {@link #failingRegistry}, stopped after the test. */
  private static final List<HttpServer> SERVERS = new CopyOnWriteArrayList<>();

  /**
   * A registry that is up but cannot serve schemas: GET /config answers (the start-up check passes),
   * everything else 503 with a registry error body.
   */
  private static HttpServer failingRegistry() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      boolean config = exchange.getRequestURI().getPath().equals("/config");
      byte[] body = (config ? "{\"compatibilityLevel\":\"BACKWARD\"}" : "{\"error_code\":50301,\"message\":\"storage down\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
      exchange.sendResponseHeaders(config ? 200 : 503, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    SERVERS.add(server);
    return server;
  }

  @AfterAll
  static void stopRegistries() {
    SERVERS.forEach(server -> server.stop(0));
  }

  private static Map<String, Object> settings(String app) throws Exception {
    Map<String, Object> p = new HashMap<>(KAFKA.clientConfig());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    for (String key : List.of(SegmenterConfig.TOPIC_CLICKS, SegmenterConfig.TOPIC_ORDERS, SegmenterConfig.TOPIC_ERASURES,
        SegmenterConfig.TOPIC_SEGMENT_CHANGES, SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS, SegmenterConfig.TOPIC_SEGMENT_CATALOG,
        SegmenterConfig.TOPIC_DLQ)) {
      p.put(key, app + "-" + key.substring("segmenter.topic.".length()).replace('.', '-'));
    }
    p.put(StreamsConfig.STATE_DIR_CONFIG,
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), app + "-state-").toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(SegmenterConfig.TOPICS_PARTITIONS, 2);
    p.put(SegmenterConfig.HTTP_PORT, 0);
    // Access control has its own test (HttpSecurityIT); here the endpoints are read without credentials.
    p.put(SegmenterConfig.HTTP_ACCESS_CONTROL, false);
    p.put(SegmenterConfig.HTTP_HOST, "127.0.0.1");
    p.put(SegmenterConfig.HTTP_ADVERTISED_HOST, "127.0.0.1");
    p.put(SegmenterConfig.THREAD_BACKOFF_INITIAL_MS, INITIAL_BACKOFF.toMillis());
    p.put(SegmenterConfig.THREAD_BACKOFF_MAX_MS, MAX_BACKOFF.toMillis());
    p.put(SegmenterConfig.THREAD_FAILURES_MAX, FAILURES_MAX);
    p.put(SegmenterConfig.THREAD_FAILURES_WINDOW_MS, Duration.ofMinutes(10).toMillis());
    // Each failure is quick: no retry against the failing registry.
    p.put("max.retries", 0);
    // A replaced thread's consumer does not leave the group (Kafka Streams closes it "remain in
    // group"): the rebalance that hands its tasks to the new thread waits for its session to expire.
    // 6 s is the broker's minimum; the default 45 s would only make the test slow.
    p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000);
    p.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_500);
    return p;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void print(List<Instant> failedAt, List<Long> backoffs, List<Instant> replacedAt, List<Probe> probes) {
    System.out.println("ThreadFailureIT: failure | failed at | backoff | replacement asked for at | waited | gap since the previous failure");
    for (int i = 0; i < failedAt.size(); i++) {
      String replaced = replacedAt.get(i) == null ? "(waiting)" : replacedAt.get(i).toString();
      String waited = replacedAt.get(i) == null ? "-" : Duration.between(failedAt.get(i), replacedAt.get(i)).toMillis() + " ms";
      String gap = i == 0 ? "-" : Duration.between(failedAt.get(i - 1), failedAt.get(i)).toMillis() + " ms";
      System.out.printf("ThreadFailureIT: %d | %s | %d ms | %s | %s | %s%n", i + 1, failedAt.get(i), backoffs.get(i),
          replaced, waited, gap);
    }
    Probe firstDown = probes.stream().filter(p -> p.status() == 503).findFirst().orElse(null);
    System.out.printf("ThreadFailureIT: %d liveness probes; first 503 at %s with %s failures (state %s)%n", probes.size(),
        firstDown == null ? "-" : firstDown.at(), firstDown == null ? "-" : firstDown.failures(),
        firstDown == null ? "-" : firstDown.state());
  }
}
