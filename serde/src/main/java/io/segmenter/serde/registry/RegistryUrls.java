package io.segmenter.serde.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** Parses {@code schema.registry.url} entries into endpoints, lifting any user info out of the URL. */
final class RegistryUrls {
  private RegistryUrls() {}

  /** A parsed entry: the endpoint (credentials from the URL already turned into a header) and whether it had any. */
  record Parsed(RegistryEndpoint endpoint, boolean hadUserInfo) {}

  static List<Parsed> parse(String key, List<String> entries) {
    if (entries.isEmpty()) {
      throw ConfigInput.invalid(key, "is required: set it to the registry's base URL, e.g. http://localhost:8081 "
          + "(comma-separate several for fail-over)");
    }
    List<Parsed> parsed = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      parsed.add(parseOne(key, i + 1, entries.get(i)));
    }
    return parsed;
  }

  /** "Basic base64(user:password)", as RFC 7617 says (UTF-8). */
  static String basicAuthorization(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  /** The URL with any user info replaced by "***", for messages. */
  static String redact(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    int pathStart = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
    if (scheme >= 0 && at > scheme && (pathStart < 0 || at < pathStart)) {
      return url.substring(0, scheme + 3) + "***@" + url.substring(at + 1);
    }
    return url;
  }

  private static Parsed parseOne(String key, int position, String entry) {
    String where = "URL #" + position + " '" + redact(entry) + "'";
    URI uri;
    try {
      uri = new URI(entry);
    } catch (URISyntaxException e) {
      throw ConfigInput.invalid(key, where + " is not a valid URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw ConfigInput.invalid(key, where + " must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw ConfigInput.invalid(key, where + " has no valid host name");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw ConfigInput.invalid(key, where + " must not have a query or fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1); // request paths are appended with their own '/'
    }
    String base = scheme + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path;
    String rawUserInfo = uri.getRawUserInfo();
    if (rawUserInfo == null) {
      return new Parsed(new RegistryEndpoint(base, null), false);
    }
    int colon = rawUserInfo.indexOf(':');
    if (colon <= 0) {
      throw ConfigInput.invalid(key, where + " has user info that is not 'user:password'");
    }
    // Split before decoding so that an encoded ':' (%3A) can be part of the user name.
    String userInfo =
        decode(key, rawUserInfo.substring(0, colon)) + ":" + decode(key, rawUserInfo.substring(colon + 1));
    return new Parsed(new RegistryEndpoint(base, basicAuthorization(userInfo)), true);
  }

  private static String decode(String key, String raw) {
    try {
      // URLDecoder is a form decoder: keep '+' literal, as in URLs.
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ConfigInput.invalid(key, "user info in a URL has a bad %-escape");
    }
  }
}
