package io.segmenter.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-decoding of a request URI's path segments and query, for the JDK HTTP servers of segmenter
 * (the operations endpoints and the embedded schema registry). Each path segment is decoded on its
 * own, so that an encoded '/' stays inside a segment (a customer id, a subject name).
 */
public final class UriParts {
  private UriParts() { }

  /** Decoded path segments; a trailing slash adds none. */
  public static List<String> segments(String rawPath) {
    List<String> result = new ArrayList<>();
    if (rawPath == null) return result;
    String[] parts = rawPath.split("/", -1);
    for (int i = 1; i < parts.length; i++) {
      boolean trailingSlash = i == parts.length - 1 && parts[i].isEmpty();
      if (!trailingSlash) result.add(decode(parts[i]));
    }
    return result;
  }

  /** Decoded query parameters (the last of a repeated name wins; a name without '=' maps to ""). */
  public static Map<String, String> query(String rawQuery) {
    Map<String, String> result = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) return result;
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) continue;
      String[] kv = pair.split("=", 2);
      result.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
    }
    return result;
  }

  /**
   * One percent-decoded URI component.
   *
   * @throws IllegalArgumentException for a malformed percent-encoding
   */
  public static String decode(String raw) {
    // URLDecoder is a form decoder: protect '+', which is a literal plus in a URI.
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
