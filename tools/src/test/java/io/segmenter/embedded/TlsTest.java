package io.segmenter.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a self-signed certificate made by the JDK's keytool (no test dependency needed). */
class TlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  @Test
  void servesHttpsWithTheGivenContext(@TempDir Path dir) throws Exception {
    KeyStore keyStore = selfSignedKeyStore(dir);
    SSLContext server = SSLContext.getInstance("TLS");
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    server.init(keys.getKeyManagers(), null, null);

    SSLContext client = SSLContext.getInstance("TLS");
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keyStore);
    client.init(null, trust.getTrustManagers(), null);

    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().tls(server).start()) {
      assertThat(registry.url()).isEqualTo("https://127.0.0.1:" + registry.port());
      RegistryHttp https =
          new RegistryHttp(
              registry.url(),
              HttpClient.newBuilder().sslContext(client).connectTimeout(Duration.ofSeconds(5)).build());
      int id = https.register("customers-value", Schemas.V1);
      assertThat(https.get("/schemas/ids/" + id).status()).isEqualTo(200);
    }
  }

  private static KeyStore selfSignedKeyStore(Path dir) throws Exception {
    Path file = dir.resolve("registry.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process =
        new ProcessBuilder(
                List.of(
                    keytool.toString(), "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048",
                    "-validity", "1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                    "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      keyStore.load(in, PASSWORD);
    }
    return keyStore;
  }
}
