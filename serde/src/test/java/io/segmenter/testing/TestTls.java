package io.segmenter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material for tests, generated at test time with the JDK's own keytool (no test dependency,
 * nothing checked in that could expire): a self-signed server certificate for CN=localhost, valid
 * for ip:127.0.0.1 and dns:localhost, in a PKCS12 keystore, and a truststore that trusts it.
 *
 * <pre>{@code
 * TestTls tls = TestTls.generate(tempDir);
 * EmbeddedSchemaRegistry.builder().tls(tls.serverContext()).start();
 * client config: tls.clientProperties()  // schema.registry.ssl.truststore.*
 * }</pre>
 *
 * <p>For mutual TLS, {@link #newIdentity} makes a client certificate and {@link #newTrustStore} a
 * store that trusts it, to build the server's context with {@link #sslContext}.
 */
public final class TestTls {
  /** Password of every store and key made here. Test material only. */
  public static final String PASSWORD = "test-only-secret";
  public static final String PKCS12 = "PKCS12";
  public static final String JKS = "JKS";

  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  /** A key pair with its self-signed certificate: the keystore holding both and the certificate alone (PEM). */
  public record Identity(String alias, Path keyStore, Path certificate) {}

  private final Identity server;
  private final Path trustStore;

  private TestTls(Identity server, Path trustStore) {
    this.server = server;
    this.trustStore = trustStore;
  }

  /** Generates the server identity (server.p12) and a truststore trusting it (truststore.p12) in {@code dir}. */
  public static TestTls generate(Path dir) {
    Identity server = newIdentity(dir, "server", "CN=localhost", "ip:127.0.0.1,dns:localhost");
    Path trustStore = newTrustStore(dir.resolve("truststore.p12"), PKCS12, server);
    return new TestTls(server, trustStore);
  }

  public Identity server() {
    return server;
  }

  /** A PKCS12 truststore holding the server certificate, password {@link #PASSWORD}. */
  public Path trustStore() {
    return trustStore;
  }

  /** For the server side: presents the server certificate; asks for no client certificate. */
  public SSLContext serverContext() {
    return sslContext(server.keyStore(), null);
  }

  /** For a client: trusts the server certificate (and nothing else). */
  public SSLContext clientContext() {
    return sslContext(null, trustStore);
  }

  /** The registry client settings that make it trust the server. */
  public Map<String, String> clientProperties() {
    return Map.of(
        "schema.registry.ssl.truststore.location", trustStore.toString(),
        "schema.registry.ssl.truststore.password", PASSWORD,
        "schema.registry.ssl.truststore.type", PKCS12);
  }

  /**
   * A new RSA key pair with a self-signed certificate in {@code dir/<alias>.p12} (PKCS12) and the
   * certificate in {@code dir/<alias>.pem}.
   *
   * @param san keytool's subject alternative names, e.g. {@code ip:127.0.0.1,dns:localhost}; null for none
   */
  public static Identity newIdentity(Path dir, String alias, String distinguishedName, String san) {
    Path keyStore = dir.resolve(alias + ".p12");
    Path certificate = dir.resolve(alias + ".pem");
    List<String> generate =
        new ArrayList<>(
            List.of(
                "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", distinguishedName,
                "-storetype", PKCS12, "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
    if (san != null) {
      generate.addAll(List.of("-ext", "san=" + san));
    }
    keytool(generate);
    keytool(
        List.of(
            "-exportcert", "-rfc", "-alias", alias, "-file", certificate.toString(),
            "-storetype", PKCS12, "-keystore", keyStore.toString(), "-storepass", PASSWORD));
    return new Identity(alias, keyStore, certificate);
  }

  /** A truststore of the given type (JKS or PKCS12) at {@code file} trusting these identities' certificates. */
  public static Path newTrustStore(Path file, String type, Identity... trusted) {
    for (Identity identity : trusted) {
      keytool(
          List.of(
              "-importcert", "-noprompt", "-alias", identity.alias(), "-file", identity.certificate().toString(),
              "-storetype", type, "-keystore", file.toString(), "-storepass", PASSWORD));
    }
    return file;
  }

  /**
   * An SSLContext from PKCS12 stores with password {@link #PASSWORD}: {@code keyStore} (nullable)
   * holds this side's certificate, {@code trustStore} (nullable: JVM default) what it trusts.
   */
  public static SSLContext sslContext(Path keyStore, Path trustStore) {
    try {
      KeyManagerFactory keys = null;
      if (keyStore != null) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore), PASSWORD.toCharArray());
      }
      TrustManagerFactory trust = null;
      if (trustStore != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build an SSLContext from " + keyStore + " / " + trustStore, e);
    }
  }

  private static KeyStore load(Path file) throws GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(PKCS12);
      store.load(in, PASSWORD.toCharArray());
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** Runs the keytool of the JDK running the tests, failing with its output if it fails. */
  public static void keytool(List<String> args) {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>();
    command.add(keytool.toString());
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close(); // never wait for a prompt
      // Read before waiting: a full pipe would otherwise block keytool forever.
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s: " + args.get(0));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args.get(0) + " failed (exit " + process.exitValue() + "): " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + keytool, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running keytool", e);
    }
  }

  @Override
  public String toString() {
    return "TestTls{server=" + server.keyStore() + ", trustStore=" + trustStore + "}";
  }
}
