package io.segmenter.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.segmenter.access.AccessPolicy;
import io.segmenter.access.AuditLog;
import io.segmenter.access.PeerSignature;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Forwarding to a real HTTP peer: what is sent, what is relayed, and that a silent peer times out. */
class ForwarderTest {
  private static final HostInfo SELF = new HostInfo("127.0.0.1", 4711);
  private HttpServer peer;
  private final AtomicReference<String> receivedPath = new AtomicReference<>();
  private final AtomicReference<String> receivedForwarded = new AtomicReference<>();
  private final AtomicReference<String> receivedStale = new AtomicReference<>();
  private final AtomicReference<String> receivedSignature = new AtomicReference<>();
  private final AtomicReference<String> receivedAuthorization = new AtomicReference<>();

  @BeforeEach
  void startPeer() throws Exception {
    peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    peer.createContext("/", exchange -> {
      receivedPath.set(exchange.getRequestURI().getRawPath() + "?" + exchange.getRequestURI().getRawQuery());
      receivedForwarded.set(exchange.getRequestHeaders().getFirst(OpsServer.FORWARDED_HEADER));
      receivedStale.set(exchange.getRequestHeaders().getFirst(OpsServer.ALLOW_STALE_HEADER));
      receivedSignature.set(exchange.getRequestHeaders().getFirst(PeerSignature.HEADER));
      receivedAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = "{\"error\":\"customer not found\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set(OpsServer.SERVED_BY_HEADER, "127.0.0.1:9999");
      exchange.getResponseHeaders().set("X-Other", "not relayed");
      exchange.sendResponseHeaders(404, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    peer.start();
  }

  @AfterEach
  void stopPeer() {
    peer.stop(0);
  }

  @Test
  void forwardsTheRawRequestAndRelaysStatusBodyAndServedBy() throws Exception {
    Forwarder forwarder = new Forwarder(SELF, Duration.ofSeconds(2), Duration.ofSeconds(5));
    HostInfo target = new HostInfo("127.0.0.1", peer.getAddress().getPort());

    OpsResponse r = forwarder.forward(target, "/customers/a%2Fb%20c?at=5", Map.of(OpsServer.ALLOW_STALE_HEADER, "1"))
        .get(10, TimeUnit.SECONDS);

    assertThat(receivedPath.get()).isEqualTo("/customers/a%2Fb%20c?at=5"); // not decoded on the way
    assertThat(receivedForwarded.get()).isEqualTo("127.0.0.1:4711");
    assertThat(receivedStale.get()).isEqualTo("1");
    assertThat(r.status()).isEqualTo(404);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"customer not found\"}");
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.headers()).containsEntry(OpsServer.SERVED_BY_HEADER, "127.0.0.1:9999").doesNotContainKey("X-Other");
  }

  @Test
  void signsWithThePeerSecretAndRelaysTheClientsAuthorization() throws Exception {
    PeerSignature secret = new PeerSignature("forwarder-test-peer-secret-0123456789".getBytes(StandardCharsets.UTF_8),
        java.time.Clock.systemUTC());
    AccessControl access = new AccessControl(new AccessPolicy(true), null, null, secret, AuditLog.off(),
        java.util.function.UnaryOperator.identity());
    Forwarder forwarder = new Forwarder(SELF, "http", null, access, Duration.ofSeconds(2), Duration.ofSeconds(5));
    HostInfo target = new HostInfo("127.0.0.1", peer.getAddress().getPort());
    OpsRequest client = OpsRequest.of("GET", "/customers/c%201", "at=5",
        name -> name.equals("Authorization") ? "Bearer client-token" : null, false);

    forwarder.forward(target, client, Map.of()).get(10, TimeUnit.SECONDS);

    assertThat(secret.verify("GET", "/customers/c%201?at=5", receivedSignature.get())).isTrue();
    assertThat(secret.verify("GET", "/customers/other", receivedSignature.get())).isFalse();
    assertThat(receivedAuthorization.get()).isEqualTo("Bearer client-token");
  }

  @Test
  void withoutAPeerSecretNothingIsSigned() throws Exception {
    Forwarder forwarder = new Forwarder(SELF, Duration.ofSeconds(2), Duration.ofSeconds(5));
    forwarder.forward(new HostInfo("127.0.0.1", peer.getAddress().getPort()), "/segments", Map.of())
        .get(10, TimeUnit.SECONDS);
    assertThat(receivedSignature.get()).isNull();
    assertThat(receivedAuthorization.get()).isNull();
  }

  @Test
  void getJsonFailsOnAStatusOtherThan200() {
    Forwarder forwarder = new Forwarder(SELF, Duration.ofSeconds(2), Duration.ofSeconds(5));
    HostInfo target = new HostInfo("127.0.0.1", peer.getAddress().getPort());
    assertThatThrownBy(() -> forwarder.getJson(target, Populations.INTERNAL_PATH, null).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasMessageContaining("status 404");
  }

  @Test
  void aPeerThatAcceptsButNeverAnswersTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Forwarder forwarder = new Forwarder(SELF, Duration.ofSeconds(2), Duration.ofMillis(300));
      HostInfo target = new HostInfo("127.0.0.1", silent.getLocalPort());
      long started = System.nanoTime();
      assertThatThrownBy(() -> forwarder.forward(target, "/customers/x", Map.of()).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HttpTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void populationsAnswerIsParsed() throws Exception {
    var body = OpsResponse.MAPPER.readTree("{\"instance\":\"h:1\",\"populations\":{\"0\":12,\"5\":3}}");
    assertThat(Populations.parse(body).populations()).containsExactly(Map.entry(0, 12L), Map.entry(5, 3L));
    assertThat(Populations.parse(body).flows()).as("an older instance's answer has no flows").isNull();
    assertThatThrownBy(() -> Populations.parse(OpsResponse.MAPPER.readTree("{}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addressesBracketIpv6Literals() {
    assertThat(OpsServer.address(new HostInfo("::1", 80))).isEqualTo("[::1]:80");
    assertThat(OpsServer.address(new HostInfo("node-1.example", 8080))).isEqualTo("node-1.example:8080");
  }
}
