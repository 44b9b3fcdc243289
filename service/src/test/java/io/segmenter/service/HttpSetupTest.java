package io.segmenter.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.http.tls.TestCertificates;
import io.segmenter.ops.HttpSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP settings are read and checked at start-up: each mistake stops it with a message naming
 * the setting and what to fix, before anything listens.
 */
class HttpSetupTest {
  @TempDir
  Path dir;

  private HttpSettings setup(Map<String, Object> http) {
    Map<String, Object> s = new HashMap<>(Map.of(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:9",
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"));
    s.putAll(http);
    return HttpSetup.settings(new SegmenterConfig(s), UnaryOperator.identity());
  }

  @Test
  void byDefaultAccessControlIsOnWithoutCredentialsOrTls() {
    HttpSettings settings = setup(Map.of());
    assertThat(settings.access().enabled()).isTrue();
    assertThat(settings.access().credentialsConfigured()).isFalse();
    assertThat(settings.tls()).isNull();
    assertThat(settings.host()).isEqualTo("0.0.0.0");
  }

  @Test
  void staleReadsNeedThePeerSecret() {
    assertThatThrownBy(() -> setup(Map.of(SegmenterConfig.HTTP_STALE_READS, true)))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.HTTP_STALE_READS)
        .hasMessageContaining(SegmenterConfig.HTTP_PEER_SECRET_FILE);
  }

  @Test
  void aShortPeerSecretAndAMalformedTokenFileAreNamed() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "too short");
    assertThatThrownBy(() -> setup(Map.of(SegmenterConfig.HTTP_PEER_SECRET_FILE, secret.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.HTTP_PEER_SECRET_FILE)
        .hasMessageContaining("32");
    Path tokens = Files.writeString(dir.resolve("tokens"), "# ok\nreader crm not-a-hash\n");
    assertThatThrownBy(() -> setup(Map.of(SegmenterConfig.HTTP_TOKENS_FILE, tokens.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.HTTP_TOKENS_FILE)
        .hasMessageContaining("line 2").hasMessageNotContaining("not-a-hash");
  }

  @Test
  void clientCertificatesNeedTls() throws Exception {
    assertThatThrownBy(() -> setup(Map.of(SegmenterConfig.HTTP_TLS_CLIENT_AUTH, "need")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.HTTP_TLS_KEYSTORE);
    Path roles = Files.writeString(dir.resolve("roles"), "reader CN=crm\n");
    assertThatThrownBy(() -> setup(Map.of(SegmenterConfig.HTTP_CERTIFICATE_ROLES_FILE, roles.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.HTTP_TLS_CLIENT_AUTH);
  }

  @Test
  void pemTlsNeedsCertificateAndKeyAndLoadsWithATrustBundle() throws Exception {
    TestCertificates.Authority ca = TestCertificates.authority("Setup CA");
    TestCertificates.PemFiles pem = ca.issueInstance("localhost").writePem(dir, "instance");
    assertThatThrownBy(() -> setup(Map.of(SegmenterConfig.HTTP_TLS_CERTIFICATE, pem.certificateChain().toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.HTTP_TLS_KEY);
    HttpSettings settings = setup(Map.of(SegmenterConfig.HTTP_TLS_CERTIFICATE, pem.certificateChain().toString(),
        SegmenterConfig.HTTP_TLS_KEY, pem.privateKey().toString(),
        SegmenterConfig.HTTP_TLS_TRUST, ca.writePem(dir.resolve("ca.pem")).toString(),
        SegmenterConfig.HTTP_TLS_CLIENT_AUTH, "need"));
    assertThat(settings.tls()).isNotNull();
    assertThat(settings.tls().server().getNeedClientAuth()).isTrue();
    // The key of another certificate: named, with the setting.
    TestCertificates.PemFiles other = ca.issueInstance("other").writePem(dir, "other");
    assertThatThrownBy(() -> setup(Map.of(SegmenterConfig.HTTP_TLS_CERTIFICATE, pem.certificateChain().toString(),
        SegmenterConfig.HTTP_TLS_KEY, other.privateKey().toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.HTTP_TLS_CERTIFICATE);
  }

  @Test
  void theAuditDestinationIsChecked() {
    assertThatThrownBy(() -> setup(Map.of(SegmenterConfig.HTTP_AUDIT, "syslog")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.HTTP_AUDIT);
    assertThatThrownBy(() -> setup(Map.of(SegmenterConfig.HTTP_AUDIT, "file:" + dir.resolve("missing/audit.jsonl"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.HTTP_AUDIT)
        .hasMessageContaining("directory");
    Path audit = dir.resolve("audit.jsonl");
    setup(Map.of(SegmenterConfig.HTTP_AUDIT, "file:" + audit));
    assertThat(audit).as("opened (created) at start-up, not at the first read").exists();
  }
}
