package io.segmenter.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.http.tls.TestCertificates;
import io.segmenter.ops.OpsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations server as {@code run} builds it from its settings, with client certificates
 * needed ({@code segmenter.http.tls.client.auth=need}): a certificate from an unknown authority, or
 * none, cannot even connect; a trusted certificate is mapped to its role by subject. (HttpSecurityIT
 * runs a deployment with certificates wanted, where tokens work alone.) The streams are not served
 * here: a request that passes access control is answered 503 "starting", one that does not 401.
 */
class MutualTlsServerTest {
  @TempDir
  Path dir;
  private TestCertificates.Authority ca;
  private OpsServer server;

  @BeforeEach
  void start() throws Exception {
    ca = TestCertificates.authority("mTLS test CA");
    TestCertificates.PemFiles identity = ca.issueInstance("localhost").writePem(dir, "server");
    Path roles = Files.writeString(dir.resolve("roles"), "reader CN=crm-app,O=Acme\n");
    SegmenterConfig config = new SegmenterConfig(Map.of(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:9",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
        SegmenterConfig.HTTP_HOST, "127.0.0.1", SegmenterConfig.HTTP_PORT, 0,
        SegmenterConfig.HTTP_TLS_CERTIFICATE, identity.certificateChain().toString(),
        SegmenterConfig.HTTP_TLS_KEY, identity.privateKey().toString(),
        SegmenterConfig.HTTP_TLS_TRUST, ca.writePem(dir.resolve("ca.pem")).toString(),
        SegmenterConfig.HTTP_TLS_CLIENT_AUTH, "need",
        SegmenterConfig.HTTP_CERTIFICATE_ROLES_FILE, roles.toString()));
    server = OpsServer.start(HttpSetup.settings(config, UnaryOperator.identity()), new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aMappedCertificatePassesAnUnmappedOneIs401AndUnknownOrMissingCertificatesCannotConnect() throws Exception {
    assertThat(server.scheme()).isEqualTo("https");
    SSLContext crm = TestCertificates.clientContext(ca, ca.issueClient("CN=crm-app,O=Acme"));
    assertThat(get(crm, "/customers/c-1").statusCode()).as("past access control: the streams are starting").isEqualTo(503);
    SSLContext unmapped = TestCertificates.clientContext(ca, ca.issueClient("CN=intruder,O=Acme"));
    assertThat(get(unmapped, "/customers/c-1").statusCode()).isEqualTo(401);
    assertThat(get(unmapped, "/health/live").statusCode()).isEqualTo(200);

    TestCertificates.Authority stranger = TestCertificates.authority("Unknown CA");
    SSLContext unknown = TestCertificates.clientContext(ca, stranger.issueClient("CN=crm-app,O=Acme"));
    assertThatThrownBy(() -> get(unknown, "/health/live")).isInstanceOf(IOException.class);
    SSLContext none = TestCertificates.clientContext(ca, null);
    assertThatThrownBy(() -> get(none, "/health/live")).isInstanceOf(IOException.class);
  }

  private HttpResponse<String> get(SSLContext tls, String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
