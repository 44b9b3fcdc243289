package io.segmenter.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.segmenter.http.UriParts;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP exchange seen the way the registry needs it: decoded path segments, query parameters,
 * a JSON body, and JSON responses with Confluent's content type and error shape.
 */
final class JsonExchange {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ACCEPTED_CONTENT_TYPES =
      Set.of(
          "application/vnd.schemaregistry.v1+json",
          "application/vnd.schemaregistry+json",
          "application/json",
          "application/octet-stream");
  // Far above any real schema; only protects the in-process server from runaway clients.
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final HttpExchange exchange;
  private List<String> segments;
  private Map<String, String> query;
  // Kept rather than thrown so that an exchange with a bad URI can still send its error response.
  private RegistryException uriError;

  JsonExchange(HttpExchange exchange) {
    this.exchange = exchange;
    try {
      this.segments = UriParts.segments(exchange.getRequestURI().getRawPath());
      this.query = UriParts.query(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException malformedPercentEncoding) {
      this.uriError = new RegistryException(400, 400, "Malformed percent-encoding in request URI");
    }
  }

  String method() {
    return exchange.getRequestMethod();
  }

  /** Path segments, each percent-decoded on its own so that an encoded '/' (%2F) stays inside a subject. */
  List<String> segments() {
    if (uriError != null) {
      throw uriError;
    }
    return segments;
  }

  boolean queryFlag(String name) {
    return query != null && "true".equalsIgnoreCase(query.get(name));
  }

  /** The request body as a JSON object; client mistakes become 4xx, never 500. */
  JsonNode jsonBody() throws IOException {
    checkContentType();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new RegistryException(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      // Confluent's rest-utils answers JSON syntax errors with 400.
      throw new RegistryException(400, 400, "Malformed JSON body: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new RegistryException(422, 422, "Request body must be a JSON object");
    }
    return node;
  }

  void sendJson(int status, Object body) throws IOException {
    send(status, MAPPER.writeValueAsBytes(body), Map.of());
  }

  void sendError(int status, int errorCode, String message, Map<String, String> headers) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error_code", errorCode);
    body.put("message", message);
    send(status, MAPPER.writeValueAsBytes(body), headers);
  }

  /** A stored schema's JSON text as a JSON value (for the .../schema endpoints that return it raw). */
  static JsonNode rawJson(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored schema is not JSON", e);
    }
  }

  private void send(int status, byte[] bytes, Map<String, String> headers) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    headers.forEach(exchange.getResponseHeaders()::set);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  private void checkContentType() {
    String header = exchange.getRequestHeaders().getFirst("Content-Type");
    if (header == null || header.isBlank()) {
      return; // lenient: curl-style clients often omit it, and the body is parsed as JSON anyway
    }
    String mediaType = header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!ACCEPTED_CONTENT_TYPES.contains(mediaType)) {
      throw new RegistryException(415, 415, "HTTP 415 Unsupported Media Type");
    }
  }
}
