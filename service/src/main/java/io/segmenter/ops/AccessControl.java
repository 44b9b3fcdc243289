package io.segmenter.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.access.AccessPolicy;
import io.segmenter.access.AuditLog;
import io.segmenter.access.CertificateRoles;
import io.segmenter.access.PeerSignature;
import io.segmenter.access.Principal;
import io.segmenter.access.TokenFile;
import io.segmenter.http.tls.JettyTls;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Request;

/**
 * The operations server's access control, on one request: who is asking (a peer instance by its
 * signature, a bearer token, a client certificate, or nobody), whether they may
 * ({@link AccessPolicy}), the audit line of a customer read, and the signature this instance puts on
 * its own calls to peers. Refusals say nothing but 401 or 403 and are counted
 * ({@code segmenter_http_denied_total{route,status}}); a failed peer signature is counted too.
 */
public final class AccessControl {
  /** Who sent a request, and whether they may steer forwarding (an authenticated peer, or access control off). */
  record Caller(Principal principal, boolean peer) { }

  /** The outcome of {@link #admit}. */
  enum Verdict {
    ALLOW, UNAUTHENTICATED, FORBIDDEN;

    /** The refusal: no detail that tells an attacker which part failed. */
    OpsResponse response() {
      return this == UNAUTHENTICATED
          ? OpsResponse.error(401, "unauthorized").withHeader("WWW-Authenticate", "Bearer")
          : OpsResponse.error(403, "forbidden");
    }
  }

  private final AccessPolicy policy;
  private final TokenFile tokens;
  private final CertificateRoles certificates;
  private final PeerSignature peers;
  private final AuditLog audit;
  private final UnaryOperator<String> customerForAudit;
  private volatile MeterRegistry meters = new SimpleMeterRegistry();

  /**
   * @param tokens bearer tokens, or null for none
   * @param certificates client-certificate subjects and their roles, or null for none
   * @param peers the signature shared by the deployment's instances, or null (then instances relay
   *     the client's own credentials, and nothing is honoured as coming from a peer)
   * @param customerForAudit what the audit line writes for a customer id (itself, or its pseudonym)
   */
  public AccessControl(AccessPolicy policy, TokenFile tokens, CertificateRoles certificates, PeerSignature peers,
      AuditLog audit, UnaryOperator<String> customerForAudit) {
    this.policy = policy;
    this.tokens = tokens;
    this.certificates = certificates;
    this.peers = peers;
    this.audit = audit;
    this.customerForAudit = customerForAudit;
  }

  /** Everything open to everyone, no audit: tests and the demo (which says so). */
  public static AccessControl open() {
    return new AccessControl(new AccessPolicy(false), null, null, null, AuditLog.off(), UnaryOperator.identity());
  }

  public boolean enabled() {
    return policy.enabled();
  }

  /** Whether any credential is configured now (tokens or certificate subjects; they may be rotated in). */
  public boolean credentialsConfigured() {
    return tokens != null && tokens.hasTokens() || certificates != null && certificates.hasSubjects();
  }

  void bindMetrics(MeterRegistry registry) {
    this.meters = registry;
  }

  Caller identify(Request request, String rawPathAndQuery) {
    Principal principal = principal(request, rawPathAndQuery);
    return new Caller(principal, policy.honoursPeerHeaders(principal));
  }

  private Principal principal(Request request, String rawPathAndQuery) {
    String signature = request.getHeaders().get(PeerSignature.HEADER);
    if (signature != null) {
      if (peers != null && peers.verify(request.getMethod(), rawPathAndQuery, signature)) {
        return Principal.peer(Request.getRemoteAddr(request));
      }
      counter("segmenter.http.peer.signature.rejected", "Requests whose peer signature did not verify (forged, "
          + "expired, or another deployment's secret)", Map.of()).increment();
    }
    Optional<String> token = TokenFile.bearerToken(request.getHeaders().get("Authorization"));
    if (token.isPresent() && tokens != null) {
      Optional<Principal> p = tokens.authenticate(token.get());
      if (p.isPresent()) return p.get();
    }
    if (certificates != null) {
      Optional<Principal> p = JettyTls.clientCertificate(request)
          .flatMap(c -> certificates.principalOf(c.getSubjectX500Principal()));
      if (p.isPresent()) return p.get();
    }
    return Principal.anonymous();
  }

  Verdict admit(Route route, Caller caller) {
    AccessPolicy.Decision d = policy.decide(AccessPolicy.Route.valueOf(route.name()), caller.principal(),
        credentialsConfigured());
    if (d == AccessPolicy.Decision.ALLOW) return Verdict.ALLOW;
    counter("segmenter.http.denied", "Requests refused by access control (401 no or unknown credentials, 403 "
        + "credentials without the role)", Map.of("route", route.label, "status", String.valueOf(d.status()))).increment();
    return d == AccessPolicy.Decision.UNAUTHENTICATED ? Verdict.UNAUTHENTICATED : Verdict.FORBIDDEN;
  }

  void audit(Caller caller, String customerId, int status, String servedBy, String remote) {
    audit.customerRead(caller.principal(), customerForAudit.apply(customerId), status, servedBy, remote);
  }

  void auditPromotion(Caller caller, String strategy, int status, String instance, String remote) {
    audit.promotion(caller.principal(), strategy, status, instance, remote);
  }

  /** The headers that authenticate this instance's call to a peer (none without a peer secret). */
  Map<String, String> peerHeaders(String method, String rawPathAndQuery) {
    return peers == null ? Map.of() : Map.of(PeerSignature.HEADER, peers.sign(method, rawPathAndQuery));
  }

  /** Closes the audit file, if any (on server close). */
  void close() {
    try {
      audit.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not close the audit log", e);
    }
  }

  private Counter counter(String name, String description, Map<String, String> tags) {
    Counter.Builder b = Counter.builder(name).description(description);
    tags.forEach(b::tag);
    return b.register(meters);
  }
}
