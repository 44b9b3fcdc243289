package io.segmenter.ops;

import com.sun.net.httpserver.HttpExchange;
import io.segmenter.http.UriParts;
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
    try {
      return new OpsRequest(exchange.getRequestMethod(), UriParts.segments(rawPath), UriParts.query(rawQuery),
          Map.copyOf(headers), (rawPath == null ? "/" : rawPath) + (rawQuery == null ? "" : "?" + rawQuery));
    } catch (IllegalArgumentException malformedPercentEncoding) {
      throw new BadRequest("malformed percent-encoding in the request URI");
    }
  }

  String header(String name) {
    return headers.get(name);
  }

  boolean forwarded() {
    return headers.containsKey(OpsServer.FORWARDED_HEADER);
  }

  /** A client mistake in the request itself: answered 400 with the message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
