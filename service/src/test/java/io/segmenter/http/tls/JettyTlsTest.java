package io.segmenter.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.http.tls.TestCertificates.Authority;
import io.segmenter.http.tls.TestCertificates.PemFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Jetty 12 server over {@link JettyTls#sslContextFactory}, answering with the subject of the
 * client's certificate, called by the JDK HttpClient the way one instance forwards to another.
 */
@Timeout(60)
class JettyTlsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static Authority ca;
  private static Authority unknownCa;

  @TempDir static Path dir;
  private Server server;

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.authority("Test CA");
    unknownCa = TestCertificates.authority("Unknown CA");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void aPeerWithACertificateFromTheTrustedAuthorityIsServedAndKnownByItsSubject() throws Exception {
    int port = start(ClientAuth.NEED);
    TlsMaterial peer = identity(ca, "CN=peer-1,O=segmenter", "peer");

    HttpResponse<String> response = get(peer.httpClientBuilder(), port);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("CN=peer-1,O=segmenter");
  }

  @Test
  void aCertificateFromAnUnknownAuthorityIsRefused() {
    int port = start(ClientAuth.NEED);
    TlsMaterial stranger = identity(unknownCa, "CN=peer-1,O=segmenter", "stranger");

    assertThatThrownBy(() -> get(stranger.httpClientBuilder(), port)).isInstanceOf(IOException.class);
  }

  @Test
  void aClientWithoutACertificateIsRefusedWhenOneIsNeeded() {
    int port = start(ClientAuth.NEED);
    HttpClient.Builder anonymous = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(ca, null));

    assertThatThrownBy(() -> get(anonymous, port)).isInstanceOf(IOException.class);
  }

  @Test
  void aClientWithoutACertificateIsServedAnonymouslyWhenOneIsOnlyWanted() throws Exception {
    int port = start(ClientAuth.WANT);
    HttpClient.Builder anonymous = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(ca, null));
    HttpClient.Builder peer = HttpClient.newBuilder()
        .sslContext(TestCertificates.clientContext(ca, ca.issueClient("CN=operator,O=segmenter")));

    assertThat(get(anonymous, port).body()).isEqualTo("none");
    assertThat(get(peer, port).body()).isEqualTo("CN=operator,O=segmenter");
  }

  @Test
  void theFactoryOffersTls13And12Only() {
    TlsMaterial tls = serverMaterial();

    assertThat(JettyTls.sslContextFactory(tls, ClientAuth.NONE).getIncludeProtocols())
        .containsExactly("TLSv1.3", "TLSv1.2");
  }

  /** Starts the server on a free port of 127.0.0.1 and returns the port. */
  private int start(ClientAuth clientAuth) {
    server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.addCustomizer(new SecureRequestCustomizer());
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(JettyTls.sslContextFactory(serverMaterial(), clientAuth), "http/1.1"),
        new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new EchoClientSubject());
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not start", e);
    }
    return connector.getLocalPort();
  }

  private static TlsMaterial serverMaterial() {
    PemFiles files = ca.issueServer("localhost").writePem(dir, "server");
    return TlsMaterial.fromPem(files.certificateChain(), files.privateKey())
        .trustingPem(ca.writePem(dir.resolve("ca.crt")));
  }

  /** A client identity issued by {@code issuer}, trusting the test CA (the one that issued the server's). */
  private static TlsMaterial identity(Authority issuer, String subject, String name) {
    PemFiles files = issuer.issueClient(subject).writePem(dir, name);
    return TlsMaterial.fromPem(files.certificateChain(), files.privateKey())
        .trustingPem(ca.writePem(dir.resolve("ca.crt")));
  }

  private static HttpResponse<String> get(HttpClient.Builder client, int port) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/whoami"))
        .timeout(TIMEOUT).build();
    return client.version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build()
        .send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static final class EchoClientSubject extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String subject = JettyTls.clientCertificate(request)
          .map(certificate -> certificate.getSubjectX500Principal().getName())
          .orElse("none");
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      Content.Sink.write(response, true, subject, callback);
      return true;
    }
  }
}
