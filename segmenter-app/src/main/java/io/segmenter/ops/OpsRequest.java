package io.segmenter.ops;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the operations endpoints see it: method, percent-decoded path segments (each
 * decoded on its own, so that an encoded '/' stays inside a customer id), query parameters, the
 * headers that matter, and the raw path and query (what a forwarded request repeats verbatim).
 */
record OpsRequest(String method, List<String> segments, Map<String, String> query, Map<String, String> headers,
    String rawPathAndQuery) {

  /** The request of an exchange; a malformed percent-encoding throws {@link BadRequest}. */
  static OpsRequest of(HttpExchange exchange) {
    String rawPath = exchange.getRequestURI().getRawPath();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    Map<String, String> headers = new HashMap<>();
    for (String name : List.of(OpsServer.FORWARDED_HEADER, OpsServer.ALLOW_STALE_HEADER, "Accept")) {
      String value = exchange.getRequestHeaders().getFirst(name);
      if (value != null) headers.put(name, value);
    }
    return new OpsRequest(exchange.getRequestMethod(), segments(rawPath), query(rawQuery), Map.copyOf(headers),
        (rawPath == null ? "/" : rawPath) + (rawQuery == null ? "" : "?" + rawQuery));
  }

  String header(String name) {
    return headers.get(name);
  }

  boolean forwarded() {
    return headers.containsKey(OpsServer.FORWARDED_HEADER);
  }

  static List<String> segments(String rawPath) {
    List<String> result = new ArrayList<>();
    if (rawPath == null) return result;
    String[] parts = rawPath.split("/", -1);
    for (int i = 1; i < parts.length; i++) {
      boolean trailingSlash = i == parts.length - 1 && parts[i].isEmpty();
      if (!trailingSlash) result.add(decode(parts[i]));
    }
    return result;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> result = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) return result;
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) continue;
      String[] kv = pair.split("=", 2);
      result.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
    }
    return result;
  }

  private static String decode(String raw) {
    try {
      // URLDecoder is a form decoder: protect '+', which is a literal plus in a URI path.
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("malformed percent-encoding in the request URI");
    }
  }

  /** A client mistake in the request itself: answered 400 with the message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
