package io.segmenter.service;

import io.segmenter.access.AccessPolicy;
import io.segmenter.access.AuditLog;
import io.segmenter.access.CertificateRoles;
import io.segmenter.access.PeerSignature;
import io.segmenter.access.TokenFile;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.http.tls.ClientAuth;
import io.segmenter.http.tls.JettyTls;
import io.segmenter.http.tls.TlsMaterial;
import io.segmenter.ops.AccessControl;
import io.segmenter.ops.HttpLimits;
import io.segmenter.ops.HttpSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server's settings from segmenter.http.*: limits, access control (tokens, certificate
 * roles, the peer secret, the audit log) and TLS. Every file is read here, at start-up, and a bad one
 * stops it with a {@link ConfigException} that names the setting and what to fix.
 */
final class HttpSetup {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSetup.class);

  private HttpSetup() { }

  /** {@code customerForAudit}: what the audit log writes for a customer id (the id, or its pseudonym). */
  static HttpSettings settings(SegmenterConfig config, UnaryOperator<String> customerForAudit) {
    Clock clock = Clock.systemUTC();
    HttpLimits limits = HttpLimits.defaults()
        .withReadTimeout(Duration.ofMillis(config.getLong(SegmenterConfig.HTTP_READ_TIMEOUT_MS)))
        .withApi(config.getInt(SegmenterConfig.HTTP_API_THREADS), config.getInt(SegmenterConfig.HTTP_API_IN_FLIGHT));
    TokenFile tokens = load(config, SegmenterConfig.HTTP_TOKENS_FILE, p -> TokenFile.load(p, clock));
    CertificateRoles certificates = load(config, SegmenterConfig.HTTP_CERTIFICATE_ROLES_FILE,
        p -> CertificateRoles.load(p, clock));
    PeerSignature peers = load(config, SegmenterConfig.HTTP_PEER_SECRET_FILE, p -> PeerSignature.fromFile(p, clock));
    if (config.getBoolean(SegmenterConfig.HTTP_STALE_READS) && peers == null) {
      throw new ConfigException(SegmenterConfig.HTTP_STALE_READS, true, "stale reads are asked of peers, which "
          + "must prove who they are: set " + SegmenterConfig.HTTP_PEER_SECRET_FILE + " (the same file on every instance)");
    }
    HttpSettings.Tls tls = tls(config);
    ClientAuth clientAuth = clientAuth(config);
    if (certificates != null && (tls == null || clientAuth == ClientAuth.NONE)) {
      throw new ConfigException(SegmenterConfig.HTTP_CERTIFICATE_ROLES_FILE,
          config.getString(SegmenterConfig.HTTP_CERTIFICATE_ROLES_FILE), "client certificates need TLS with "
          + SegmenterConfig.HTTP_TLS_CLIENT_AUTH + "=want or need");
    }
    AuditLog audit;
    try {
      audit = AuditLog.of(config.getString(SegmenterConfig.HTTP_AUDIT), clock);
    } catch (java.io.UncheckedIOException e) {
      throw new ConfigException(SegmenterConfig.HTTP_AUDIT, config.getString(SegmenterConfig.HTTP_AUDIT),
          e.getMessage() + " (does its directory exist, and may this process write there?)");
    }
    boolean enabled = config.getBoolean(SegmenterConfig.HTTP_ACCESS_CONTROL);
    AccessControl access = new AccessControl(new AccessPolicy(enabled), tokens, certificates, peers, audit,
        customerForAudit);
    logAccess(config, access, peers != null, tls != null, audit);
    return new HttpSettings(config.getString(SegmenterConfig.HTTP_HOST), config.getInt(SegmenterConfig.HTTP_PORT),
        limits, access, tls);
  }

  private static <T> T load(SegmenterConfig config, String key, Function<Path, T> loader) {
    String file = config.getString(key);
    if (file.isBlank()) return null;
    try {
      return loader.apply(Path.of(file));
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new ConfigException(key, file, e.getMessage());
    }
  }

  private static ClientAuth clientAuth(SegmenterConfig config) {
    return ClientAuth.valueOf(config.getString(SegmenterConfig.HTTP_TLS_CLIENT_AUTH).toUpperCase(Locale.ROOT));
  }

  /** TLS from a keystore, or from a PEM certificate chain and key; null when neither is set. */
  private static HttpSettings.Tls tls(SegmenterConfig config) {
    String keystore = config.getString(SegmenterConfig.HTTP_TLS_KEYSTORE);
    String certificate = config.getString(SegmenterConfig.HTTP_TLS_CERTIFICATE);
    String key = config.getString(SegmenterConfig.HTTP_TLS_KEY);
    ClientAuth clientAuth = clientAuth(config);
    if (keystore.isBlank() && certificate.isBlank() && key.isBlank()) {
      if (clientAuth != ClientAuth.NONE) {
        throw new ConfigException(SegmenterConfig.HTTP_TLS_CLIENT_AUTH, clientAuth.name().toLowerCase(Locale.ROOT),
            "client certificates need TLS: set " + SegmenterConfig.HTTP_TLS_KEYSTORE + ", or "
                + SegmenterConfig.HTTP_TLS_CERTIFICATE + " and " + SegmenterConfig.HTTP_TLS_KEY);
      }
      return null;
    }
    if (!keystore.isBlank() && !(certificate.isBlank() && key.isBlank())) {
      throw new ConfigException(SegmenterConfig.HTTP_TLS_KEYSTORE, keystore, "give the server's identity once: either "
          + "a keystore, or " + SegmenterConfig.HTTP_TLS_CERTIFICATE + " and " + SegmenterConfig.HTTP_TLS_KEY);
    }
    if (keystore.isBlank() && (certificate.isBlank() || key.isBlank())) {
      String missing = certificate.isBlank() ? SegmenterConfig.HTTP_TLS_CERTIFICATE : SegmenterConfig.HTTP_TLS_KEY;
      throw new ConfigException(missing, "", "PEM TLS needs both " + SegmenterConfig.HTTP_TLS_CERTIFICATE + " and "
          + SegmenterConfig.HTTP_TLS_KEY);
    }
    String identityKey = keystore.isBlank() ? SegmenterConfig.HTTP_TLS_CERTIFICATE : SegmenterConfig.HTTP_TLS_KEYSTORE;
    TlsMaterial material;
    try {
      material = keystore.isBlank() ? TlsMaterial.fromPem(Path.of(certificate), Path.of(key))
          : TlsMaterial.fromKeyStore(Path.of(keystore), password(config, SegmenterConfig.HTTP_TLS_KEYSTORE_PASSWORD));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(identityKey, keystore.isBlank() ? certificate : keystore, e.getMessage());
    }
    String trust = config.getString(SegmenterConfig.HTTP_TLS_TRUST);
    try {
      if (!trust.isBlank()) {
        material = isPem(Path.of(trust)) ? material.trustingPem(Path.of(trust))
            : material.trustingKeyStore(Path.of(trust), password(config, SegmenterConfig.HTTP_TLS_TRUST_PASSWORD));
      }
      return new HttpSettings.Tls(JettyTls.sslContextFactory(material, clientAuth), material.clientContext());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(SegmenterConfig.HTTP_TLS_TRUST, trust, e.getMessage());
    }
  }

  private static char[] password(SegmenterConfig config, String key) {
    Password p = config.getPassword(key);
    return p == null ? new char[0] : p.value().toCharArray();
  }

  /** A PEM bundle starts (after any comment lines) with "-----BEGIN"; a keystore is binary. */
  private static boolean isPem(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4096);
      return new String(head, StandardCharsets.US_ASCII).contains("-----BEGIN");
    } catch (IOException e) {
      return false; // let the keystore loader name the file and the problem
    }
  }

  /** Says at start-up who can read what, and which setting changes it. */
  private static void logAccess(SegmenterConfig config, AccessControl access, boolean peerSecret, boolean tls,
      AuditLog audit) {
    if (!access.enabled()) {
      LOG.warn("HTTP access control is OFF ({}=false): anyone who reaches port {} can read customer data",
          SegmenterConfig.HTTP_ACCESS_CONTROL, config.getInt(SegmenterConfig.HTTP_PORT));
    } else if (!access.credentialsConfigured()) {
      LOG.warn("HTTP access control is on and no credentials are configured: /customers/{id}, /segments and /model "
          + "answer 401 to everyone. Add bearer tokens with {} (lines made by 'segmenter hash-token') or client "
          + "certificates with {}", SegmenterConfig.HTTP_TOKENS_FILE, SegmenterConfig.HTTP_CERTIFICATE_ROLES_FILE);
    } else {
      LOG.info("HTTP access control is on: tokens {}, certificate roles {}",
          blankAsNone(config.getString(SegmenterConfig.HTTP_TOKENS_FILE)),
          blankAsNone(config.getString(SegmenterConfig.HTTP_CERTIFICATE_ROLES_FILE)));
    }
    if (access.enabled() && !peerSecret) {
      LOG.info("{} is not set: instances relay a client's own credentials when they forward its request; set the "
          + "same secret on every instance so that they authenticate each other", SegmenterConfig.HTTP_PEER_SECRET_FILE);
    }
    LOG.info("HTTP: {}; audit of customer reads: {}", tls ? "TLS" : "plain (no TLS: set "
        + SegmenterConfig.HTTP_TLS_KEYSTORE + " or " + SegmenterConfig.HTTP_TLS_CERTIFICATE + ")", audit.destination());
  }

  private static String blankAsNone(String s) {
    return s.isBlank() ? "none" : s;
  }
}
