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
import org.apache.kafka.streams.state.HostInfo;

/**
 * HTTP calls from this instance to another one: forwarding an interactive query to the owner of a
 * key, and asking a peer for its local figures. Asynchronous, so that no server thread waits on a
 * peer (a slow or dead peer never delays health checks), with connect and request timeouts. Every
 * call carries {@link OpsServer#FORWARDED_HEADER}: an instance never forwards a forwarded request.
 */
final class Forwarder {
  /** Headers relayed from the owner's answer (besides the content type). */
  private static final String[] RELAYED = {OpsServer.SERVED_BY_HEADER, "Retry-After"};

  private final HttpClient client;
  private final Duration requestTimeout;
  private final String self;

  Forwarder(HostInfo self, Duration connectTimeout, Duration requestTimeout) {
    this.self = OpsServer.address(self);
    this.requestTimeout = requestTimeout;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
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
    extraHeaders.forEach(request::header);
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : RELAYED) r.headers().firstValue(name).ifPresent(v -> headers.put(name, v));
      String type = r.headers().firstValue("Content-Type").orElse(OpsResponse.JSON);
      return new OpsResponse(r.statusCode(), type, r.body(), headers);
    });
  }

  /** GET a JSON document from a peer; exceptionally also on a status other than 200. */
  CompletableFuture<JsonNode> getJson(HostInfo target, String path) {
    return forward(target, path, Map.of()).thenApply(r -> {
      if (r.status() != 200) throw new CompletionException(new IOException("status " + r.status()));
      try {
        return OpsResponse.MAPPER.readTree(r.body());
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    });
  }

  private static URI uri(HostInfo target, String rawPathAndQuery) {
    return URI.create("http://" + OpsServer.address(target) + rawPathAndQuery);
  }
}
