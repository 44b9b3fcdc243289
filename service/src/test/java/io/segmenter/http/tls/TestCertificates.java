package io.segmenter.http.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made by the test, and the server and client certificates it issues:
 * nothing checked in that could expire, and no keytool process. Bouncy Castle builds the
 * certificates; the JDK does everything else.
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority("Test CA");
 * TestCertificates.Issued server = ca.issueServer("localhost");      // SAN DNS:localhost, IP:127.0.0.1
 * TestCertificates.Issued peer = ca.issueClient("CN=peer-1,O=segmenter");
 * TestCertificates.PemFiles files = server.writePem(dir, "server");  // server.crt, server.key (PKCS#8)
 * Path bundle = ca.writePem(dir.resolve("ca.crt"));
 * SSLContext client = TestCertificates.clientContext(ca, peer);      // or (ca, null): no client certificate
 * TestCertificates.Authority unknown = TestCertificates.authority("Unknown CA"); // for refusals
 * }</pre>
 */
public final class TestCertificates {
  /** Password of every keystore written here. Test material only. */
  public static final String PASSWORD = "test-only-secret";

  private static final Duration VALIDITY = Duration.ofDays(2);
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  /** The key pair algorithm of an authority and of everything it issues. */
  public enum KeyType {
    EC("SHA256withECDSA"),
    RSA("SHA256withRSA");

    private final String signatureAlgorithm;

    KeyType(String signatureAlgorithm) {
      this.signatureAlgorithm = signatureAlgorithm;
    }

    KeyPair generate() {
      try {
        if (this == EC) {
          KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(new ECGenParameterSpec("secp256r1"));
          return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A certificate with its private key, and the chain from it up to (excluding) the root. */
  public record Issued(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {
    /** Writes {@code <name>.crt} (the chain) and {@code <name>.key} (PKCS#8) into {@code dir}. */
    public PemFiles writePem(Path dir, String name) {
      Path certificates = writeCertificateChainPem(dir.resolve(name + ".crt"));
      Path key = writePrivateKeyPem(dir.resolve(name + ".key"));
      return new PemFiles(certificates, key);
    }

    public Path writeCertificateChainPem(Path file) {
      return writeCertificates(file, chain);
    }

    /** {@code BEGIN PRIVATE KEY}: unencrypted PKCS#8. */
    public Path writePrivateKeyPem(Path file) {
      return write(file, pem("PRIVATE KEY", privateKey.getEncoded()));
    }

    /** OpenSSL's traditional form: {@code BEGIN RSA PRIVATE KEY} (PKCS#1) or {@code BEGIN EC PRIVATE KEY} (SEC 1). */
    public Path writeTraditionalPrivateKeyPem(Path file) {
      StringWriter text = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
        writer.writeObject(privateKey);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return write(file, text.toString());
    }

    /** A PKCS12 keystore at {@code file}, password {@link #PASSWORD}, the key under {@code alias}. */
    public Path writePkcs12(Path file, String alias) {
      return writeKeyStore(file, "PKCS12", alias);
    }

    /** A keystore of {@code type} (PKCS12 or JKS) at {@code file}, password {@link #PASSWORD}. */
    public Path writeKeyStore(Path file, String type, String alias) {
      try (OutputStream out = Files.newOutputStream(file)) {
        keyStore(type, alias).store(out, PASSWORD.toCharArray());
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    KeyStore keyStore(String type, String alias) throws GeneralSecurityException, IOException {
      KeyStore store = KeyStore.getInstance(type);
      store.load(null, null);
      store.setKeyEntry(alias, privateKey, PASSWORD.toCharArray(), chain.toArray(X509Certificate[]::new));
      return store;
    }
  }

  /** The two PEM files of an identity. */
  public record PemFiles(Path certificateChain, Path privateKey) {}

  /** A self-signed root that issues server and client certificates. */
  private static final GeneralNames LOCAL_NAMES = new GeneralNames(new GeneralName[] {
    new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
  });

  public static final class Authority {
    private final X500Name name;
    private final KeyType keyType;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private Authority(String commonName, KeyType keyType) {
      this.name = name("CN=" + commonName);
      this.keyType = keyType;
      this.keys = keyType.generate();
      X509v3CertificateBuilder builder = builder(name, name, keys);
      try {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      this.certificate = sign(builder);
    }

    public X509Certificate certificate() {
      return certificate;
    }

    /** A server certificate for {@code CN=<commonName>}, valid for DNS:localhost and IP:127.0.0.1. */
    public Issued issueServer(String commonName) {
      return issue("CN=" + commonName, new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}, LOCAL_NAMES);
    }

    /**
     * A segmenter instance's certificate: a server certificate (as {@link #issueServer}) that also
     * serves as the client certificate the instance presents when it calls its peers (extended key
     * usage serverAuth and clientAuth, as cert-manager issues them when asked for both).
     */
    public Issued issueInstance(String commonName) {
      return issue("CN=" + commonName,
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}, LOCAL_NAMES);
    }

    /**
     * A client certificate for {@code subjectDn} (e.g. {@code CN=peer-1,O=segmenter}), extended
     * key usage clientAuth only.
     */
    public Issued issueClient(String subjectDn) {
      return issue(subjectDn, new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, null);
    }

    /** Writes this authority's certificate as a PEM bundle (what a server or client trusts). */
    public Path writePem(Path file) {
      return writeCertificates(file, List.of(certificate));
    }

    /** A truststore of {@code type} (PKCS12 or JKS) with this authority's certificate, password {@link #PASSWORD}. */
    public Path writeTrustStore(Path file, String type) {
      try (OutputStream out = Files.newOutputStream(file)) {
        trustStore(type).store(out, PASSWORD.toCharArray());
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** An in-memory store trusting this authority. */
    public KeyStore trustStore(String type) throws GeneralSecurityException, IOException {
      KeyStore store = KeyStore.getInstance(type);
      store.load(null, null);
      store.setCertificateEntry("ca", certificate);
      return store;
    }

    private Issued issue(String subjectDn, KeyPurposeId[] purposes, GeneralNames alternativeNames) {
      KeyPair subjectKeys = keyType.generate();
      X509v3CertificateBuilder builder = builder(name, name(subjectDn), subjectKeys);
      int usage = keyType == KeyType.RSA ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
      try {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            extensions.createAuthorityKeyIdentifier(certificate));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
            extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        if (alternativeNames != null) {
          builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
        }
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      X509Certificate issued = sign(builder);
      return new Issued(issued, subjectKeys.getPrivate(), List.of(issued, certificate));
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) {
      try {
        return new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder(keyType.signatureAlgorithm).build(keys.getPrivate())));
      } catch (OperatorCreationException | GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestCertificates() { }

  /** A new EC P-256 certificate authority {@code CN=<commonName>}. */
  public static Authority authority(String commonName) {
    return new Authority(commonName, KeyType.EC);
  }

  public static Authority authority(String commonName, KeyType keyType) {
    return new Authority(commonName, keyType);
  }

  /**
   * For a test client: trusts {@code trusted} only, and presents {@code clientCertificate} when
   * the server asks for one (null: presents none).
   */
  public static SSLContext clientContext(Authority trusted, Issued clientCertificate) {
    try {
      KeyManagerFactory keys = null;
      if (clientCertificate != null) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(clientCertificate.keyStore("PKCS12", "client"), PASSWORD.toCharArray());
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted.trustStore("PKCS12"));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A name as the JDK reads it ({@code CN=peer-1,O=segmenter} is the subject whose
   * {@code getSubjectX500Principal().getName()} is that string): Bouncy Castle's own parser keeps
   * the order of the string, where RFC 4514 writes the most specific name first.
   */
  private static X500Name name(String distinguishedName) {
    return X500Name.getInstance(new X500Principal(distinguishedName).getEncoded());
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
  }

  private static Path writeCertificates(Path file, List<X509Certificate> certificates) {
    List<String> blocks = new ArrayList<>();
    try {
      for (X509Certificate certificate : certificates) {
        blocks.add(pem("CERTIFICATE", certificate.getEncoded()));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return write(file, String.join("", blocks));
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
