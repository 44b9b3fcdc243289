package io.segmenter.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.http.tls.TestCertificates.Authority;
import io.segmenter.http.tls.TestCertificates.Issued;
import io.segmenter.http.tls.TestCertificates.KeyType;
import io.segmenter.http.tls.TestCertificates.PemFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TlsMaterialTest {
  private static final char[] PASSWORD = TestCertificates.PASSWORD.toCharArray();
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  private static Authority ca;
  private static Authority unknownCa;
  private static Issued server;

  @TempDir Path dir;

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.authority("Test CA");
    unknownCa = TestCertificates.authority("Unknown CA");
    server = ca.issueServer("localhost");
  }

  @Test
  void anEcIdentityLoadsFromAPemChainAndAPkcs8Key() throws Exception {
    PemFiles files = server.writePem(dir, "server");

    TlsMaterial tls = TlsMaterial.fromPem(files.certificateChain(), files.privateKey());

    assertThat(tls.certificate()).isEqualTo(server.certificate());
    KeyStore store = tls.keyStore();
    List<String> aliases = Collections.list(store.aliases());
    assertThat(aliases).hasSize(1);
    assertThat(store.isKeyEntry(aliases.get(0))).isTrue();
    assertThat(store.getCertificateChain(aliases.get(0))).containsExactly(server.certificate(), ca.certificate());
    assertThat(store.getKey(aliases.get(0), tls.keyStorePassword())).isEqualTo(server.privateKey());
    assertThat(tls.trustStore()).isEmpty();
  }

  @Test
  void anRsaKeyLoadsFromPkcs8AndFromOpensslsTraditionalPkcs1() {
    Issued rsa = TestCertificates.authority("RSA CA", KeyType.RSA).issueServer("localhost");
    Path chain = rsa.writeCertificateChainPem(dir.resolve("rsa.crt"));
    Path pkcs8 = rsa.writePrivateKeyPem(dir.resolve("rsa.key"));
    Path pkcs1 = rsa.writeTraditionalPrivateKeyPem(dir.resolve("rsa-pkcs1.key"));
    assertThat(pkcs1).content().startsWith("-----BEGIN RSA PRIVATE KEY-----");

    assertThat(TlsMaterial.fromPem(chain, pkcs8).certificate()).isEqualTo(rsa.certificate());
    assertThat(TlsMaterial.fromPem(chain, pkcs1).certificate()).isEqualTo(rsa.certificate());
  }

  @Test
  void anEcKeyInOpensslsTraditionalFormIsRefusedWithTheCommandThatConvertsIt() {
    Path chain = server.writeCertificateChainPem(dir.resolve("server.crt"));
    Path sec1 = server.writeTraditionalPrivateKeyPem(dir.resolve("server.key"));

    assertThatThrownBy(() -> TlsMaterial.fromPem(chain, sec1))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining(sec1.toString())
        .hasMessageContaining("EC PRIVATE KEY")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void anIdentityLoadsFromPkcs12AndFromJks() {
    Path pkcs12 = server.writeKeyStore(dir.resolve("server.p12"), "PKCS12", "server");
    Path jks = server.writeKeyStore(dir.resolve("server.jks"), "JKS", "server");

    assertThat(TlsMaterial.fromKeyStore(pkcs12, PASSWORD).certificate()).isEqualTo(server.certificate());
    assertThat(TlsMaterial.fromKeyStore(jks, PASSWORD).certificate()).isEqualTo(server.certificate());
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    Path chain = server.writeCertificateChainPem(dir.resolve("server.crt"));
    Path otherKey = ca.issueServer("localhost").writePrivateKeyPem(dir.resolve("other.key"));

    assertThatThrownBy(() -> TlsMaterial.fromPem(chain, otherKey))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining(otherKey.toString())
        .hasMessageContaining(chain.toString())
        .hasMessageContaining("does not belong to the certificate 'CN=localhost'");
  }

  @Test
  void aChainThatDoesNotStartWithTheInstancesOwnCertificateIsRefusedWithTheOrderToFix() throws IOException {
    Path chain = dir.resolve("reversed.crt");
    Path ownFirst = server.writeCertificateChainPem(dir.resolve("server.crt"));
    Path caOnly = ca.writePem(dir.resolve("ca.crt"));
    String leafOnly = Files.readString(ownFirst).replace(Files.readString(caOnly), "");
    Files.writeString(chain, Files.readString(caOnly) + leafOnly);
    Path key = server.writePrivateKeyPem(dir.resolve("server.key"));

    assertThatThrownBy(() -> TlsMaterial.fromPem(chain, key))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("put this instance's own certificate first");
  }

  @Test
  void aMissingFileIsNamedInTheError() {
    PemFiles files = server.writePem(dir, "server");
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> TlsMaterial.fromPem(missing, files.privateKey()))
        .isInstanceOf(TlsConfigException.class)
        .hasMessage("The certificate chain file " + missing + " does not exist (or is not a file)");
    assertThatThrownBy(() -> TlsMaterial.fromPem(files.certificateChain(), missing))
        .hasMessage("The private key file " + missing + " does not exist (or is not a file)");
    assertThatThrownBy(() -> TlsMaterial.fromKeyStore(missing, PASSWORD))
        .hasMessage("The keystore " + missing + " does not exist (or is not a file)");
    TlsMaterial tls = TlsMaterial.fromPem(files.certificateChain(), files.privateKey());
    assertThatThrownBy(() -> tls.trustingPem(missing))
        .hasMessage("The CA bundle " + missing + " does not exist (or is not a file)");
  }

  @Test
  void aWrongKeystorePasswordIsNamedInTheError() {
    Path pkcs12 = server.writeKeyStore(dir.resolve("server.p12"), "PKCS12", "server");
    Path jks = server.writeKeyStore(dir.resolve("server.jks"), "JKS", "server");

    for (Path store : List.of(pkcs12, jks)) {
      assertThatThrownBy(() -> TlsMaterial.fromKeyStore(store, "wrong".toCharArray()))
          .isInstanceOf(TlsConfigException.class)
          .hasMessageStartingWith("Wrong password for the keystore " + store);
    }
  }

  @Test
  void aCertificateFileWithoutACertificateIsRefusedWithWhatItHolds() {
    PemFiles files = server.writePem(dir, "server");

    assertThatThrownBy(() -> TlsMaterial.fromPem(files.privateKey(), files.certificateChain()))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("The certificate chain file " + files.privateKey() + " holds no certificate")
        .hasMessageContaining("[PRIVATE KEY]")
        .hasMessageContaining("swapped");
  }

  @Test
  void aPemFileGivenAsKeystoreIsRefusedWithAHint() {
    Path chain = server.writeCertificateChainPem(dir.resolve("server.crt"));

    assertThatThrownBy(() -> TlsMaterial.fromKeyStore(chain, PASSWORD))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("is not a PKCS12 or JKS keystore")
        .hasMessageContaining("It is PEM");
  }

  @Test
  void aPemBundleAndATruststoreEachTrustTheirAuthorities() throws Exception {
    PemFiles files = server.writePem(dir, "server");
    TlsMaterial tls = TlsMaterial.fromPem(files.certificateChain(), files.privateKey());
    Path bundle = dir.resolve("bundle.crt");
    Files.writeString(bundle, Files.readString(ca.writePem(dir.resolve("ca.crt")))
        + Files.readString(unknownCa.writePem(dir.resolve("other.crt"))));
    Path jks = ca.writeTrustStore(dir.resolve("trust.jks"), "JKS");

    KeyStore fromPem = tls.trustingPem(bundle).trustStore().orElseThrow();
    KeyStore fromJks = tls.trustingKeyStore(jks, PASSWORD).trustStore().orElseThrow();

    assertThat(trusted(fromPem)).containsExactlyInAnyOrder(ca.certificate(), unknownCa.certificate());
    assertThat(trusted(fromJks)).containsExactly(ca.certificate());
  }

  @Test
  void aKeystoreGivenAsTruststoreIsRefused() {
    PemFiles files = server.writePem(dir, "server");
    TlsMaterial tls = TlsMaterial.fromPem(files.certificateChain(), files.privateKey());
    Path keyStore = server.writePkcs12(dir.resolve("server.p12"), "server");

    assertThatThrownBy(() -> tls.trustingKeyStore(keyStore, PASSWORD))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("The truststore " + keyStore + " holds no trusted certificate");
  }

  @Test
  void askingForClientCertificatesWithoutATruststoreIsRefused() {
    PemFiles files = server.writePem(dir, "server");
    TlsMaterial tls = TlsMaterial.fromPem(files.certificateChain(), files.privateKey());

    assertThat(tls.serverParameters(ClientAuth.NONE).getNeedClientAuth()).isFalse();
    assertThatThrownBy(() -> tls.serverParameters(ClientAuth.NEED))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("no truststore or CA bundle");
    assertThatThrownBy(() -> JettyTls.sslContextFactory(tls, ClientAuth.WANT))
        .isInstanceOf(TlsConfigException.class);
  }

  @Test
  void mutualTlsAcceptsAClientCertificateFromTheTrustedAuthority() throws Exception {
    TlsMaterial serverTls = serverTrustingCa();
    SSLContext client = TestCertificates.clientContext(ca, ca.issueClient("CN=peer-1,O=segmenter"));

    assertThat(exchange(serverTls.serverContext(), serverTls.serverParameters(ClientAuth.NEED), client))
        .isEqualTo("CN=peer-1,O=segmenter");
  }

  @Test
  void mutualTlsRefusesAClientCertificateFromAnUnknownAuthority() {
    TlsMaterial serverTls = serverTrustingCa();
    SSLContext client = TestCertificates.clientContext(ca, unknownCa.issueClient("CN=peer-1,O=segmenter"));

    assertThatThrownBy(() -> exchange(serverTls.serverContext(), serverTls.serverParameters(ClientAuth.NEED), client))
        .isInstanceOf(IOException.class);
  }

  @Test
  void theClientContextPresentsItsIdentityAndRefusesAServerFromAnUnknownAuthority() throws Exception {
    TlsMaterial serverTls = serverTrustingCa();
    PemFiles peerFiles = ca.issueClient("CN=peer-2,O=segmenter").writePem(dir, "peer");
    Path caBundle = ca.writePem(dir.resolve("ca.crt"));
    TlsMaterial peer = TlsMaterial.fromPem(peerFiles.certificateChain(), peerFiles.privateKey()).trustingPem(caBundle);
    PemFiles strangerFiles = unknownCa.issueServer("localhost").writePem(dir, "stranger");
    TlsMaterial stranger = TlsMaterial.fromPem(strangerFiles.certificateChain(), strangerFiles.privateKey());

    assertThat(exchange(serverTls.serverContext(), serverTls.serverParameters(ClientAuth.NEED), peer.clientContext()))
        .isEqualTo("CN=peer-2,O=segmenter");
    assertThatThrownBy(() ->
            exchange(stranger.serverContext(), stranger.serverParameters(ClientAuth.NONE), peer.clientContext()))
        .isInstanceOf(SSLException.class);
  }

  private TlsMaterial serverTrustingCa() {
    PemFiles files = server.writePem(dir, "server");
    return TlsMaterial.fromPem(files.certificateChain(), files.privateKey()).trustingPem(ca.writePem(dir.resolve("ca.crt")));
  }

  private static List<X509Certificate> trusted(KeyStore store) throws Exception {
    List<X509Certificate> result = new ArrayList<>();
    for (String alias : Collections.list(store.aliases())) {
      assertThat(store.isCertificateEntry(alias)).isTrue();
      result.add((X509Certificate) store.getCertificate(alias));
    }
    return result;
  }

  /**
   * One connection to a JDK TLS server that answers with the subject of the client's certificate
   * (or "none"); the client checks the server's certificate against 127.0.0.1. With TLS 1.3 a
   * refused client certificate shows only at the client's first read, so it reads.
   */
  private static String exchange(SSLContext serverContext, SSLParameters serverParameters, SSLContext clientContext)
      throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (SSLServerSocket listener =
        (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
      listener.setSSLParameters(serverParameters);
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> serveOne(listener));
      String answer;
      try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket(loopback, listener.getLocalPort())) {
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
      }
      served.join(); // after the client's close: the server's close waits for the client's close_notify
      return answer;
    }
  }

  private static void serveOne(SSLServerSocket listener) {
    try (SSLSocket socket = (SSLSocket) listener.accept()) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.startHandshake();
      String subject;
      try {
        subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
      } catch (SSLPeerUnverifiedException e) {
        subject = "none";
      }
      socket.getOutputStream().write((subject + "\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a refused handshake: the client sees it too
    }
  }
}
