package io.segmenter.serde.registry;

import static io.segmenter.serde.registry.ScriptedRegistry.Reply.error;
import static io.segmenter.serde.registry.ScriptedRegistry.Reply.json;
import static io.segmenter.serde.registry.ScriptedRegistry.always;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.serde.registry.ScriptedRegistry.Reply;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retries, timeouts and fail-over, against the fault injectors {@link ScriptedRegistry} and
 * {@link SilentServer} (test doubles at the HTTP and TCP edge, not registries).
 */
@Timeout(30)
class FailureModesTest {
  private static final int MAX_RETRIES = 3;
  private static final long WAIT_MS = 20;
  private static final long MAX_WAIT_MS = 60;
  private static final long CONNECT_TIMEOUT_MS = 2_000;
  /** Allowance for JVM and scheduling overhead on a busy 2-core CI machine. */
  private static final long SLACK_MS = 2_000;

  private static final String ID_ANSWER = "{\"id\":21}";

  @Test
  void aRegistryThatKeepsFailingIsTriedMaxRetriesPlusOneTimes() {
    try (ScriptedRegistry server = ScriptedRegistry.start(always(error(503, 50003, "overloaded")));
        CachedSchemaRegistryClient client = client(server.url())) {
      assertThatThrownBy(() -> client.register("s", TestSchemas.V1))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.errorCode()).isEqualTo(50003);
            assertThat(e.getMessage()).contains("overloaded").contains("after 4 attempts");
            assertThat(e.isRetriable()).isTrue();
          });
      assertThat(server.requestCount()).isEqualTo(MAX_RETRIES + 1);
    }
  }

  @Test
  void transientErrorsAreRetriedUntilSuccess() {
    ScriptedRegistry.Script flaky =
        (request, n) -> n <= 2 ? error(503, 50003, "starting") : n == 3 ? error(429, 429, "slow down") : json(200, ID_ANSWER);
    try (ScriptedRegistry server = ScriptedRegistry.start(flaky);
        CachedSchemaRegistryClient client = client(server.url())) {
      assertThat(client.register("s", TestSchemas.V1)).isEqualTo(21);
      assertThat(server.requestCount()).isEqualTo(4);
    }
  }

  @Test
  void requestTimeoutAnswersAreRetried() {
    ScriptedRegistry.Script script = (request, n) -> n == 1 ? error(408, 408, "timeout") : json(200, ID_ANSWER);
    try (ScriptedRegistry server = ScriptedRegistry.start(script);
        CachedSchemaRegistryClient client = client(server.url())) {
      assertThat(client.register("s", TestSchemas.V1)).isEqualTo(21);
      assertThat(server.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void otherClientErrorsAreNotRetried() {
    try (ScriptedRegistry server = ScriptedRegistry.start(always(error(422, 42201, "Invalid schema")));
        CachedSchemaRegistryClient client = client(server.url())) {
      assertThatThrownBy(() -> client.register("s", TestSchemas.V1))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(422);
            assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_SCHEMA);
            assertThat(e.getMessage()).doesNotContain("attempts");
          });
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void anUnreachableRegistryFailsAfterBoundedRetries() {
    String url = "http://127.0.0.1:" + SilentServer.deadPort();
    try (CachedSchemaRegistryClient client = client(url)) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.getSchemaById(1))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.getMessage())
                .startsWith("Schema registry at " + url + " unreachable after 4 attempts: ")
                .contains("Connect");
          });
      long elapsedMs = elapsedMs(started);
      Backoff backoff = new Backoff(WAIT_MS, MAX_WAIT_MS);
      long maxBackoffMs = 0;
      long minBackoffMs = 0;
      for (int retry = 1; retry <= MAX_RETRIES; retry++) {
        maxBackoffMs += backoff.nominalMs(retry);
        minBackoffMs += backoff.nominalMs(retry) * 3 / 4;
      }
      assertThat(elapsedMs)
          .as("backed off between attempts, but no longer than the settings allow")
          .isGreaterThanOrEqualTo(minBackoffMs)
          .isLessThan(maxBackoffMs + (MAX_RETRIES + 1) * CONNECT_TIMEOUT_MS + SLACK_MS);
    }
  }

  @Test
  void aRegistryThatNeverAnswersTimesOut() throws Exception {
    long readTimeoutMs = 300;
    try (SilentServer silent = new SilentServer();
        CachedSchemaRegistryClient client =
            client(silent.url(), Map.of("http.read.timeout.ms", readTimeoutMs, "max.retries", 1))) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.getSubjects())
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
            assertThat(e.getMessage()).contains("unreachable after 2 attempts").containsIgnoringCase("timed out");
          });
      long elapsedMs = elapsedMs(started);
      assertThat(elapsedMs).isGreaterThanOrEqualTo(2 * readTimeoutMs).isLessThan(2 * readTimeoutMs + MAX_WAIT_MS + SLACK_MS);
      assertThat(silent.acceptedConnections()).isEqualTo(2);
    }
  }

  @Test
  void failsOverFromADeadUrlToALiveOne() {
    String dead = "http://127.0.0.1:" + SilentServer.deadPort();
    try (ScriptedRegistry live = ScriptedRegistry.start(always(json(200, "[\"s\"]")));
        CachedSchemaRegistryClient client = client(dead + "," + live.url(), Map.of("retries.wait.ms", 10_000, "retries.max.wait.ms", 10_000))) {
      long started = System.nanoTime();
      assertThat(client.getSubjects()).containsExactly("s");
      assertThat(elapsedMs(started)).as("fail-over does not wait for a backoff").isLessThan(10_000);
      assertThat(live.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void staysWithTheUrlThatAnsweredAfterAFailOver() throws Exception {
    try (SilentServer hung = new SilentServer();
        ScriptedRegistry live = ScriptedRegistry.start(always(json(200, "[\"s\"]")));
        CachedSchemaRegistryClient client = client(hung.url() + "," + live.url(), Map.of("http.read.timeout.ms", 200))) {
      client.getSubjects();
      client.getSubjects();
      client.getSubjects();

      assertThat(hung.acceptedConnections()).as("tried once, then skipped").isEqualTo(1);
      assertThat(live.requestCount()).isEqualTo(3);
    }
  }

  @Test
  void allUrlsDeadNamesThemAll() {
    String a = "http://127.0.0.1:" + SilentServer.deadPort();
    String b = "http://127.0.0.1:" + SilentServer.deadPort();
    try (CachedSchemaRegistryClient client = client(a + "," + b, Map.of("max.retries", 1))) {
      assertThatThrownBy(() -> client.getSubjects())
          .isInstanceOfSatisfying(SchemaRegistryException.class,
              e -> assertThat(e.getMessage()).contains("[" + a + ", " + b + "] unreachable after 2 attempts"));
    }
  }

  @Test
  void aNonJsonErrorBodyIsReportedAsASnippet() {
    Reply html = new Reply(500, "text/html", "<html><body>\n  Internal   Server Error\n</body></html>");
    try (ScriptedRegistry server = ScriptedRegistry.start(always(html));
        CachedSchemaRegistryClient client = client(server.url(), Map.of("max.retries", 0))) {
      assertThatThrownBy(() -> client.getSubjects())
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(500);
            assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.NO_ERROR_CODE);
            assertThat(e.getMessage()).endsWith("HTTP 500: <html><body> Internal Server Error </body></html>");
          });
    }
  }

  @Test
  void aLongErrorBodyIsCutShort() {
    Reply longText = new Reply(404, "text/plain", "x".repeat(10_000));
    try (ScriptedRegistry server = ScriptedRegistry.start(always(longText));
        CachedSchemaRegistryClient client = client(server.url())) {
      assertThatThrownBy(() -> client.getSubjects())
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.getMessage()).endsWith("x".repeat(200) + "...");
            assertThat(e.getMessage().length()).isLessThan(400);
          });
    }
  }

  @Test
  void anInterruptedCallerGetsAnExceptionAndKeepsItsInterruptFlag() throws Exception {
    try (SilentServer silent = new SilentServer();
        CachedSchemaRegistryClient client = client(silent.url(), Map.of("http.read.timeout.ms", 20_000))) {
      Thread.currentThread().interrupt();
      try {
        assertThatThrownBy(() -> client.getSubjects())
            .isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e).hasCauseInstanceOf(InterruptedException.class));
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted(); // leave the test thread clean
      }
    }
  }

  private static CachedSchemaRegistryClient client(String url) {
    return client(url, Map.of());
  }

  private static CachedSchemaRegistryClient client(String url, Map<String, Object> overrides) {
    Map<String, Object> props = new HashMap<>();
    props.put("schema.registry.url", url);
    props.put("max.retries", MAX_RETRIES);
    props.put("retries.wait.ms", WAIT_MS);
    props.put("retries.max.wait.ms", MAX_WAIT_MS);
    props.put("http.connect.timeout.ms", CONNECT_TIMEOUT_MS);
    props.putAll(overrides);
    return CachedSchemaRegistryClient.fromProperties(props);
  }

  private static long elapsedMs(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }
}
