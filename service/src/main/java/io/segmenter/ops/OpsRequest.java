package io.segmenter.ops;

import io.segmenter.http.UriParts;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One HTTP request as the operations endpoints see it: method, percent-decoded path segments (each
 * decoded on its own, so that an encoded '/' stays inside a customer id), query parameters, the
 * headers that matter, the raw path and query (what a forwarded request repeats verbatim), and
 * whether it comes from another instance of this deployment, authenticated as such ({@code peer}).
 * Only a peer's request may ask for a stale read; {@link OpsServer#FORWARDED_HEADER} from anyone
 * only stops this instance from forwarding the request again (it can take nothing more from that).
 */
record OpsRequest(String method, List<String> segments, Map<String, String> query, Map<String, String> headers,
    String rawPathAndQuery, boolean peer) {

  /** The headers the endpoints read; any other header is not kept. */
  static final List<String> READ_HEADERS = List.of(OpsServer.FORWARDED_HEADER, OpsServer.ALLOW_STALE_HEADER, "Accept",
      "Authorization");

  /**
   * The request of a raw path and query, its headers looked up by {@code header}; a malformed
   * percent-encoding throws {@link BadRequest}.
   */
  static OpsRequest of(String method, String rawPath, String rawQuery, UnaryOperator<String> header, boolean peer) {
    Map<String, String> headers = new java.util.HashMap<>();
    for (String name : READ_HEADERS) {
      String value = header.apply(name);
      if (value != null) headers.put(name, value);
    }
    try {
      return new OpsRequest(method, UriParts.segments(rawPath), UriParts.query(rawQuery), Map.copyOf(headers),
          (rawPath == null ? "/" : rawPath) + (rawQuery == null ? "" : "?" + rawQuery), peer);
    } catch (IllegalArgumentException malformedPercentEncoding) {
      throw new BadRequest("malformed percent-encoding in the request URI");
    }
  }

  /** The same request, from an authenticated peer of this deployment or not. */
  OpsRequest withPeer(boolean fromPeer) {
    return new OpsRequest(method, segments, query, headers, rawPathAndQuery, fromPeer);
  }

  String header(String name) {
    return headers.get(name);
  }

  /**
   * Marked as forwarded by another instance: never forwarded again. Honoured from anyone, since it
   * only takes something away (no forwarding loop between two instances that disagree on the owner).
   */
  boolean forwarded() {
    return headers.containsKey(OpsServer.FORWARDED_HEADER);
  }

  /** Forwarded by an instance authenticated as a peer of this deployment. */
  boolean fromPeer() {
    return peer && forwarded();
  }

  /** A peer asks for this instance's standby copy, accepting that it may be behind. */
  boolean staleAllowed() {
    return fromPeer() && headers.containsKey(OpsServer.ALLOW_STALE_HEADER);
  }

  /** A client mistake in the request itself: answered 400 with the message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
