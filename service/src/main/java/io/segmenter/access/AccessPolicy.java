package io.segmenter.access;

import java.util.Objects;

/**
 * What each route of the operations server needs, and whether a principal has it. Pure: the server
 * authenticates, asks {@link #decide}, answers 401 or 403 with no detail, and counts the refusal.
 *
 * <p>With access control enabled: health, the index (the page or the list of endpoints) and the
 * page's static files are open to all (probes and load balancers carry no credentials; the page
 * holds no data and asks the data endpoints with the user's token); metrics are open while no
 * tokens or certificate roles are configured, so a deployment that has not set any up yet is still
 * monitored, and need ops once any are; segments, the model, the segment map and the flows need
 * ops (so does the strategies' comparison); a promotion of a strategy (POST) needs the ops role
 * itself, which a reader does not hold for this; a customer needs reader, or peer for a read another instance forwarded; the
 * internal endpoint (local populations, no more than /segments shows) needs peer or ops. Customers are never open: with no credentials configured nobody may
 * read one. Disabled, everything is allowed, as before access control existed.
 */
public record AccessPolicy(boolean enabled) {
  /** The routes, as far as access is concerned. */
  public enum Route {
    INDEX, ASSET, HEALTH, METRICS, SEGMENTS, MODEL, MAP, FLOWS, CUSTOMER, INTERNAL, STRATEGIES, PROMOTE
  }

  /** The answer to one request. */
  public enum Decision {
    ALLOW(200), UNAUTHENTICATED(401), FORBIDDEN(403);

    private final int status;

    Decision(int status) {
      this.status = status;
    }

    /** The HTTP status of a refusal (200 for ALLOW: the route's own answer follows). */
    public int status() {
      return status;
    }
  }

  /**
   * Whether {@code principal} may use {@code route}. {@code credentialsConfigured}: whether any token
   * or certificate subject is configured now (they may be rotated in or out while running).
   * Anonymous callers refused get UNAUTHENTICATED (401: present credentials), authenticated ones
   * FORBIDDEN (403: these credentials will not do).
   */
  public Decision decide(Route route, Principal principal, boolean credentialsConfigured) {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(principal, "principal");
    if (!enabled || openToAnonymous(route, credentialsConfigured)) return Decision.ALLOW;
    if (allowed(route, principal)) return Decision.ALLOW;
    return principal.isAnonymous() ? Decision.UNAUTHENTICATED : Decision.FORBIDDEN;
  }

  /**
   * Whether the headers by which instances talk to each other (forwarded, allow-stale reads) are to
   * be honoured on a request: only from a peer, so that an outside caller cannot steer forwarding or
   * ask for stale data. Disabled, they are honoured as before.
   */
  public boolean honoursPeerHeaders(Principal principal) {
    return !enabled || principal.has(Role.PEER);
  }

  private static boolean openToAnonymous(Route route, boolean credentialsConfigured) {
    return switch (route) {
      case INDEX, ASSET, HEALTH -> true;
      case METRICS -> !credentialsConfigured;
      case SEGMENTS, MODEL, MAP, FLOWS, CUSTOMER, INTERNAL, STRATEGIES, PROMOTE -> false;
    };
  }

  private static boolean allowed(Route route, Principal principal) {
    return switch (route) {
      case INDEX, ASSET, HEALTH -> true;
      case METRICS, SEGMENTS, MODEL, MAP, FLOWS, STRATEGIES -> principal.has(Role.OPS);
      // The one route that changes what the service does: the ops role itself. A reader holds ops for
      // reading (Role.grants), not for promoting a strategy.
      case PROMOTE -> principal.roles().contains(Role.OPS);
      case CUSTOMER -> principal.has(Role.READER) || principal.has(Role.PEER);
      // A peer's own request, or a /segments client's credentials relayed by an instance without a
      // peer secret: the local populations are no more than /segments shows.
      case INTERNAL -> principal.has(Role.PEER) || principal.has(Role.OPS);
    };
  }
}
