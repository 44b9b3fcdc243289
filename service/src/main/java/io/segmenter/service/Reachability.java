package io.segmenter.service;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClientConfig;
import io.segmenter.serde.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Whether Kafka and the schema registry answer, asked once with a bound
 * ({@link SegmenterConfig#CONNECT_TIMEOUT_MS}) before a command starts its real clients. Without it an
 * unreachable broker is a minute of Kafka's reconnect warnings and then a stack trace, and an
 * unreachable registry surfaces as Kafka Streams' "deserialization exception handler" error, three
 * causes away from the real one. Used by {@code run} (SegmenterService.start) and by the tools'
 * commands that produce.
 */
public final class Reachability {
  /**
   * The client.id of the check's admin client: the log configuration keeps this client's own
   * reconnect warnings out of the log (io.segmenter.logging.ConnectCheckLogFilter), since the
   * check's one-line failure says the same once.
   */
  public static final String CHECK_CLIENT_ID = "segmenter-connect-check";

  private Reachability() { }

  /** The bound on each check, from {@link SegmenterConfig#CONNECT_TIMEOUT_MS}. */
  public static Duration timeout(SegmenterConfig config) {
    return Duration.ofMillis(config.getLong(SegmenterConfig.CONNECT_TIMEOUT_MS));
  }

  /**
   * The registry client's settings, validated without connecting: a malformed schema.registry.url
   * (or TLS, credentials) throws Kafka's ConfigException naming it, which the CLI reports as a bad
   * setting (exit 2).
   */
  public static SchemaRegistryClientConfig registrySettings(SegmenterConfig config) {
    return SchemaRegistryClientConfig.fromProperties(config.serdeConfig());
  }

  /** Checks the registry settings, then Kafka, then the registry (each within the bound). */
  public static void check(SegmenterConfig config, Map<String, Object> adminConfig) {
    registrySettings(config);
    Duration timeout = timeout(config);
    kafka(adminConfig, timeout);
    registry(config, timeout);
  }

  /**
   * Asks the cluster for its brokers (a metadata request) with the admin settings given (security
   * settings included), waiting at most {@code timeout}.
   *
   * @throws UnreachableException naming the address, what was tried and what to check
   */
  public static void kafka(Map<String, Object> adminConfig, Duration timeout) {
    Map<String, Object> probe = new HashMap<>(adminConfig);
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    probe.put(AdminClientConfig.CLIENT_ID_CONFIG, CHECK_CLIENT_ID);
    probe.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    probe.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    String servers = String.valueOf(adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    String where = "Kafka at " + servers + " (bootstrap.servers)";
    Admin admin;
    try {
      admin = Admin.create(probe);
    } catch (ConfigException e) {
      throw e; // a malformed setting: the CLI names it (exit 2)
    } catch (KafkaException e) {
      throw new UnreachableException("cannot reach " + where + ": " + message(e), e);
    }
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes().get(ms + 1000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw kafkaFailure(where, timeout, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw kafkaFailure(where, timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while reaching " + where, e);
    } finally {
      admin.close(Duration.ofSeconds(1)); // nothing of the check's is worth waiting for
    }
  }

  private static UnreachableException kafkaFailure(String where, Duration timeout, Throwable cause) {
    String within = "within " + seconds(timeout);
    if (cause instanceof TimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
      return new UnreachableException("cannot reach " + where + " " + within + " (" + SegmenterConfig.CONNECT_TIMEOUT_MS
          + "): no broker answered a metadata request; check that the broker is up, the address and port, and "
          + "security.protocol/sasl settings", cause);
    }
    if (cause instanceof AuthenticationException) {
      return new UnreachableException(where + " refused to authenticate this client: " + message(cause)
          + "; check security.protocol, sasl.mechanism, sasl.jaas.config and the ssl.* settings", cause);
    }
    if (cause instanceof AuthorizationException) {
      return new UnreachableException(where + " did not let this client describe the cluster: " + message(cause)
          + "; check the principal's ACLs", cause);
    }
    return new UnreachableException("cannot reach " + where + " " + within + ": " + message(cause), cause);
  }

  /**
   * Asks the registry for its global compatibility level (GET /config, cheap and answered by every
   * Confluent-compatible registry) with the configured credentials and TLS, once, within {@code timeout}.
   *
   * @throws UnreachableException naming the URL, what was tried and what to check
   */
  public static void registry(SegmenterConfig config, Duration timeout) {
    Map<String, Object> probe = new HashMap<>(config.serdeConfig());
    probe.put(SchemaRegistryClientConfig.HTTP_CONNECT_TIMEOUT_MS_CONFIG, timeout.toMillis());
    probe.put(SchemaRegistryClientConfig.HTTP_READ_TIMEOUT_MS_CONFIG, timeout.toMillis());
    probe.put(SchemaRegistryClientConfig.MAX_RETRIES_CONFIG, 0);
    String urls = String.join(",", config.getList(SegmenterConfig.SCHEMA_REGISTRY_URL));
    String where = "the schema registry at " + redact(urls) + " (" + SegmenterConfig.SCHEMA_REGISTRY_URL + ")";
    try (CachedSchemaRegistryClient client = CachedSchemaRegistryClient.fromProperties(probe)) {
      client.getCompatibility(null);
    } catch (SchemaRegistryException e) {
      int status = e.httpStatus();
      String check;
      if (status == SchemaRegistryException.NO_RESPONSE) {
        check = "GET /config got no answer (" + cause(e, timeout) + "); check that the registry is up, the URL's "
            + "host, port and scheme (http/https), and any proxy";
      } else if (status == 401 || status == 403) {
        check = "GET /config was refused with HTTP " + status + "; check basic.auth.user.info "
            + "(or the user:password in the URL)";
      } else if (status == 404) {
        check = "GET /config answered HTTP 404: the URL is not a Confluent-compatible registry's base URL "
            + "(Apicurio's is .../apis/ccompat/v7)";
      } else {
        check = firstLine(e.getMessage());
      }
      throw new UnreachableException("cannot reach " + where + ": " + check, e);
    }
  }

  /** Why the registry client got no answer, in words: the JDK's exceptions often carry no message. */
  private static String cause(SchemaRegistryException e, Duration timeout) {
    Throwable c = e.getCause();
    if (c instanceof java.net.http.HttpConnectTimeoutException || c instanceof java.net.http.HttpTimeoutException) {
      return "nothing within " + seconds(timeout) + ", " + SegmenterConfig.CONNECT_TIMEOUT_MS;
    }
    if (c instanceof java.net.ConnectException) return "connection refused";
    if (c instanceof java.net.UnknownHostException) return "unknown host";
    if (c == null) return firstLine(e.getMessage());
    Throwable inner = c;
    while (inner.getMessage() == null && inner.getCause() != null) inner = inner.getCause();
    return c.getClass().getSimpleName() + (inner.getMessage() == null ? "" : ": " + firstLine(inner.getMessage()));
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : firstLine(m);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The URLs with any user:password replaced, for messages. */
  static String redact(String urls) {
    return urls.replaceAll("://[^/@,]*@", "://***@");
  }

  /**
   * Kafka or the registry did not answer within the bound, or refused this client. A failure at run
   * time (exit 1): the command's settings were valid, the cluster or the network is not.
   */
  public static final class UnreachableException extends RuntimeException {
    public UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
