package io.segmenter.http.tls;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The Jetty side of {@link TlsMaterial}, kept apart so that the material itself is plain JDK.
 *
 * <pre>{@code
 * HttpConfiguration http = new HttpConfiguration();
 * http.addCustomizer(new SecureRequestCustomizer()); // puts the TLS session on each request
 * ServerConnector https = new ServerConnector(server,
 *     new SslConnectionFactory(JettyTls.sslContextFactory(tls, ClientAuth.NEED), "http/1.1"),
 *     new HttpConnectionFactory(http));
 * }</pre>
 */
public final class JettyTls {
  private JettyTls() { }

  /** A server factory presenting the material's identity, asking for client certificates per {@code clientAuth}. */
  public static SslContextFactory.Server sslContextFactory(TlsMaterial material, ClientAuth clientAuth) {
    material.requireTrustFor(clientAuth);
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setKeyStore(material.keyStore());
    factory.setKeyStorePassword(new String(material.keyStorePassword()));
    material.trustStore().ifPresent(factory::setTrustStore);
    factory.setIncludeProtocols(TlsMaterial.PROTOCOLS.toArray(String[]::new));
    factory.setEndpointIdentificationAlgorithm(null); // a server has no host name to check its clients against
    factory.setNeedClientAuth(clientAuth == ClientAuth.NEED);
    factory.setWantClientAuth(clientAuth == ClientAuth.WANT);
    return factory;
  }

  /**
   * The verified client certificate of a request, if the client presented one. Needs a
   * {@code SecureRequestCustomizer} in the connector's HttpConfiguration: it is what puts the TLS
   * session data on the request ({@code new ServerConnector(server, sslContextFactory)} adds one
   * itself). Without it, {@code request.getConnectionMetaData().getConnection().getEndPoint()
   * .getSslSessionData()} holds the same. (The attribute {@code org.eclipse.jetty.server.x509} is
   * the server's own certificate, not the client's.)
   */
  public static Optional<X509Certificate> clientCertificate(Request request) {
    if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData session) {
      X509Certificate[] chain = session.peerCertificates();
      if (chain != null && chain.length > 0) {
        return Optional.of(chain[0]);
      }
    }
    return Optional.empty();
  }
}
