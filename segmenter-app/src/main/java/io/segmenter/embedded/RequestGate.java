package io.segmenter.embedded;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs before routing: counts every request (so tests can see retries and rejected calls) and, when
 * configured, enforces HTTP Basic authentication.
 */
final class RequestGate extends Filter {
  static final String REALM = "segmenter-embedded-registry";

  private final AtomicLong requestCount;
  private final byte[] expectedAuthorization; // null = no authentication

  RequestGate(AtomicLong requestCount, String user, String password) {
    this.requestCount = requestCount;
    this.expectedAuthorization =
        user == null
            ? null
            : ("Basic "
                    + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    requestCount.incrementAndGet();
    if (expectedAuthorization != null && !authorized(exchange)) {
      try {
        exchange.getRequestBody().readAllBytes(); // drain so the connection can be reused
        new JsonExchange(exchange)
            .sendError(401, 401, "Unauthorized", Map.of("WWW-Authenticate", "Basic realm=\"" + REALM + "\""));
      } finally {
        exchange.close();
      }
      return;
    }
    chain.doFilter(exchange);
  }

  @Override
  public String description() {
    return "request counting and basic authentication";
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    // Constant-time comparison: do not leak the password through timing.
    return header != null
        && MessageDigest.isEqual(header.trim().getBytes(StandardCharsets.UTF_8), expectedAuthorization);
  }
}
