package io.segmenter.ops;

import javax.net.ssl.SSLContext;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * How the operations server is reached and guarded: where it binds, its limits, who may call what,
 * and TLS (null for plain HTTP).
 */
public record HttpSettings(String host, int port, HttpLimits limits, AccessControl access, Tls tls) {

  /**
   * TLS for the server's connector, and for this instance's calls to its peers (which trust the same
   * authorities and present the same identity, so that peers can tell each other by certificate).
   */
  public record Tls(SslContextFactory.Server server, SSLContext client) { }
}
