package io.segmenter.access;

import java.util.Objects;
import java.util.Set;

/**
 * Who made a request, as far as the server could tell: the name is what the audit log writes (the
 * token's label, the certificate subject, {@code peer:<address>} or {@code anonymous}), never a secret.
 */
public record Principal(String name, Set<Role> roles, Authentication authentication) {
  /** How the caller proved who it is. */
  public enum Authentication {
    /** A bearer token listed in the token file. */
    TOKEN,
    /** A client certificate whose subject the certificate-roles file maps to roles. */
    CERTIFICATE,
    /** The peer signature made with the deployment's shared secret. */
    PEER,
    /** Nothing, or nothing that checked out. */
    ANONYMOUS
  }

  private static final Principal ANONYMOUS = new Principal("anonymous", Set.of(), Authentication.ANONYMOUS);

  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(authentication, "authentication");
    roles = Set.copyOf(roles);
    if ((authentication == Authentication.ANONYMOUS) != roles.isEmpty()) {
      throw new IllegalArgumentException("an anonymous principal has no roles, an authenticated one has some");
    }
  }

  /** The caller that presented no credentials, or credentials that did not check out. */
  public static Principal anonymous() {
    return ANONYMOUS;
  }

  /** Another instance, authenticated by the peer signature; the address is the one it connected from. */
  public static Principal peer(String remoteAddress) {
    return new Principal("peer:" + remoteAddress, Set.of(Role.PEER), Authentication.PEER);
  }

  public boolean isAnonymous() {
    return authentication == Authentication.ANONYMOUS;
  }

  /** Whether one of this principal's roles grants {@code needed} (a reader has ops). */
  public boolean has(Role needed) {
    for (Role r : roles) {
      if (r.grants(needed)) return true;
    }
    return false;
  }
}
