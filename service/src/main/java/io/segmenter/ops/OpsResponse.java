package io.segmenter.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A routed answer: status, content type, body bytes and extra headers. */
record OpsResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  static final String JSON = "application/json";
  static final ObjectMapper MAPPER = new ObjectMapper();

  OpsResponse {
    headers = Map.copyOf(headers);
  }

  static OpsResponse json(int status, Object body) {
    try {
      return new OpsResponse(status, JSON, MAPPER.writeValueAsBytes(body), Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a response as JSON", e);
    }
  }

  /** {"error": message}. */
  static OpsResponse error(int status, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("error", message);
    return json(status, body);
  }

  /** 503 with Retry-After: the answer exists but not here and now (rebalancing, starting, owner away). */
  static OpsResponse unavailable(String message) {
    return error(503, message).withHeader("Retry-After", "1");
  }

  OpsResponse withHeader(String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(headers);
    next.put(name, value);
    return new OpsResponse(status, contentType, body, next);
  }
}
