package io.segmenter.embedded;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs before routing: counts every request (so tests can see retries and rejected calls), answers
 * 503 to all of them while the registry is switched unavailable (outage tests), and, when configured,
 * enforces HTTP Basic authentication.
 */
final class RequestGate extends Filter {
  static final String REALM = "segmenter-embedded-registry";

  private final AtomicLong requestCount;
  private final AtomicBoolean available;
  private final byte[] expectedAuthorization; // null = no authentication

  RequestGate(AtomicLong requestCount, AtomicBoolean available, String user, String password) {
    this.requestCount = requestCount;
    this.available = available;
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
    if (!available.get()) {
      // What a client sees of a registry that is down behind a load balancer: every call fails with
      // a retriable status, so the client's retries and caches are what is being tested.
      reject(exchange, 503, "Service Unavailable", Map.of("Retry-After", "1"));
      return;
    }
    if (expectedAuthorization != null && !authorized(exchange)) {
      reject(exchange, 401, "Unauthorized", Map.of("WWW-Authenticate", "Basic realm=\"" + REALM + "\""));
      return;
    }
    chain.doFilter(exchange);
  }

  private static void reject(HttpExchange exchange, int status, String message, Map<String, String> headers)
      throws IOException {
    try {
      exchange.getRequestBody().readAllBytes(); // drain so the connection can be reused
      new JsonExchange(exchange).sendError(status, status, message, headers);
    } finally {
      exchange.close();
    }
  }

  @Override
  public String description() {
    return "request counting, availability switch and basic authentication";
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    // Constant-time comparison: do not leak the password through timing.
    return header != null
        && MessageDigest.isEqual(header.trim().getBytes(StandardCharsets.UTF_8), expectedAuthorization);
  }
}
