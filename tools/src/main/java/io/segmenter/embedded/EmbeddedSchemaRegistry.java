package io.segmenter.embedded;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.segmenter.serde.registry.CompatibilityLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * An in-process stand-in for Confluent Schema Registry (Avro only, memory only) for the embedded
 * demo and tests. It speaks the subset of Confluent's REST API that segmenter uses, with the same
 * paths, JSON shapes, status codes and error codes, so a client written against Confluent works
 * against it unchanged.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
 *   String url = registry.url(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
  // A few threads: enough for concurrent clients in tests, little for a demo process.
  private static final int THREADS = 4;
  private static final int BACKLOG = 64;

  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;
  private final AtomicLong requestCount;
  private final AtomicBoolean available;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor, String url, AtomicLong requestCount,
      AtomicBoolean available) {
    this.server = server;
    this.executor = executor;
    this.url = url;
    this.requestCount = requestCount;
    this.available = available;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts a registry on 127.0.0.1, an ephemeral port, plain HTTP, global level BACKWARD. */
  public static EmbeddedSchemaRegistry start() {
    return builder().start();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}, without a trailing slash. */
  public String url() {
    return url;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Every HTTP request received since start or the last reset, rejected ones (401, 404...) included. */
  public long requestCount() {
    return requestCount.get();
  }

  public void resetRequestCount() {
    requestCount.set(0);
  }

  /**
   * Simulates a registry outage and its end: while unavailable, every request (still counted) gets
   * 503 Service Unavailable; the schemas are kept, so ids stay the same when it is available again.
   */
  public void setAvailable(boolean available) {
    this.available.set(available);
  }

  public boolean isAvailable() {
    return available.get();
  }

  /** Stops the server at once (no grace period) and frees the port; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  /** Configures and starts an {@link EmbeddedSchemaRegistry}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private String user;
    private String password;
    private SSLContext sslContext;
    private CompatibilityLevel defaultCompatibility = CompatibilityLevel.BACKWARD;

    private Builder() {}

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** Requires HTTP Basic authentication with these credentials; other requests get 401. */
    public Builder basicAuth(String user, String password) {
      this.user = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Serves HTTPS with this context instead of plain HTTP. */
    public Builder tls(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /** The global compatibility level at start; BACKWARD by default, like Confluent. */
    public Builder defaultCompatibility(CompatibilityLevel level) {
      this.defaultCompatibility = Objects.requireNonNull(level, "level");
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws UncheckedIOException if the address cannot be bound (e.g. the port is taken)
     */
    public EmbeddedSchemaRegistry start() {
      HttpServer server = bind();
      AtomicLong requestCount = new AtomicLong();
      AtomicBoolean available = new AtomicBoolean(true);
      HttpContext context = server.createContext("/", new RegistryHttpHandler(new SchemaStore(defaultCompatibility)));
      context.getFilters().add(new RequestGate(requestCount, available, user, password));
      ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
      server.setExecutor(executor);
      server.start();
      String scheme = sslContext == null ? "http" : "https";
      String url = scheme + "://" + urlHost() + ":" + server.getAddress().getPort();
      return new EmbeddedSchemaRegistry(server, executor, url, requestCount, available);
    }

    private HttpServer bind() {
      InetSocketAddress address = new InetSocketAddress(host, port);
      if (address.isUnresolved()) {
        throw new UncheckedIOException(
            new IOException("Embedded schema registry: cannot resolve host '" + host + "'"));
      }
      try {
        if (sslContext == null) {
          return HttpServer.create(address, BACKLOG);
        }
        HttpsServer https = HttpsServer.create(address, BACKLOG);
        https.setHttpsConfigurator(new HttpsConfigurator(sslContext));
        return https;
      } catch (BindException e) {
        throw new UncheckedIOException(
            "Embedded schema registry cannot listen on " + host + ":" + port
                + " (port already in use or address not available): " + e.getMessage(),
            e);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Embedded schema registry cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
      }
    }

    private String urlHost() {
      // A wildcard bind address is not something a client can connect to.
      if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
        return "127.0.0.1";
      }
      return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static ThreadFactory daemonThreads() {
      AtomicInteger counter = new AtomicInteger();
      return runnable -> {
        // Daemon: a registry a test forgot to close must not keep the JVM alive.
        Thread thread = new Thread(runnable, "embedded-schema-registry-" + counter.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      };
    }
  }
}
