package io.segmenter.http.tls;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS material of one segmenter instance: its identity (a private key and the certificate chain
 * that goes with it), and the certificate authorities it trusts, if any: those whose client
 * certificates its HTTP server accepts (mutual TLS), and whose server certificates it accepts from
 * the instances it forwards requests to.
 *
 * <pre>{@code
 * TlsMaterial tls = TlsMaterial.fromPem(Path.of("tls.crt"), Path.of("tls.key")).trustingPem(Path.of("ca.crt"));
 * SslContextFactory.Server jetty = JettyTls.sslContextFactory(tls, ClientAuth.NEED);
 * HttpClient peers = tls.httpClientBuilder().build();
 * }</pre>
 *
 * <p>Everything is read and checked once, here, so that a wrong file fails at start-up with a
 * message that names it, not at the first handshake. The stores are in memory: a renewed
 * certificate takes a restart (no hot reload; Jetty's KeyStoreScanner could add it, but it watches
 * a keystore file, which the PEM form does not have).
 */
public final class TlsMaterial {
  /** The protocols offered and accepted, newest first: TLS 1.0 and 1.1 are broken, 1.2 is still common. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private static final String IDENTITY_ALIAS = "identity";
  private static final String KEYSTORE = "keystore";
  private static final String TRUSTSTORE = "truststore";

  private final KeyStore keyStore;
  private final char[] keyStorePassword;
  private final X509Certificate certificate;
  private final KeyStore trustStore; // null: the JDK's default authorities

  private TlsMaterial(KeyStore keyStore, char[] keyStorePassword, X509Certificate certificate, KeyStore trustStore) {
    this.keyStore = keyStore;
    this.keyStorePassword = keyStorePassword;
    this.certificate = certificate;
    this.trustStore = trustStore;
  }

  /**
   * The identity from PEM files: {@code certificateChain} holds this instance's certificate first,
   * then any intermediates; {@code privateKey} its key, unencrypted PKCS#8 ({@code BEGIN PRIVATE
   * KEY}; RSA, EC or EdDSA) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}).
   */
  public static TlsMaterial fromPem(Path certificateChain, Path privateKey) {
    List<X509Certificate> chain = Pem.certificates(certificateChain, "certificate chain file");
    PrivateKey key = Pem.privateKey(privateKey, "private key file");
    return identity(key, chain, "The private key " + privateKey, "certificate chain file " + certificateChain);
  }

  /**
   * The identity from a PKCS12 or JKS keystore (the type is recognised from the content) holding
   * exactly one private key, under the keystore's password.
   */
  public static TlsMaterial fromKeyStore(Path file, char[] password) {
    KeyStore store = load(file, password, KEYSTORE);
    List<String> keyAliases = aliases(store, file, true);
    if (keyAliases.isEmpty()) {
      throw new TlsConfigException("The " + KEYSTORE + " " + file + " holds no private key, only trusted "
          + "certificates: is it a truststore? The identity needs a key entry (keytool -genkeypair or "
          + "openssl pkcs12 -export)");
    }
    if (keyAliases.size() > 1) {
      throw new TlsConfigException("The " + KEYSTORE + " " + file + " holds " + keyAliases.size()
          + " private keys (aliases " + keyAliases + "): keep only this instance's");
    }
    String alias = keyAliases.get(0);
    try {
      PrivateKey key = (PrivateKey) store.getKey(alias, passwordOrEmpty(password));
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : store.getCertificateChain(alias)) {
        chain.add((X509Certificate) c);
      }
      return identity(key, chain, "The private key '" + alias + "' of " + file, "its certificate");
    } catch (UnrecoverableKeyException e) {
      throw new TlsConfigException("The private key '" + alias + "' in " + file + " has a password other than "
          + "the keystore's: give both the same password", e);
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException("Cannot read the private key '" + alias + "' of " + file + ": " + e.getMessage(), e);
    }
  }

  /** The same identity, trusting the certificates of a PEM bundle (one or more {@code BEGIN CERTIFICATE}). */
  public TlsMaterial trustingPem(Path caBundle) {
    List<X509Certificate> authorities = Pem.certificates(caBundle, "CA bundle");
    return trusting(trustStoreOf(authorities));
  }

  /** The same identity, trusting the trusted-certificate entries of a PKCS12 or JKS truststore. */
  public TlsMaterial trustingKeyStore(Path file, char[] password) {
    KeyStore store = load(file, password, TRUSTSTORE);
    List<X509Certificate> authorities = new ArrayList<>();
    try {
      for (String alias : aliases(store, file, false)) {
        authorities.add((X509Certificate) store.getCertificate(alias));
      }
    } catch (KeyStoreException e) {
      throw new TlsConfigException("Cannot read the " + TRUSTSTORE + " " + file + ": " + e.getMessage(), e);
    }
    if (authorities.isEmpty()) {
      throw new TlsConfigException("The " + TRUSTSTORE + " " + file + " holds no trusted certificate (a "
          + "truststore holds the CA certificates, imported with keytool -importcert)");
    }
    return trusting(trustStoreOf(authorities));
  }

  /** The same identity, trusting the certificates in {@code trust}. */
  public TlsMaterial trusting(KeyStore trust) {
    return new TlsMaterial(keyStore, keyStorePassword, certificate, trust);
  }

  /** An in-memory PKCS12 store with one key entry: this instance's key and certificate chain. */
  public KeyStore keyStore() {
    return keyStore;
  }

  /** The password of {@link #keyStore()} and of its key entry (random: the store never leaves memory). */
  public char[] keyStorePassword() {
    return keyStorePassword.clone();
  }

  /** The authorities trusted, as trusted-certificate entries; empty: the JDK's default ones. */
  public Optional<KeyStore> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /** This instance's own certificate (the first of its chain). */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * For the instance-to-instance client: presents this identity (a peer that needs client
   * certificates authenticates it) and trusts the truststore, or the JDK's authorities if none was
   * given. Use with {@link #clientParameters()}, or take {@link #httpClientBuilder()}.
   */
  public SSLContext clientContext() {
    return sslContext();
  }

  /** TLS 1.3 and 1.2 only, with the host name checked against the server's certificate. */
  public SSLParameters clientParameters() {
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    return parameters;
  }

  /** An HttpClient builder with {@link #clientContext()} and {@link #clientParameters()}. */
  public HttpClient.Builder httpClientBuilder() {
    return HttpClient.newBuilder().sslContext(clientContext()).sslParameters(clientParameters());
  }

  /**
   * For a JDK server ({@code SSLServerSocket}, {@code HttpsServer}): presents this identity and,
   * with {@link #serverParameters}, asks for client certificates issued by the trusted authorities.
   */
  public SSLContext serverContext() {
    return sslContext();
  }

  /** TLS 1.3 and 1.2 only, and client certificates asked for as {@code clientAuth} says. */
  public SSLParameters serverParameters(ClientAuth clientAuth) {
    requireTrustFor(clientAuth);
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
    parameters.setNeedClientAuth(clientAuth == ClientAuth.NEED);
    if (clientAuth == ClientAuth.WANT) {
      parameters.setWantClientAuth(true); // setting either resets the other
    }
    return parameters;
  }

  /**
   * Refuses to ask for client certificates without a truststore: the JDK's default authorities
   * would admit anyone with a certificate from any public CA.
   */
  void requireTrustFor(ClientAuth clientAuth) {
    if (clientAuth != ClientAuth.NONE && trustStore == null) {
      throw new TlsConfigException("Client certificates are asked for (" + clientAuth + ") but no truststore or "
          + "CA bundle is configured: give the authorities that issue the client certificates");
    }
  }

  private SSLContext sslContext() {
    try {
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, keyStorePassword);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore); // null: the JDK's cacerts
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build an SSLContext from checked material", e);
    }
  }

  private static TlsMaterial identity(PrivateKey key, List<X509Certificate> chain, String keySource,
      String chainSource) {
    X509Certificate leaf = chain.get(0);
    checkValidity(leaf, chainSource);
    if (!matches(key, leaf.getPublicKey())) {
      String hint = chain.stream().skip(1).anyMatch(c -> matches(key, c.getPublicKey()))
          ? ": it belongs to another certificate of the chain; put this instance's own certificate first"
          : ": check that both come from the same key pair (compare `openssl x509 -noout -pubkey` with "
              + "`openssl pkey -pubout`)";
      throw new TlsConfigException(keySource + " does not belong to the certificate '"
          + leaf.getSubjectX500Principal().getName() + "' of the " + chainSource + hint);
    }
    char[] password = randomPassword();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(IDENTITY_ALIAS, key, password, chain.toArray(X509Certificate[]::new));
      return new TlsMaterial(store, password, leaf, null);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot build an in-memory PKCS12 keystore", e);
    }
  }

  /**
   * Whether {@code key} is the private half of {@code publicKey}: a signature made with one is
   * verified with the other (works alike for RSA, EC and EdDSA, without their mathematics here).
   */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
      default -> throw new TlsConfigException("Private keys of type " + key.getAlgorithm()
          + " are not supported: use an RSA, EC or EdDSA key");
    };
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void checkValidity(X509Certificate certificate, String source) {
    String subject = "The certificate '" + certificate.getSubjectX500Principal().getName() + "' of the " + source;
    try {
      certificate.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new TlsConfigException(subject + " expired on " + certificate.getNotAfter().toInstant() + ": renew it", e);
    } catch (CertificateNotYetValidException e) {
      throw new TlsConfigException(subject + " is not valid before " + certificate.getNotBefore().toInstant()
          + ": check this machine's clock", e);
    }
  }

  private static KeyStore trustStoreOf(List<X509Certificate> authorities) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot build an in-memory PKCS12 truststore", e);
    }
  }

  /** A PKCS12 or JKS file, the type recognised from its content. */
  private static KeyStore load(Path file, char[] password, String what) {
    if (!Files.isRegularFile(file)) {
      throw new TlsConfigException("The " + what + " " + file + " does not exist (or is not a file)");
    }
    File asFile = file.toFile();
    try {
      return KeyStore.getInstance(asFile, passwordOrEmpty(password));
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new TlsConfigException("Wrong password for the " + what + " " + file
            + " (or the file is damaged): check the password setting", e);
      }
      throw new TlsConfigException("Cannot read the " + what + " " + file + ": " + e.getMessage(), e);
    } catch (KeyStoreException e) {
      String pem = looksLikePem(file) ? " It is PEM: configure it as PEM files instead." : "";
      throw new TlsConfigException("The " + what + " " + file + " is not a PKCS12 or JKS keystore." + pem, e);
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException("Cannot read the " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean looksLikePem(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> aliases(KeyStore store, Path file, boolean keys) {
    try {
      List<String> result = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (keys ? store.isKeyEntry(alias) : store.isCertificateEntry(alias)) {
          result.add(alias);
        }
      }
      Collections.sort(result);
      return result;
    } catch (KeyStoreException e) {
      throw new TlsConfigException("Cannot list the entries of " + file + ": " + e.getMessage(), e);
    }
  }

  private static char[] passwordOrEmpty(char[] password) {
    return password == null ? new char[0] : password;
  }

  private static char[] randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes).toCharArray();
  }

  @Override
  public String toString() {
    return "TlsMaterial{certificate=" + certificate.getSubjectX500Principal().getName()
        + ", trust=" + (trustStore == null ? "JDK default" : "configured") + "}";
  }
}
