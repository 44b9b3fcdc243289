package io.segmenter.ops;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.eclipse.jetty.server.Request;

/** Placeholder: open to all. */
public final class AccessControl {
  record Caller(String name, String via, boolean peer) { }

  enum Verdict {
    ALLOW, UNAUTHENTICATED, FORBIDDEN;

    OpsResponse response() {
      return this == UNAUTHENTICATED ? OpsResponse.error(401, "unauthorized").withHeader("WWW-Authenticate", "Bearer")
          : OpsResponse.error(403, "forbidden");
    }
  }

  public static AccessControl open() {
    return new AccessControl();
  }

  Caller identify(Request request, String rawPathAndQuery) {
    return new Caller("anonymous", "none", false);
  }

  Verdict admit(Route route, Caller caller) {
    return Verdict.ALLOW;
  }

  void audit(Caller caller, String customerId, int status, String servedBy, String remote) { }

  void bindMetrics(MeterRegistry meters) { }

  Map<String, String> peerHeaders(String method, String rawPathAndQuery) {
    return Map.of();
  }
}
