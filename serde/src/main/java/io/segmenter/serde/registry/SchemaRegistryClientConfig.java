package io.segmenter.serde.registry;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Immutable settings of {@link CachedSchemaRegistryClient}, declared in one {@link ConfigDef} with
 * the keys Confluent's clients use, so that existing settings carry over. Unknown keys are ignored
 * (they belong to Kafka or to the serde). Values may be Strings, Numbers, Lists or Kafka
 * {@link Password}s.
 *
 * <p>Validation happens here, at construction: a {@link ConfigException} names the key and says
 * what to fix. Passwords never appear in messages nor in {@link #toString()}.
 */
public final class SchemaRegistryClientConfig extends AbstractConfig {
  public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
  private static final String SCHEMA_REGISTRY_URL_DOC = "Registry base URL(s), comma-separated, tried in order for "
      + "fail-over, e.g. http://localhost:8081; may hold user:password@ (see basic.auth.credentials.source).";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
  private static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "Where Basic auth credentials come from: USER_INFO "
      + "(basic.auth.user.info, sent to every URL) or URL (each URL's own user info). Default: USER_INFO when "
      + "basic.auth.user.info is set and no URL holds credentials, else URL.";
  public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
  private static final String BASIC_AUTH_USER_INFO_DOC = "Basic auth credentials as user:password.";
  /** Older spelling of {@link #BASIC_AUTH_USER_INFO_CONFIG}, still accepted; the newer key wins. */
  public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";
  private static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_DOC = "Older spelling of basic.auth.user.info.";
  public static final String SSL_TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
  private static final String SSL_TRUSTSTORE_LOCATION_DOC = "Truststore (JKS or PKCS12 file) of the CAs to trust for "
      + "https URLs; unset: the JVM's default CAs.";
  public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
  private static final String SSL_TRUSTSTORE_PASSWORD_DOC = "Password of the truststore.";
  public static final String SSL_TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
  private static final String SSL_TRUSTSTORE_TYPE_DOC = "Format of the truststore file.";
  public static final String SSL_KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
  private static final String SSL_KEYSTORE_LOCATION_DOC = "Keystore (JKS or PKCS12 file) holding the client "
      + "certificate and key, for registries that need mutual TLS; unset: no client certificate.";
  public static final String SSL_KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
  private static final String SSL_KEYSTORE_PASSWORD_DOC = "Password of the keystore.";
  public static final String SSL_KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";
  private static final String SSL_KEYSTORE_TYPE_DOC = "Format of the keystore file.";
  public static final String SSL_KEY_PASSWORD_CONFIG = "schema.registry.ssl.key.password";
  private static final String SSL_KEY_PASSWORD_DOC = "Password of the private key; unset: the keystore password.";
  public static final String HTTP_CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
  private static final String HTTP_CONNECT_TIMEOUT_MS_DOC = "How long to wait for a connection to the registry.";
  public static final String HTTP_READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";
  private static final String HTTP_READ_TIMEOUT_MS_DOC = "How long one request may wait for the registry's answer.";
  public static final String MAX_RETRIES_CONFIG = "max.retries";
  private static final String MAX_RETRIES_DOC = "Retries after the first attempt of a request that found the "
      + "registry unreachable or answering 408, 429 or 5xx.";
  public static final String RETRIES_WAIT_MS_CONFIG = "retries.wait.ms";
  private static final String RETRIES_WAIT_MS_DOC = "The first backoff between attempts; later ones double.";
  public static final String RETRIES_MAX_WAIT_MS_CONFIG = "retries.max.wait.ms";
  private static final String RETRIES_MAX_WAIT_MS_DOC = "The longest backoff; at least retries.wait.ms. Default: "
      + "the larger of " + Defaults.RETRIES_MAX_WAIT_MS + " and retries.wait.ms.";
  public static final String MAX_SCHEMAS_PER_SUBJECT_CONFIG = "max.schemas.per.subject";
  private static final String MAX_SCHEMAS_PER_SUBJECT_DOC = "Schemas of one subject the client caches; more is "
      + "refused, since it usually means schemas built per record.";
  public static final String LATEST_CACHE_TTL_SEC_CONFIG = "latest.cache.ttl.sec";
  private static final String LATEST_CACHE_TTL_SEC_DOC = "Seconds a subject's latest version stays cached: -1 "
      + "forever, 0 not at all.";

  /** Defaults, as Confluent's. */
  static final class Defaults {
    static final long HTTP_TIMEOUT_MS = 60_000;
    static final int MAX_RETRIES = 3;
    static final long RETRIES_WAIT_MS = 1_000;
    static final long RETRIES_MAX_WAIT_MS = 2_000;
    static final int MAX_SCHEMAS_PER_SUBJECT = 1_000;
    static final long LATEST_CACHE_TTL_SEC = -1;
    static final String STORE_TYPE = "JKS";

    private Defaults() {}
  }

  // Far beyond sensible values; only keeps arithmetic (backoff doubling, nanos) from overflowing.
  private static final long MAX_MS = Duration.ofDays(1).toMillis();

  private static final ConfigDef CONFIG = new ConfigDef()
      .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, List.of(), Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
      .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, null,
          OneOf.of("USER_INFO", "URL").refusing("SASL_INHERIT", "SASL_INHERIT is not supported by segmenter's "
              + "registry client; use USER_INFO with " + BASIC_AUTH_USER_INFO_CONFIG
              + "=user:password, or URL with http://user:password@host:port"),
          Importance.MEDIUM, BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
      .define(BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, BASIC_AUTH_USER_INFO_DOC)
      .define(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, null, Importance.LOW,
          SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_DOC)
      .define(SSL_TRUSTSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.MEDIUM, SSL_TRUSTSTORE_LOCATION_DOC)
      .define(SSL_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, SSL_TRUSTSTORE_PASSWORD_DOC)
      .define(SSL_TRUSTSTORE_TYPE_CONFIG, Type.STRING, Defaults.STORE_TYPE, OneOf.of("JKS", "PKCS12"),
          Importance.LOW, SSL_TRUSTSTORE_TYPE_DOC)
      .define(SSL_KEYSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.MEDIUM, SSL_KEYSTORE_LOCATION_DOC)
      .define(SSL_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, SSL_KEYSTORE_PASSWORD_DOC)
      .define(SSL_KEYSTORE_TYPE_CONFIG, Type.STRING, Defaults.STORE_TYPE, OneOf.of("JKS", "PKCS12"),
          Importance.LOW, SSL_KEYSTORE_TYPE_DOC)
      .define(SSL_KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, SSL_KEY_PASSWORD_DOC)
      .define(HTTP_CONNECT_TIMEOUT_MS_CONFIG, Type.LONG, Defaults.HTTP_TIMEOUT_MS, WholeNumber.between(1, MAX_MS, "ms"),
          Importance.LOW, HTTP_CONNECT_TIMEOUT_MS_DOC)
      .define(HTTP_READ_TIMEOUT_MS_CONFIG, Type.LONG, Defaults.HTTP_TIMEOUT_MS, WholeNumber.between(1, MAX_MS, "ms"),
          Importance.LOW, HTTP_READ_TIMEOUT_MS_DOC)
      .define(MAX_RETRIES_CONFIG, Type.INT, Defaults.MAX_RETRIES, WholeNumber.between(0, 100, "retries"),
          Importance.LOW, MAX_RETRIES_DOC)
      .define(RETRIES_WAIT_MS_CONFIG, Type.LONG, Defaults.RETRIES_WAIT_MS, WholeNumber.between(0, MAX_MS, "ms"),
          Importance.LOW, RETRIES_WAIT_MS_DOC)
      // No default here: unset, it follows retries.wait.ms (see retriesMaxWaitMs).
      .define(RETRIES_MAX_WAIT_MS_CONFIG, Type.LONG, null, WholeNumber.between(0, MAX_MS, "ms"),
          Importance.LOW, RETRIES_MAX_WAIT_MS_DOC)
      .define(MAX_SCHEMAS_PER_SUBJECT_CONFIG, Type.INT, Defaults.MAX_SCHEMAS_PER_SUBJECT,
          WholeNumber.between(1, Integer.MAX_VALUE, "schemas"), Importance.LOW, MAX_SCHEMAS_PER_SUBJECT_DOC)
      .define(LATEST_CACHE_TTL_SEC_CONFIG, Type.LONG, Defaults.LATEST_CACHE_TTL_SEC,
          WholeNumber.between(-1, MAX_MS / 1000, "seconds (-1 = forever)"), Importance.LOW, LATEST_CACHE_TTL_SEC_DOC);

  /** Where Basic auth credentials come from (Confluent's {@code basic.auth.credentials.source}). */
  public enum CredentialsSource {
    /** {@code basic.auth.user.info}, sent to every URL. */
    USER_INFO,
    /** The user info of each URL ({@code http://user:password@host:port}); none if a URL has none. */
    URL
  }

  private final List<RegistryEndpoint> endpoints;
  private final CredentialsSource credentialsSource;
  private final SSLContext sslContext;
  private final TlsContextLoader.Description tlsDescription;
  private final Duration retriesMaxWait;

  private SchemaRegistryClientConfig(Map<String, ?> props) {
    super(CONFIG, ConfigInput.normalize(CONFIG, Objects.requireNonNull(props, "props")), false);
    // What one setting alone cannot say: URLs and credentials together, stores loaded, the wait cap.
    List<RegistryUrls.Parsed> urls =
        RegistryUrls.parse(SCHEMA_REGISTRY_URL_CONFIG, getList(SCHEMA_REGISTRY_URL_CONFIG));
    this.credentialsSource = credentialsSource(urls);
    this.endpoints = endpointsWithCredentials(urls, credentialsSource);
    boolean tls = TlsContextLoader.configured(this);
    this.sslContext = tls ? TlsContextLoader.load(this) : null;
    this.tlsDescription = tls ? TlsContextLoader.describe(this) : null;
    this.retriesMaxWait = Duration.ofMillis(retriesMaxWaitMs());
  }

  /**
   * Reads and validates the settings.
   *
   * @throws ConfigException naming the key, if a setting is missing or invalid
   */
  public static SchemaRegistryClientConfig fromProperties(Map<String, ?> props) {
    return new SchemaRegistryClientConfig(props);
  }

  /** The settings this class reads (a copy): names, types, defaults, validators and docs. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  /** The registry base URLs, in fail-over order, without credentials. */
  public List<String> urls() {
    return endpoints.stream().map(RegistryEndpoint::baseUrl).toList();
  }

  public CredentialsSource credentialsSource() {
    return credentialsSource;
  }

  /** True when requests to at least one URL carry Basic auth credentials. */
  public boolean usesBasicAuth() {
    return endpoints.stream().anyMatch(e -> e.authorization() != null);
  }

  /** The TLS context built from the {@code schema.registry.ssl.*} stores; empty: the JVM default. */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(sslContext);
  }

  public Duration connectTimeout() {
    return Duration.ofMillis(getLong(HTTP_CONNECT_TIMEOUT_MS_CONFIG));
  }

  /** How long one request may wait for the registry's answer. */
  public Duration readTimeout() {
    return Duration.ofMillis(getLong(HTTP_READ_TIMEOUT_MS_CONFIG));
  }

  /** Retries after the first attempt: a request is sent at most {@code maxRetries() + 1} times. */
  public int maxRetries() {
    return getInt(MAX_RETRIES_CONFIG);
  }

  /** The first backoff; later ones double up to {@link #retriesMaxWait()}. */
  public Duration retriesWait() {
    return Duration.ofMillis(getLong(RETRIES_WAIT_MS_CONFIG));
  }

  public Duration retriesMaxWait() {
    return retriesMaxWait;
  }

  public int maxSchemasPerSubject() {
    return getInt(MAX_SCHEMAS_PER_SUBJECT_CONFIG);
  }

  /** Seconds a subject's latest version stays cached: -1 forever, 0 not at all. */
  public long latestCacheTtlSec() {
    return getLong(LATEST_CACHE_TTL_SEC_CONFIG);
  }

  List<RegistryEndpoint> endpoints() {
    return endpoints;
  }

  @Override
  public String toString() {
    return "SchemaRegistryClientConfig{urls=" + urls()
        + ", basicAuth=" + (usesBasicAuth() ? credentialsSource : "none")
        + ", truststore=" + (tlsDescription == null ? "default" : tlsDescription.trustStore())
        + ", keystore=" + (tlsDescription == null ? "none" : tlsDescription.keyStore())
        + ", connectTimeoutMs=" + connectTimeout().toMillis()
        + ", readTimeoutMs=" + readTimeout().toMillis()
        + ", maxRetries=" + maxRetries()
        + ", retriesWaitMs=" + retriesWait().toMillis()
        + ", retriesMaxWaitMs=" + retriesMaxWait.toMillis()
        + ", maxSchemasPerSubject=" + maxSchemasPerSubject()
        + ", latestCacheTtlSec=" + latestCacheTtlSec()
        + "}";
  }

  private CredentialsSource credentialsSource(List<RegistryUrls.Parsed> urls) {
    String configured = getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG); // already checked by its OneOf
    if (configured == null) {
      // Confluent defaults to URL and then silently ignores basic.auth.user.info; sending the
      // credentials the user gave is what they meant.
      boolean urlHasUserInfo = urls.stream().anyMatch(RegistryUrls.Parsed::hadUserInfo);
      return !urlHasUserInfo && userInfo() != null ? CredentialsSource.USER_INFO : CredentialsSource.URL;
    }
    return CredentialsSource.valueOf(configured.toUpperCase(Locale.ROOT));
  }

  private List<RegistryEndpoint> endpointsWithCredentials(List<RegistryUrls.Parsed> urls, CredentialsSource source) {
    if (source == CredentialsSource.URL) {
      return urls.stream().map(RegistryUrls.Parsed::endpoint).toList();
    }
    String userInfo = userInfo();
    if (userInfo == null) {
      throw ConfigInput.invalid(BASIC_AUTH_USER_INFO_CONFIG,
          "is required when " + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=USER_INFO; set it to 'user:password'");
    }
    if (userInfo.indexOf(':') <= 0) {
      String key = getPassword(BASIC_AUTH_USER_INFO_CONFIG) != null
          ? BASIC_AUTH_USER_INFO_CONFIG : SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_CONFIG;
      throw ConfigInput.invalid(key, "must be 'user:password' (a user name, a colon, then the password)");
    }
    String authorization = RegistryUrls.basicAuthorization(userInfo);
    // With USER_INFO, credentials in the URLs are dropped: one source of truth.
    return urls.stream().map(p -> p.endpoint().withAuthorization(authorization)).toList();
  }

  /** basic.auth.user.info, else its older spelling; null if neither is set. */
  private String userInfo() {
    Password info = getPassword(BASIC_AUTH_USER_INFO_CONFIG);
    if (info == null) {
      info = getPassword(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_CONFIG);
    }
    return info == null ? null : info.value();
  }

  private long retriesMaxWaitMs() {
    long waitMs = getLong(RETRIES_WAIT_MS_CONFIG);
    Long maxWaitMs = getLong(RETRIES_MAX_WAIT_MS_CONFIG);
    if (maxWaitMs == null) {
      return Math.max(Defaults.RETRIES_MAX_WAIT_MS, waitMs); // a larger initial wait raises the default cap
    }
    if (maxWaitMs < waitMs) {
      throw ConfigInput.invalid(RETRIES_MAX_WAIT_MS_CONFIG,
          "(" + maxWaitMs + ") must be at least " + RETRIES_WAIT_MS_CONFIG + " (" + waitMs + ")");
    }
    return maxWaitMs;
  }
}
