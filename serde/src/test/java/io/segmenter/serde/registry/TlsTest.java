package io.segmenter.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.testing.TestTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS against {@link MiniRegistry} and {@link ScriptedRegistry}, with certificates made at test time
 * by {@link TestTls}.
 */
@Timeout(60)
class TlsTest {
  @TempDir static Path dir;
  private static TestTls tls;
  private static MiniRegistry registry;

  @BeforeAll
  static void start() {
    tls = TestTls.generate(dir);
    registry = MiniRegistry.startHttps(tls.serverContext());
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void talksHttpsWhenTheTruststoreTrustsTheRegistry() {
    Map<String, Object> props = new HashMap<>(tls.clientProperties());
    props.put("schema.registry.url", registry.url());
    try (CachedSchemaRegistryClient client = CachedSchemaRegistryClient.fromProperties(props)) {
      assertThat(registry.url()).startsWith("https://");
      int id = client.register("tls-value", TestSchemas.V1);
      assertThat(client.getLatestVersion("tls-value").id()).isEqualTo(id);
    }
  }

  @Test
  void aJksTruststoreIsTheDefaultType() {
    Path jks = TestTls.newTrustStore(dir.resolve("truststore.jks"), TestTls.JKS, tls.server());
    try (CachedSchemaRegistryClient client =
        CachedSchemaRegistryClient.fromProperties(
            Map.of(
                "schema.registry.url", "https://localhost:" + registry.port(), // the certificate's DNS name
                "schema.registry.ssl.truststore.location", jks.toString(),
                "schema.registry.ssl.truststore.password", TestTls.PASSWORD))) {
      assertThat(client.getSubjects()).isNotNull();
    }
  }

  @Test
  void anUntrustedCertificateFailsFastWithAClearMessage() {
    registry.resetRequestCount();
    try (CachedSchemaRegistryClient client =
        CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url(), "retries.wait.ms", 1))) {
      assertThatThrownBy(() -> client.getSubjects())
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
            assertThat(e.getMessage()).contains("TLS").contains("certificate").contains(registry.url());
          });
    }
    assertThat(registry.requestCount()).as("no HTTP request got through").isZero();
  }

  @Test
  void httpsAgainstAPlainHttpServerFailsFastWithATlsMessage() throws Exception {
    // Like any plain HTTP server, it answers the TLS ClientHello with a plain-text 400.
    byte[] plainAnswer =
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    try (SilentServer plain = new SilentServer(plainAnswer);
        CachedSchemaRegistryClient client =
            CachedSchemaRegistryClient.fromProperties(
                Map.of("schema.registry.url", plain.url().replace("http://", "https://"), "retries.wait.ms", 1))) {
      assertThatThrownBy(() -> client.getSubjects())
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
            assertThat(e.getMessage()).contains("TLS").contains("http/https");
          });
      // Not retried by the client (max.retries=3 would make 4 connections); the JDK's HttpClient
      // itself may reconnect once for an idempotent GET, hence up to 2.
      assertThat(plain.acceptedConnections()).as("not retried: retrying cannot help").isBetween(1, 2);
    }
  }

  @Test
  void presentsTheKeystoreCertificateForMutualTls() {
    TestTls.Identity clientIdentity = TestTls.newIdentity(dir, "client", "CN=segmenter-client", null);
    Path serverTrust = TestTls.newTrustStore(dir.resolve("server-trust.p12"), TestTls.PKCS12, clientIdentity);
    SSLContext serverContext = TestTls.sslContext(tls.server().keyStore(), serverTrust);
    try (ScriptedRegistry mtls =
        ScriptedRegistry.startHttps(
            serverContext, true, ScriptedRegistry.always(ScriptedRegistry.Reply.json(200, "[\"mtls-value\"]")))) {
      Map<String, Object> props = new HashMap<>(tls.clientProperties());
      props.put("schema.registry.url", mtls.url());
      props.put("max.retries", 0);
      try (CachedSchemaRegistryClient anonymous = CachedSchemaRegistryClient.fromProperties(props)) {
        assertThatThrownBy(() -> anonymous.getSubjects())
            .isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE));
      }
      assertThat(mtls.requestCount()).as("refused without a client certificate").isZero();

      props.put("schema.registry.ssl.keystore.location", clientIdentity.keyStore().toString());
      props.put("schema.registry.ssl.keystore.password", TestTls.PASSWORD);
      props.put("schema.registry.ssl.keystore.type", TestTls.PKCS12);
      try (CachedSchemaRegistryClient client = CachedSchemaRegistryClient.fromProperties(props)) {
        assertThat(client.getSubjects()).containsExactly("mtls-value");
      }
    }
  }
}
