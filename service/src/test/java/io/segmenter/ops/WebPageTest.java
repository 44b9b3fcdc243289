package io.segmenter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.access.AccessPolicy;
import io.segmenter.access.AuditLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page and its files as the operations server serves them, asked by a real HTTP client of a real
 * server with access control on and no credentials configured (the strictest case: data endpoints
 * refuse everyone). The page itself is tested in a browser by SegmentMapBrowserIT.
 */
class WebPageTest {
  /** What the page may add to the service's jar (issue 20). */
  static final long MAX_ASSET_BYTES = 500 * 1024;
  static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private OpsServer server;

  @BeforeEach
  void start() throws Exception {
    AccessControl strict = new AccessControl(new AccessPolicy(true), null, null, null, AuditLog.off(), UnaryOperator.identity());
    server = OpsServer.start(new HttpSettings("127.0.0.1", 0, HttpLimits.defaults(), strict, null), new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void thePageAndItsFilesAddAtMost500KilobytesToTheJar() {
    long total = 0;
    List<String> sizes = new ArrayList<>();
    for (String name : WebPage.FILES.keySet().stream().sorted().toList()) {
      int size = WebPage.read(name).length;
      total += size;
      sizes.add(name + " " + size);
    }
    System.out.printf("WebPageTest: the page's files, %,d bytes in all (limit %,d; uncompressed, the jar holds them "
        + "deflated): %s%n", total, MAX_ASSET_BYTES, String.join(", ", sizes));
    assertThat(total).isPositive().isLessThanOrEqualTo(MAX_ASSET_BYTES);
  }

  @Test
  void aBrowserGetsThePageAndAnApiClientTheListOfEndpoints() throws Exception {
    HttpResponse<String> page = get("/", BROWSER_ACCEPT);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<title>segmenter", "/ui/app.js", "/ui/app.css");
    assertSecured(page);
    assertThat(page.headers().firstValue("Vary")).hasValue("Accept");

    for (String accept : new String[] {null, "*/*", "application/json", "text/html, application/json", "application/json, text/html;q=0.5"}) {
      HttpResponse<String> index = get("/", accept);
      assertThat(index.statusCode()).as(accept).isEqualTo(200);
      assertThat(index.headers().firstValue("Content-Type")).as(accept).hasValue("application/json");
      assertThat(JSON.readTree(index.body()).get("endpoints").toString()).as(accept).contains("/customers/{id}");
    }
    assertThat(get("/", "text/html").headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
  }

  @Test
  void theFilesAreServedWithTheirTypesAndNothingElseUnderUi() throws Exception {
    assertThat(get("/ui/app.js", null).headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(get("/ui/app.css", null).headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    assertThat(get("/ui/favicon.svg", null).headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    for (String name : WebPage.FILES.keySet()) {
      HttpResponse<String> file = get("/ui/" + name, null);
      assertThat(file.statusCode()).as(name).isEqualTo(200);
      assertThat(file.body().getBytes(StandardCharsets.UTF_8)).as(name).isEqualTo(WebPage.read(name));
      assertSecured(file);
    }
    // Only the listed names: not another resource of the jar, not a path, not a directory.
    for (String path : new String[] {"/ui/nope.js", "/ui/logback.xml", "/ui/..%2Flogback.xml", "/ui/%2e%2e%2fapp.js",
        "/ui/app.js%2F", "/ui/", "/ui/app.js/x", "/ui"}) {
      assertThat(get(path, null).statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void thePageIsOpenButTheDataItShowsKeepsItsRoles() throws Exception {
    assertThat(get("/", BROWSER_ACCEPT).statusCode()).isEqualTo(200);
    assertThat(get("/ui/app.js", null).statusCode()).isEqualTo(200);
    assertThat(get("/segments", null).statusCode()).isEqualTo(401);
    assertThat(get("/model", null).statusCode()).isEqualTo(401);
    assertThat(get("/customers/cust-000001", null).statusCode()).isEqualTo(401);
  }

  /**
   * The Content-Security-Policy allows no inline script or style: the page must have none, or a
   * browser would silently not run it. Its own references are to files that are served.
   */
  @Test
  void thePageHasNoInlineScriptOrStyleAndRefersOnlyToServedFiles() {
    String html = new String(WebPage.read(WebPage.PAGE), StandardCharsets.UTF_8);
    assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
        .doesNotContainPattern("(?i)\\sstyle\\s*=").doesNotContainPattern("(?i)<style")
        .doesNotContainPattern("(?i)\\son[a-z]+\\s*=").doesNotContainPattern("(?i)(https?:)?//[a-z]");
    Matcher refs = Pattern.compile("(?:src|href)=\"/ui/([^\"]+)\"").matcher(html);
    List<String> referred = new ArrayList<>();
    while (refs.find()) referred.add(refs.group(1));
    assertThat(referred).isNotEmpty().allMatch(WebPage.FILES::containsKey);
    String script = new String(WebPage.read("app.js"), StandardCharsets.UTF_8);
    assertThat(script).as("text from the server goes in as text, never as markup").doesNotContain(".innerHTML")
        .doesNotContain(".outerHTML").doesNotContain("insertAdjacentHTML").doesNotContain("document.write")
        .doesNotContain("setAttribute('style'").doesNotContainPattern("\\beval\\(");
  }

  @Test
  void acceptHeadersAreReadByTheirQuality() {
    assertThat(WebPage.prefersHtml(BROWSER_ACCEPT)).isTrue();
    assertThat(WebPage.prefersHtml("text/html")).isTrue();
    assertThat(WebPage.prefersHtml("application/json;q=0.5, text/html")).isTrue();
    assertThat(WebPage.prefersHtml(null)).isFalse();
    assertThat(WebPage.prefersHtml("*/*")).isFalse();
    assertThat(WebPage.prefersHtml("text/html;q=0.5, application/json")).isFalse();
    assertThat(WebPage.prefersHtml("text/html;q=0, */*")).isFalse();
    assertThat(WebPage.prefersHtml("text/html;q=bad")).isFalse();
  }

  private static void assertSecured(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).startsWith("default-src 'self'").doesNotContain("unsafe"));
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(10)).GET();
    if (accept != null) b.header("Accept", accept);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
