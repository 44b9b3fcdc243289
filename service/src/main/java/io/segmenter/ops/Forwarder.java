package io.segmenter.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.state.HostInfo;

/**
 * HTTP calls from this instance to another one: forwarding an interactive query to the owner of a
 * key, and asking a peer for its local figures. Asynchronous, so that no server thread waits on a
 * peer (a slow or dead peer never delays health checks), with connect and request timeouts. Every
 * call carries {@link OpsServer#FORWARDED_HEADER} (an instance never forwards a forwarded request),
 * this instance's peer signature when a peer secret is set ({@link AccessControl#peerHeaders}), and
 * the client's own Authorization header, so that without a peer secret the owner can still check the
 * client. Over HTTPS, the client presents this instance's certificate.
 */
final class Forwarder {
  /** Headers relayed from the owner's answer (besides the content type). */
  private static final String[] RELAYED = {OpsServer.SERVED_BY_HEADER, "Retry-After"};

  private final HttpClient client;
  private final Duration requestTimeout;
  private final String self;
  private final String scheme;
  private final AccessControl access;

  Forwarder(HostInfo self, Duration connectTimeout, Duration requestTimeout) {
    this(self, "http", null, AccessControl.open(), connectTimeout, requestTimeout);
  }

  /** {@code tls}: the client side of TLS between instances (with scheme "https"), or null. */
  Forwarder(HostInfo self, String scheme, SSLContext tls, AccessControl access, Duration connectTimeout,
      Duration requestTimeout) {
    this.self = OpsServer.address(self);
    this.scheme = scheme;
    this.access = access;
    this.requestTimeout = requestTimeout;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (tls != null) builder.sslContext(tls);
    this.client = builder.build();
  }

  /**
   * GET {@code rawPathAndQuery} (already percent-encoded, as received) on {@code target}; completes
   * with the target's status, body and relayed headers, or exceptionally when it cannot be reached
   * or does not answer within the request timeout.
   */
  CompletableFuture<OpsResponse> forward(HostInfo target, String rawPathAndQuery, Map<String, String> extraHeaders) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(target, rawPathAndQuery))
        .timeout(requestTimeout)
        .header(OpsServer.FORWARDED_HEADER, self)
        .GET();
    access.peerHeaders("GET", rawPathAndQuery).forEach(request::header);
    extraHeaders.forEach(request::header);
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : RELAYED) r.headers().firstValue(name).ifPresent(v -> headers.put(name, v));
      String type = r.headers().firstValue("Content-Type").orElse(OpsResponse.JSON);
      return new OpsResponse(r.statusCode(), type, r.body(), headers);
    });
  }

  /**
   * Forwards a client's request: its raw path and query, and its Authorization header if it has one.
   */
  CompletableFuture<OpsResponse> forward(HostInfo target, OpsRequest request, Map<String, String> extraHeaders) {
    String authorization = request.header("Authorization");
    if (authorization == null) return forward(target, request.rawPathAndQuery(), extraHeaders);
    Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
    headers.put("Authorization", authorization);
    return forward(target, request.rawPathAndQuery(), headers);
  }

  /**
   * GET a JSON document from a peer on behalf of a client (whose Authorization header, if any, goes
   * along); exceptionally also on a status other than 200.
   */
  CompletableFuture<JsonNode> getJson(HostInfo target, String path, String authorization) {
    Map<String, String> headers = authorization == null ? Map.of() : Map.of("Authorization", authorization);
    return forward(target, path, headers).thenApply(r -> {
      if (r.status() != 200) throw new CompletionException(new IOException("status " + r.status()));
      try {
        return OpsResponse.MAPPER.readTree(r.body());
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    });
  }

  private URI uri(HostInfo target, String rawPathAndQuery) {
    return URI.create(scheme + "://" + OpsServer.address(target) + rawPathAndQuery);
  }
}
