package io.segmenter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segmenter.model.Features;
import io.segmenter.testing.ManualClock;
import io.segmenter.topology.SegmenterRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real server on a free port, asked by a real HTTP client, in front of a real KafkaStreams that is
 * never started (state CREATED, then NOT_RUNNING once closed): what the endpoints answer when the
 * streams cannot serve, and the HTTP rules (404, 405, HEAD, content types).
 */
class OpsServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private OpsServer server;
  private KafkaStreams streams;
  private PrometheusMeterRegistry meters;
  private SegmenterRuntime runtime;
  private IdleStreams idle;
  private final ManualClock clock = new ManualClock(java.time.Instant.parse("2026-11-23T10:00:00Z"));
  /** Stream-thread failures: 3 within 10 minutes end liveness. */
  private final ThreadFailurePolicy threadFailures = new ThreadFailurePolicy(new ThreadFailurePolicy.Settings(
      Duration.ofSeconds(1), Duration.ofSeconds(60), 3, Duration.ofMinutes(10)), clock);

  @BeforeEach
  void start() throws Exception {
    server = OpsServer.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    if (idle != null) idle.close();
  }

  /** Gives the server a context over a never-started KafkaStreams. */
  private void serve() throws Exception {
    idle = IdleStreams.at(server.port(), Map.of());
    streams = idle.streams;
    meters = idle.meters;
    meters.counter("ops.test.requests").increment(3);
    runtime = idle.runtime;
    server.serve(idle.context(threadFailures));
  }

  @Test
  void beforeServeItIsAliveButNotReady() throws Exception {
    HttpResponse<String> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(json(live).get("status").asText()).isEqualTo("UP");
    assertThat(json(live).get("state").asText()).isEqualTo("STARTING");
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(json(ready).get("status").asText()).isEqualTo("DOWN");
    HttpResponse<String> model = get("/model");
    assertThat(model.statusCode()).isEqualTo(503);
    assertThat(model.headers().firstValue("Retry-After")).hasValue("1");
  }

  @Test
  void readinessFollowsTheStreamsStateAndLivenessEndsWhenTheyStop() throws Exception {
    serve();
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(ready).get("state").asText()).isEqualTo("CREATED");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    streams.close(Duration.ofSeconds(10));
    assertThat(streams.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    HttpResponse<String> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(json(live).get("status").asText()).isEqualTo("DOWN");
    assertThat(json(live).get("state").asText()).isEqualTo("NOT_RUNNING");
  }

  @Test
  void livenessEndsWhenStreamThreadsFailTooOftenAndReturnsWhenTheFailuresAge() throws Exception {
    serve();
    JsonNode fresh = json(get("/health/live"));
    assertThat(fresh.get("threadFailures").get("failures").asInt()).isZero();
    assertThat(fresh.get("threadFailures").get("limit").asInt()).isEqualTo(3);
    assertThat(fresh.get("threadFailures").get("windowMs").asLong()).isEqualTo(600_000L);
    assertThat(fresh.get("threadFailures").get("lastFailure").isNull()).isTrue();

    threadFailures.replacementStarted(threadFailures.streamThreadFailed().number());
    clock.advance(Duration.ofMinutes(1));
    ThreadFailurePolicy.Decision second = threadFailures.streamThreadFailed();
    HttpResponse<String> waiting = get("/health/live");
    assertThat(waiting.statusCode()).as("2 failures, limit 3").isEqualTo(200);
    JsonNode failures = json(waiting).get("threadFailures");
    assertThat(failures.get("failures").asInt()).isEqualTo(2);
    assertThat(failures.get("backoffMs").asLong()).isEqualTo(2_000L);
    assertThat(failures.get("nextBackoffMs").asLong()).isEqualTo(4_000L);
    assertThat(failures.get("waiting").asInt()).isEqualTo(1);
    assertThat(failures.get("lastFailure").asText()).isEqualTo("2026-11-23T10:01:00Z");
    assertThat(failures.get("recent").size()).isEqualTo(2);
    assertThat(failures.get("recent").get(0).get("replacedAt").asText()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(failures.get("recent").get(1).get("replacedAt").isNull()).isTrue();
    threadFailures.replacementStarted(second.number());

    clock.advance(Duration.ofMinutes(1));
    threadFailures.streamThreadFailed();
    HttpResponse<String> down = get("/health/live");
    assertThat(down.statusCode()).as("3 failures within 10 minutes").isEqualTo(503);
    assertThat(json(down).get("status").asText()).isEqualTo("DOWN");
    assertThat(json(down).get("state").asText()).as("the streams themselves are fine").isEqualTo("CREATED");
    assertThat(json(down).get("reason").asText()).contains("3 stream-thread failures");
    HttpResponse<String> summary = get("/health");
    assertThat(summary.statusCode()).isEqualTo(503);
    assertThat(json(summary).get("live").asBoolean()).isFalse();
    assertThat(json(summary).get("ready").asBoolean()).isFalse();
    assertThat(json(summary).get("threadFailures").get("failures").asInt()).isEqualTo(3);
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);

    clock.advance(Duration.ofMinutes(8)); // the first failure (10:00) leaves the 10-minute window
    HttpResponse<String> back = get("/health/live");
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(json(back).get("threadFailures").get("failures").asInt()).isEqualTo(2);
    assertThat(json(get("/health")).get("live").asBoolean()).isTrue();
  }

  @Test
  void aGlobalThreadFailureEndsLivenessAtOnce() throws Exception {
    serve();
    threadFailures.globalThreadFailed();
    HttpResponse<String> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(json(live).get("threadFailures").get("globalThreadFailed").asBoolean()).isTrue();
    assertThat(json(live).get("reason").asText()).contains("global thread");
  }

  @Test
  void metricsInPrometheusOrOpenMetricsFormatIncludingKafkaStreams() throws Exception {
    serve();
    HttpResponse<String> text = get("/metrics");
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(text.body()).contains("ops_test_requests_total 3.0");
    // Kafka Streams' client-level metrics exist before start; the binder registers them at once.
    assertThat(text.body()).contains("kafka_stream_");
    assertThat(text.body()).doesNotContain("# EOF");

    HttpResponse<String> open = send(HttpRequest.newBuilder(uri("/metrics"))
        .header("Accept", "application/openmetrics-text; version=1.0.0, text/plain;q=0.5").GET());
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
    assertThat(open.body()).contains("ops_test_requests_total 3.0").endsWith("# EOF\n");

    server.close();
    assertThat(meters.getMeters()).extracting(m -> m.getId().getName()).noneMatch(n -> n.startsWith("kafka."))
        .anyMatch(n -> n.equals("ops.test.requests"));
  }

  @Test
  void queriesAnswer503WhileTheStreamsCannotServe() throws Exception {
    serve();
    HttpResponse<String> customer = get("/customers/customer-1");
    assertThat(customer.statusCode()).isEqualTo(503);
    assertThat(customer.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(customer).get("error").asText()).contains("CREATED");
    assertThat(get("/customers/customer-1?at=yesterday").statusCode()).isEqualTo(400);
  }

  @Test
  void modelIs404BeforeTheFirstVersionThenServed() throws Exception {
    serve();
    HttpResponse<String> none = get("/model");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(json(none).get("version").isNull()).isTrue();

    runtime.model().offer(TestModels.model(3, new double[Features.DIMENSION], 1_000L));
    HttpResponse<String> model = get("/model");
    assertThat(model.statusCode()).isEqualTo(200);
    assertThat(json(model).get("version").asLong()).isEqualTo(3);
    assertThat(json(model).get("k").asInt()).isEqualTo(3);
  }

  @Test
  void segmentsAnswerWithWhatThisInstanceKnowsMarkedPartialWhenTheOthersAreUnknown() throws Exception {
    serve();
    runtime.model().offer(TestModels.model(2, new double[Features.DIMENSION], 1_000L));
    HttpResponse<String> segments = get("/segments");
    assertThat(segments.statusCode()).isEqualTo(200);
    JsonNode body = json(segments);
    assertThat(body.get("modelVersion").asLong()).isEqualTo(2);
    // Not started: no metadata about the other instances, so the answer cannot claim to be complete.
    assertThat(body.get("partial").asBoolean()).isTrue();
    assertThat(body.get("segments").findValuesAsText("name")).containsExactly("Hibernating", "Loyal", "New Customers");

    HttpResponse<String> local = get("/internal/populations");
    assertThat(local.statusCode()).isEqualTo(200);
    assertThat(json(local).get("instance").asText()).isEqualTo("127.0.0.1:" + server.port());
    assertThat(json(local).get("populations").isObject()).isTrue();
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    serve();
    for (String path : new String[] {"/nope", "/customers", "/customers/a/b", "/health/other", "/health/live/x", "/metrics/x"}) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
      assertThat(json(r).get("error").asText()).as(path).isNotBlank();
    }
    HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/health/live"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(post.headers().firstValue("Connection")).as("a connection with an unread body is not reused")
        .hasValue("close");
    assertThat(json(post).get("error").asText()).contains("POST");
    assertThat(send(HttpRequest.newBuilder(uri("/model")).DELETE()).statusCode()).isEqualTo(405);

    HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/health/live"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();

    HttpResponse<String> index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(json(index).get("endpoints").toString()).contains("/customers/{id}");
  }

  @Test
  void serveTwiceIsRefused() throws Exception {
    serve();
    OpsContext again = new OpsContext(streams, runtime, null, meters, new HostInfo("127.0.0.1", server.port()));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.serve(again))
        .isInstanceOf(IllegalStateException.class);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

}
