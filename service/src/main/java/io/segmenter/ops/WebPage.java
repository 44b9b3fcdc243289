package io.segmenter.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The web page of the operations server: {@code GET /} (for a browser) and its static files under
 * {@code /ui/<file>}. The files are a fixed list of names, read once from the service's jar when the
 * server starts (a missing one stops the start, as a broken build should); a request can only pick
 * one of those names, so no path reaches the file system or the rest of the classpath. The page and
 * its files hold no data: the page asks {@code /segments}, {@code /model}, {@code /map},
 * {@code /flows} and {@code /customers/{id}} like any client, with the user's token, under their roles.
 *
 * <p>Every answer carries a Content-Security-Policy that allows nothing but this server
 * ({@code default-src 'self'}: no inline script or style, no other origin, no framing) and
 * {@code X-Content-Type-Options: nosniff}.
 */
final class WebPage {
  // default-src covers neither base-uri nor form-action: both closed as well (the page's forms are
  // submitted by its script, never by the browser).
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  /** Where the files are in the jar. */
  static final String CLASSPATH_DIRECTORY = "/io/segmenter/web/";
  /** The page itself, served at {@code /} (and as {@code /ui/index.html}). */
  static final String PAGE = "index.html";
  /** Every file that is served, with its content type: nothing else under /ui exists. */
  static final Map<String, String> FILES = Map.of(
      PAGE, "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "app.css", "text/css; charset=utf-8",
      "favicon.svg", "image/svg+xml");

  private final Map<String, OpsResponse> answers;

  private WebPage(Map<String, OpsResponse> answers) {
    this.answers = answers;
  }

  /** Reads every file of {@link #FILES} from the classpath; throws if one is missing. */
  static WebPage fromClasspath() {
    Map<String, OpsResponse> answers = new LinkedHashMap<>();
    FILES.forEach((name, type) -> answers.put(name, new OpsResponse(200, type, read(name), secureHeaders())));
    return new WebPage(Map.copyOf(answers));
  }

  /** The bytes of one of the page's files, as the jar holds it. */
  static byte[] read(String name) {
    try (InputStream in = WebPage.class.getResourceAsStream(CLASSPATH_DIRECTORY + name)) {
      if (in == null) {
        throw new IllegalStateException("the web page's file " + CLASSPATH_DIRECTORY + name
            + " is missing from the classpath: the service jar is incomplete, rebuild it");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the web page's file " + name, e);
    }
  }

  OpsResponse page() {
    return answers.get(PAGE).withHeader("Vary", "Accept");
  }

  /** The file of that name, or 404 for any other name (no directory, no path: a name from the list). */
  OpsResponse asset(String name) {
    OpsResponse answer = answers.get(name);
    return answer != null ? answer : OpsResponse.error(404, "no such file").withHeader("X-Content-Type-Options", "nosniff");
  }

  /**
   * Whether a request for {@code /} with this Accept header gets the page rather than the JSON list of
   * endpoints: only when it names {@code text/html} (a browser does) with a quality above that of
   * {@code application/json}. No Accept header, {@code *}{@code /*} (curl, most HTTP libraries) or a
   * tie gets the JSON that API clients had before the page existed.
   */
  static boolean prefersHtml(String accept) {
    if (accept == null || accept.isBlank()) return false;
    double html = -1;
    double json = -1;
    double any = -1;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].strip().toLowerCase(Locale.ROOT);
      double q = quality(parts);
      switch (type) {
        case "text/html" -> html = Math.max(html, q);
        case "application/json" -> json = Math.max(json, q);
        case "application/*", "*/*" -> any = Math.max(any, q);
        default -> { }
      }
    }
    double jsonQuality = json >= 0 ? json : any;
    return html > 0 && html > jsonQuality;
  }

  private static double quality(String[] parameters) {
    for (int i = 1; i < parameters.length; i++) {
      String p = parameters[i].strip();
      if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
        try {
          double q = Double.parseDouble(p.substring(2).strip());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException malformed) {
          return 0;
        }
      }
    }
    return 1;
  }

  private static Map<String, String> secureHeaders() {
    return Map.of("Content-Security-Policy", CONTENT_SECURITY_POLICY, "X-Content-Type-Options", "nosniff",
        "Referrer-Policy", "no-referrer");
  }
}
