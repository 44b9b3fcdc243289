package io.segmenter.serde.registry;

import java.util.Objects;

/**
 * One registry base URL (no credentials, no trailing slash, e.g. {@code
 * http://host:8081/apis/ccompat/v7}) and the Authorization header to send to it, if any.
 */
final class RegistryEndpoint {
  private final String baseUrl;
  private final String authorization;

  RegistryEndpoint(String baseUrl, String authorization) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.authorization = authorization;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** The full Authorization header value, or null to send none. */
  String authorization() {
    return authorization;
  }

  RegistryEndpoint withAuthorization(String newAuthorization) {
    return new RegistryEndpoint(baseUrl, newAuthorization);
  }

  /** The URL only: this text goes into messages and logs, so it never holds credentials. */
  @Override
  public String toString() {
    return baseUrl;
  }
}
