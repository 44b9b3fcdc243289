package io.segmenter.serde.registry;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;

/**
 * Immutable settings of {@link CachedSchemaRegistryClient}, read from Kafka-style properties with
 * the keys Confluent's clients use, so that existing settings carry over. Unknown keys are ignored
 * (they belong to Kafka). Values may be Strings or Numbers.
 *
 * <p>Validation happens here, at construction: a {@link ConfigException} names the key and says
 * what to fix. Passwords never appear in messages nor in {@link #toString()}.
 */
public final class SchemaRegistryClientConfig {
  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  /** Older spelling of {@link #BASIC_AUTH_USER_INFO}, still accepted; the newer key wins. */
  public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String SSL_TRUSTSTORE_LOCATION = TlsContextLoader.TRUSTSTORE_LOCATION;
  public static final String SSL_TRUSTSTORE_PASSWORD = TlsContextLoader.TRUSTSTORE_PASSWORD;
  public static final String SSL_TRUSTSTORE_TYPE = TlsContextLoader.TRUSTSTORE_TYPE;
  public static final String SSL_KEYSTORE_LOCATION = TlsContextLoader.KEYSTORE_LOCATION;
  public static final String SSL_KEYSTORE_PASSWORD = TlsContextLoader.KEYSTORE_PASSWORD;
  public static final String SSL_KEYSTORE_TYPE = TlsContextLoader.KEYSTORE_TYPE;
  public static final String SSL_KEY_PASSWORD = TlsContextLoader.KEY_PASSWORD;
  public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  public static final String MAX_SCHEMAS_PER_SUBJECT = "max.schemas.per.subject";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

  static final long DEFAULT_HTTP_TIMEOUT_MS = 60_000;
  static final long DEFAULT_MAX_RETRIES = 3;
  static final long DEFAULT_RETRIES_WAIT_MS = 1_000;
  static final long DEFAULT_RETRIES_MAX_WAIT_MS = 2_000;
  static final long DEFAULT_MAX_SCHEMAS_PER_SUBJECT = 1_000;
  static final long DEFAULT_LATEST_CACHE_TTL_SEC = -1;

  // Far beyond sensible values; only keeps arithmetic (backoff doubling, nanos) from overflowing.
  private static final long MAX_MS = Duration.ofDays(1).toMillis();

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
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxRetries;
  private final Duration retriesWait;
  private final Duration retriesMaxWait;
  private final int maxSchemasPerSubject;
  private final long latestCacheTtlSec;

  private SchemaRegistryClientConfig(Map<String, ?> props) {
    ConfigValues values = new ConfigValues(Objects.requireNonNull(props, "props"));
    List<RegistryUrls.Parsed> urls = RegistryUrls.parse(URL, values.list(URL));
    this.credentialsSource = credentialsSource(values, urls);
    this.endpoints = endpointsWithCredentials(values, urls, credentialsSource);
    boolean tls = TlsContextLoader.configured(values);
    this.sslContext = tls ? TlsContextLoader.load(values) : null;
    this.tlsDescription = tls ? TlsContextLoader.describe(values) : null;
    this.connectTimeout = Duration.ofMillis(values.number(HTTP_CONNECT_TIMEOUT_MS, DEFAULT_HTTP_TIMEOUT_MS, 1, MAX_MS, "ms"));
    this.readTimeout = Duration.ofMillis(values.number(HTTP_READ_TIMEOUT_MS, DEFAULT_HTTP_TIMEOUT_MS, 1, MAX_MS, "ms"));
    this.maxRetries = (int) values.number(MAX_RETRIES, DEFAULT_MAX_RETRIES, 0, 100, "retries");
    long waitMs = values.number(RETRIES_WAIT_MS, DEFAULT_RETRIES_WAIT_MS, 0, MAX_MS, "ms");
    this.retriesWait = Duration.ofMillis(waitMs);
    this.retriesMaxWait = Duration.ofMillis(retriesMaxWaitMs(values, waitMs));
    this.maxSchemasPerSubject =
        (int) values.number(MAX_SCHEMAS_PER_SUBJECT, DEFAULT_MAX_SCHEMAS_PER_SUBJECT, 1, Integer.MAX_VALUE, "schemas");
    this.latestCacheTtlSec =
        values.number(LATEST_CACHE_TTL_SEC, DEFAULT_LATEST_CACHE_TTL_SEC, -1, MAX_MS / 1000, "seconds (-1 = forever)");
  }

  /**
   * Reads and validates the settings.
   *
   * @throws ConfigException naming the key, if a setting is missing or invalid
   */
  public static SchemaRegistryClientConfig fromProperties(Map<String, ?> props) {
    return new SchemaRegistryClientConfig(props);
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
    return connectTimeout;
  }

  /** How long one request may wait for the registry's answer. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Retries after the first attempt: a request is sent at most {@code maxRetries() + 1} times. */
  public int maxRetries() {
    return maxRetries;
  }

  /** The first backoff; later ones double up to {@link #retriesMaxWait()}. */
  public Duration retriesWait() {
    return retriesWait;
  }

  public Duration retriesMaxWait() {
    return retriesMaxWait;
  }

  public int maxSchemasPerSubject() {
    return maxSchemasPerSubject;
  }

  /** Seconds a subject's latest version stays cached: -1 forever, 0 not at all. */
  public long latestCacheTtlSec() {
    return latestCacheTtlSec;
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
        + ", connectTimeoutMs=" + connectTimeout.toMillis()
        + ", readTimeoutMs=" + readTimeout.toMillis()
        + ", maxRetries=" + maxRetries
        + ", retriesWaitMs=" + retriesWait.toMillis()
        + ", retriesMaxWaitMs=" + retriesMaxWait.toMillis()
        + ", maxSchemasPerSubject=" + maxSchemasPerSubject
        + ", latestCacheTtlSec=" + latestCacheTtlSec
        + "}";
  }

  private static CredentialsSource credentialsSource(ConfigValues values, List<RegistryUrls.Parsed> urls) {
    Optional<String> configured = values.string(BASIC_AUTH_CREDENTIALS_SOURCE);
    if (configured.isEmpty()) {
      // Confluent defaults to URL and then silently ignores basic.auth.user.info; sending the
      // credentials the user gave is what they meant.
      boolean urlHasUserInfo = urls.stream().anyMatch(RegistryUrls.Parsed::hadUserInfo);
      return !urlHasUserInfo && userInfo(values).isPresent() ? CredentialsSource.USER_INFO : CredentialsSource.URL;
    }
    String source = configured.get().toUpperCase(Locale.ROOT);
    switch (source) {
      case "USER_INFO":
        return CredentialsSource.USER_INFO;
      case "URL":
        return CredentialsSource.URL;
      case "SASL_INHERIT":
        throw ConfigValues.invalid(
            BASIC_AUTH_CREDENTIALS_SOURCE,
            "SASL_INHERIT is not supported by segmenter's registry client; use USER_INFO with "
                + BASIC_AUTH_USER_INFO + "=user:password, or URL with http://user:password@host:port");
      default:
        throw ConfigValues.invalid(
            BASIC_AUTH_CREDENTIALS_SOURCE, "unknown source '" + configured.get() + "'; use USER_INFO or URL");
    }
  }

  private static List<RegistryEndpoint> endpointsWithCredentials(
      ConfigValues values, List<RegistryUrls.Parsed> urls, CredentialsSource source) {
    if (source == CredentialsSource.URL) {
      return urls.stream().map(RegistryUrls.Parsed::endpoint).toList();
    }
    String userInfoKey = values.isSet(BASIC_AUTH_USER_INFO) ? BASIC_AUTH_USER_INFO : SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO;
    String userInfo =
        userInfo(values)
            .orElseThrow(
                () ->
                    ConfigValues.invalid(
                        BASIC_AUTH_USER_INFO,
                        "is required when " + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO; set it to 'user:password'"));
    if (userInfo.indexOf(':') <= 0) {
      throw ConfigValues.invalid(userInfoKey, "must be 'user:password' (a user name, a colon, then the password)");
    }
    String authorization = RegistryUrls.basicAuthorization(userInfo);
    // With USER_INFO, credentials in the URLs are dropped: one source of truth.
    return urls.stream().map(p -> p.endpoint().withAuthorization(authorization)).toList();
  }

  private static Optional<String> userInfo(ConfigValues values) {
    return values.secret(BASIC_AUTH_USER_INFO).or(() -> values.secret(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO));
  }

  private static long retriesMaxWaitMs(ConfigValues values, long waitMs) {
    if (!values.isSet(RETRIES_MAX_WAIT_MS)) {
      return Math.max(DEFAULT_RETRIES_MAX_WAIT_MS, waitMs); // a larger initial wait raises the default cap
    }
    long maxWaitMs = values.number(RETRIES_MAX_WAIT_MS, DEFAULT_RETRIES_MAX_WAIT_MS, 0, MAX_MS, "ms");
    if (maxWaitMs < waitMs) {
      throw ConfigValues.invalid(
          RETRIES_MAX_WAIT_MS, "(" + maxWaitMs + ") must be at least " + RETRIES_WAIT_MS + " (" + waitMs + ")");
    }
    return maxWaitMs;
  }
}
