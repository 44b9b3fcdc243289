package io.segmenter.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** Test-side HTTP client for the embedded registry: raw requests, JSON bodies, no registry client code. */
final class RegistryHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** A response with its body parsed as JSON (null when the body is empty). */
  record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    int errorCode() {
      return json.get("error_code").asInt();
    }

    /** The Confluent error_code, or 0 for a success body. */
    int errorCodeOr0() {
      return json != null && json.has("error_code") ? json.get("error_code").asInt() : 0;
    }

    String message() {
      return json.get("message").asText();
    }
  }

  private final HttpClient client;
  private final String baseUrl;
  private String authorization;

  RegistryHttp(String baseUrl) {
    this(baseUrl, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  RegistryHttp(String baseUrl, HttpClient client) {
    this.baseUrl = baseUrl;
    this.client = client;
  }

  RegistryHttp withBasicAuth(String user, String password) {
    RegistryHttp copy = new RegistryHttp(baseUrl, client);
    copy.authorization =
        "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return copy;
  }

  Reply get(String path) {
    return send("GET", path, null, CONTENT_TYPE);
  }

  Reply delete(String path) {
    return send("DELETE", path, null, CONTENT_TYPE);
  }

  Reply post(String path, Object body) {
    return send("POST", path, toJson(body), CONTENT_TYPE);
  }

  Reply put(String path, Object body) {
    return send("PUT", path, toJson(body), CONTENT_TYPE);
  }

  /** POSTs {"schema": schema} as Confluent clients do. */
  Reply postSchema(String path, String schema) {
    return post(path, Map.of("schema", schema));
  }

  int register(String subject, String schema) {
    Reply reply = postSchema("/subjects/" + subject + "/versions", schema);
    if (reply.status() != 200) {
      throw new AssertionError("registration failed: " + reply.status() + " " + reply.raw().body());
    }
    return reply.json().get("id").asInt();
  }

  Reply send(String method, String path, String body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", CONTENT_TYPE)
            .method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
      return new Reply(response.statusCode(), json, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String toJson(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
