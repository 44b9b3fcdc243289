package io.segmenter.serde.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON over HTTP to the registry, with Confluent's media types, Basic auth, TLS, timeouts, bounded
 * retries with backoff, and fail-over between URLs.
 *
 * <p>One attempt tries the URLs in turn, starting with the last one that answered, until one
 * answers; fail-over therefore costs no backoff. An attempt fails with a connection error
 * (refused, timed out) only when no URL answered. Connection errors and 408, 429 and 5xx answers
 * are retried up to {@code max.retries} times with backoff; other answers are final. Retrying is
 * safe because every request the client sends is idempotent (registering the same schema again
 * returns the same id).
 */
final class RestTransport implements AutoCloseable {
  static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Logger LOG = LoggerFactory.getLogger(RestTransport.class);

  private final ObjectMapper mapper;
  private final HttpClient http;
  private final List<RegistryEndpoint> endpoints;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Backoff backoff;
  // Index of the URL that answered last: later requests start there rather than at a dead one.
  private final AtomicInteger preferred = new AtomicInteger();

  RestTransport(SchemaRegistryClientConfig config, ObjectMapper mapper) {
    this.mapper = mapper;
    this.endpoints = config.endpoints();
    this.requestTimeout = config.readTimeout();
    this.maxRetries = config.maxRetries();
    this.backoff = new Backoff(config.retriesWait().toMillis(), config.retriesMaxWait().toMillis());
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            // HTTP/1.1: no h2c upgrade attempts, which some registries and proxies mishandle.
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER);
    config.sslContext().ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  JsonNode post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  JsonNode put(String path, JsonNode body) {
    return send("PUT", path, body);
  }

  /**
   * Sends the request and returns the parsed JSON of a 2xx answer.
   *
   * @param path already encoded, starting with '/', e.g. {@code /subjects/a%2Fb/versions}
   */
  JsonNode send(String method, String path, JsonNode body) {
    String request = method + " " + path;
    byte[] bytes = body == null ? null : toBytes(body);
    for (int attempt = 1; ; attempt++) {
      long delayMs;
      try {
        Answer answer = tryEachUrl(method, path, bytes);
        int status = answer.response().statusCode();
        if (status >= 200 && status < 300) {
          return parse(request, answer.response().body());
        }
        SchemaRegistryException error =
            RegistryErrors.fromResponse(mapper, request, answer.endpoint(), status, answer.response().body(), attempt);
        if (!isRetriable(status) || attempt > maxRetries) {
          throw error;
        }
        delayMs = backoff.delayMs(attempt);
        LOG.warn("Schema registry answered {} with HTTP {}; retry {} of {} in {} ms", request, status, attempt, maxRetries, delayMs);
      } catch (NoAnswer e) {
        if (attempt > maxRetries) {
          throw RegistryErrors.unreachable(endpoints, attempt, e.lastError);
        }
        delayMs = backoff.delayMs(attempt);
        LOG.warn(
            "Schema registry unreachable for {} ({}); retry {} of {} in {} ms",
            request, RegistryErrors.describe(e.lastError), attempt, maxRetries, delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw RegistryErrors.interrupted(request, e);
      }
      sleep(request, delayMs);
    }
  }

  @Override
  public void close() {
    // HttpClient is AutoCloseable from Java 21 on; on 17 its threads end once it is unreachable.
    if ((Object) http instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("Closing the schema registry HTTP client failed: {}", e.toString());
      }
    }
  }

  private record Answer(RegistryEndpoint endpoint, HttpResponse<byte[]> response) {}

  /** No URL answered during one attempt; carries the last connection error. */
  private static final class NoAnswer extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient IOException lastError;

    NoAnswer(IOException lastError) {
      super(null, null, false, false); // control flow only: no stack trace
      this.lastError = lastError;
    }
  }

  private Answer tryEachUrl(String method, String path, byte[] body) throws NoAnswer, InterruptedException {
    int start = preferred.get();
    IOException lastError = null;
    for (int i = 0; i < endpoints.size(); i++) {
      int index = (start + i) % endpoints.size();
      RegistryEndpoint endpoint = endpoints.get(index);
      try {
        HttpResponse<byte[]> response =
            http.send(request(endpoint, method, path, body), HttpResponse.BodyHandlers.ofByteArray());
        if (index != start && preferred.compareAndSet(start, index)) {
          LOG.warn("Schema registry client failed over to {}", endpoint);
        }
        return new Answer(endpoint, response);
      } catch (IOException e) {
        if (RegistryErrors.isPermanentTlsFailure(e)) {
          throw RegistryErrors.tlsFailure(endpoint, e);
        }
        LOG.debug("Schema registry at {} did not answer {} {}: {}", endpoint, method, path, RegistryErrors.describe(e));
        lastError = e;
      }
    }
    throw new NoAnswer(lastError);
  }

  private HttpRequest request(RegistryEndpoint endpoint, String method, String path, byte[] body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + path))
            .timeout(requestTimeout)
            .header("Accept", ACCEPT);
    if (endpoint.authorization() != null) {
      builder.header("Authorization", endpoint.authorization());
    }
    if (body == null) {
      return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
    return builder
        .header("Content-Type", CONTENT_TYPE)
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private static boolean isRetriable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  private JsonNode parse(String request, byte[] body) {
    try {
      JsonNode json = mapper.readTree(body);
      if (json == null || json.isMissingNode()) {
        throw RegistryErrors.unusableAnswer(request, "empty body");
      }
      return json;
    } catch (IOException e) {
      String detail = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
      throw RegistryErrors.unusableAnswer(request, "the body is not JSON (" + detail + ")");
    }
  }

  private byte[] toBytes(JsonNode body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e); // cannot happen for a JsonNode
    }
  }

  private static void sleep(String request, long delayMs) {
    try {
      Thread.sleep(delayMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryErrors.interrupted(request, e);
    }
  }
}
