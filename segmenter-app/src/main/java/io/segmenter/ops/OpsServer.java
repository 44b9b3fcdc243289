package io.segmenter.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.segmenter.model.ModelSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations HTTP server: bound first (so that its port can be advertised to Kafka Streams as
 * application.server), then given its endpoints once the streams exist ({@link #serve}).
 *
 * <table>
 *   <caption>Endpoints (GET or HEAD; another method is 405, an unknown path 404, JSON unless noted)</caption>
 *   <tr><td>/health/live</td><td>200 {"status":"UP"} while the process works; 503 once the streams are
 *       in ERROR, PENDING_ERROR, PENDING_SHUTDOWN or NOT_RUNNING (they will not process again), once
 *       stream threads failed {@code segmenter.thread.failures.max} times within the window, or once
 *       the global thread failed: restart the instance. Also 200 while starting (before the streams
 *       exist or run). Rules in {@link Health}; the body has the state, a reason when DOWN and
 *       {@code threadFailures} (count, limit, window, last failure, backoff, recent failures).</td></tr>
 *   <tr><td>/health/ready</td><td>200 only when live, the streams are RUNNING and no failed thread is
 *       waiting for its replacement, else 503 with the state and the reason.</td></tr>
 *   <tr><td>/health</td><td>Both in one answer ({"live", "ready", "state", "threadFailures"}), with
 *       the status code of /health/live.</td></tr>
 *   <tr><td>/metrics</td><td>Prometheus text format 0.0.4; OpenMetrics when the Accept header asks for
 *       application/openmetrics-text. Includes Kafka Streams' own metrics (kafka_stream_*), rescanned
 *       every {@value #KAFKA_METRICS_REFRESH_SECONDS} s.</td></tr>
 *   <tr><td>/customers/{id}</td><td>One customer's segment, features and profile, from whichever
 *       instance owns it ({@link CustomerQuery}); 404 when unknown, 503 + Retry-After while no
 *       instance can answer. Header {@value #SERVED_BY_HEADER} names the instance that read it.</td></tr>
 *   <tr><td>/segments</td><td>The segments of the newest model with their global populations
 *       ({@link Populations}); {"partial": true} when an instance did not answer.</td></tr>
 *   <tr><td>/model</td><td>The newest model version; 404 {"version": null} before the first one.</td></tr>
 *   <tr><td>/internal/populations</td><td>This instance's local populations (for /segments of the
 *       other instances).</td></tr>
 * </table>
 *
 * <p>Requests are handled on a small pool of its own; calls to other instances are asynchronous, so a
 * slow or dead peer holds no server thread and health checks stay prompt. Customer ids (personal
 * data) are never logged, nor the paths that carry them.
 */
public final class OpsServer implements AutoCloseable {
  /** Set on a request one instance forwards to another; such a request is never forwarded again. */
  public static final String FORWARDED_HEADER = "X-Segmenter-Forwarded";
  /** On a forwarded request: a standby replica's (possibly stale) copy is acceptable. */
  public static final String ALLOW_STALE_HEADER = "X-Segmenter-Allow-Stale";
  /** On a customer answer: host:port of the instance whose store was read. */
  public static final String SERVED_BY_HEADER = "X-Segmenter-Served-By";

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final long KAFKA_METRICS_REFRESH_SECONDS = 5;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final int THREADS = 8;
  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private volatile Endpoints endpoints;

  private OpsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds and starts the server; until {@link #serve} it answers health (starting) and 503. */
  public static OpsServer start(String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads("segmenter-http"));
    OpsServer ops = new OpsServer(server, executor);
    server.setExecutor(executor);
    server.createContext("/", ops::handle);
    server.start();
    return ops;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Serves the endpoints from this context, and binds Kafka Streams' metrics to its registry. Once.
   */
  public synchronized void serve(OpsContext ctx) {
    if (endpoints != null) throw new IllegalStateException("already serving");
    endpoints = new Endpoints(ctx);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    Endpoints e = endpoints;
    if (e != null) e.close();
  }

  /** host:port, with brackets around an IPv6 literal. */
  static String address(HostInfo h) {
    String host = h.host().indexOf(':') >= 0 && !h.host().startsWith("[") ? "[" + h.host() + "]" : h.host();
    return host + ":" + h.port();
  }

  private void handle(HttpExchange exchange) {
    CompletableFuture<OpsResponse> response;
    String route = "?";
    try {
      OpsRequest request = OpsRequest.of(exchange);
      route = routeName(request.segments());
      response = route(request);
    } catch (OpsRequest.BadRequest e) {
      response = CompletableFuture.completedFuture(OpsResponse.error(400, e.getMessage()));
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    String routeForLog = route;
    response.whenComplete((r, e) -> {
      OpsResponse answer = r;
      if (e != null) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof OpsRequest.BadRequest bad) {
          answer = OpsResponse.error(400, bad.getMessage());
        } else {
          // The route, not the path: a path may hold a customer id.
          LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), routeForLog, cause.toString());
          answer = OpsResponse.error(500, "internal error");
        }
      }
      send(exchange, answer);
    });
  }

  private CompletableFuture<OpsResponse> route(OpsRequest request) {
    List<String> path = request.segments();
    String first = path.isEmpty() ? "" : path.get(0);
    boolean known = switch (first) {
      case "" -> true;
      case "health" -> path.size() == 1 || path.size() == 2 && (path.get(1).equals("live") || path.get(1).equals("ready"));
      case "metrics", "segments", "model" -> path.size() == 1;
      case "customers" -> path.size() == 2;
      case "internal" -> path.size() == 2 && path.get(1).equals("populations");
      default -> false;
    };
    if (!known) return done(OpsResponse.error(404, "no such endpoint"));
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return done(OpsResponse.error(405, "method " + request.method() + " not allowed").withHeader("Allow", "GET, HEAD"));
    }
    Endpoints e = endpoints;
    if (first.equals("")) return done(OpsResponse.json(200, index()));
    if (first.equals("health")) return done(health(e, path.size() == 1 ? null : path.get(1)));
    if (e == null) return done(OpsResponse.unavailable("starting"));
    return switch (first) {
      case "metrics" -> done(e.metrics(request.header("Accept")));
      case "customers" -> e.customers.lookup(request, path.get(1));
      case "segments" -> e.segments();
      case "model" -> done(e.model());
      default -> done(OpsResponse.json(200, e.populations.local())); // internal/populations
    };
  }

  private static String routeName(List<String> path) {
    if (path.isEmpty()) return "/";
    if (path.get(0).equals("customers")) return "/customers/{id}";
    return "/" + String.join("/", path.subList(0, Math.min(2, path.size())));
  }

  private static ObjectNode index() {
    ObjectNode root = OpsResponse.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("endpoints");
    for (String p : List.of("/health", "/health/live", "/health/ready", "/metrics", "/customers/{id}", "/segments", "/model",
        Populations.INTERNAL_PATH)) {
      list.add(p);
    }
    return root;
  }

  /**
   * /health/live ({@code which} "live"), /health/ready ("ready") or /health (null): see the class
   * comment and {@link Health}. Before {@link #serve} the process is starting: live, not ready.
   */
  private static OpsResponse health(Endpoints e, String which) {
    ObjectNode body = OpsResponse.MAPPER.createObjectNode();
    if (e == null) {
      boolean up = !"ready".equals(which);
      body.put("status", up ? "UP" : "DOWN");
      if (which == null) {
        body.put("live", true);
        body.put("ready", false);
      }
      body.put("state", "STARTING");
      return OpsResponse.json(up ? 200 : 503, body);
    }
    KafkaStreams.State state = e.ctx.streams().state();
    ThreadFailurePolicy.Status failures = e.ctx.threadFailures().status();
    boolean live = Health.live(state, failures);
    boolean ready = Health.ready(state, failures);
    boolean up = "ready".equals(which) ? ready : live;
    body.put("status", up ? "UP" : "DOWN");
    if (which == null) {
      body.put("live", live);
      body.put("ready", ready);
    }
    body.put("state", state.toString());
    String reason = Health.reason(state, failures, !"live".equals(which));
    if (reason != null) body.put("reason", reason);
    body.set("threadFailures", Health.json(failures));
    return OpsResponse.json(up ? 200 : 503, body);
  }

  private static void send(HttpExchange exchange, OpsResponse r) {
    try {
      Headers h = exchange.getResponseHeaders();
      h.set("Content-Type", r.contentType());
      h.set("Cache-Control", "no-store");
      r.headers().forEach(h::set);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      if (head || r.body().length == 0) {
        exchange.sendResponseHeaders(r.status(), -1);
      } else {
        exchange.sendResponseHeaders(r.status(), r.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(r.body());
        }
      }
    } catch (IOException e) {
      LOG.debug("could not answer an ops request (client gone?): {}", e.toString());
    } finally {
      exchange.close();
    }
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** What exists once the streams do: the endpoints that read them, and the Kafka metrics binding. */
  private static final class Endpoints implements AutoCloseable {
    private final OpsContext ctx;
    private final CustomerQuery customers;
    private final Populations populations;
    private final ScheduledExecutorService metricsScheduler;
    private final KafkaStreamsMetrics kafkaMetrics;

    Endpoints(OpsContext ctx) {
      this.ctx = ctx;
      Forwarder forwarder = new Forwarder(ctx.self(), CONNECT_TIMEOUT, REQUEST_TIMEOUT);
      ApplicationClock clock = new ApplicationClock(ctx.config().hybridClock());
      this.customers = new CustomerQuery(ctx, forwarder, clock);
      this.populations = new Populations(ctx, forwarder);
      // Micrometer rescans Kafka's metrics every 60 s by default: per-thread, per-task and per-store
      // metrics would appear a minute late. Its scheduler is ours to shut down (close()); it also
      // notes when a new model version arrives, for the application clock.
      this.metricsScheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("segmenter-ops-timer"));
      metricsScheduler.scheduleWithFixedDelay(
          () -> clock.observe(ctx.runtime().model().current(), System.currentTimeMillis()), 0, 1, TimeUnit.SECONDS);
      this.kafkaMetrics = new KafkaStreamsMetrics(ctx.streams(), Tags.empty(), metricsScheduler,
          Duration.ofSeconds(KAFKA_METRICS_REFRESH_SECONDS));
      kafkaMetrics.bindTo(ctx.meters());
    }

    OpsResponse metrics(String accept) {
      boolean openMetrics = accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
      String type = openMetrics ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
      byte[] body = ctx.meters().scrape(type).getBytes(StandardCharsets.UTF_8);
      return new OpsResponse(200, type, body, java.util.Map.of());
    }

    OpsResponse model() {
      ModelSnapshot model = ctx.runtime().model().current();
      return model == null ? OpsResponse.json(404, JsonViews.noModel()) : OpsResponse.json(200, JsonViews.model(model));
    }

    CompletableFuture<OpsResponse> segments() {
      ModelSnapshot model = ctx.runtime().model().current();
      return populations.global().thenApply(t -> OpsResponse.json(200,
          JsonViews.segments(model, t.populations(), t.partial(), t.instances(), t.answered())));
    }

    @Override
    public void close() {
      kafkaMetrics.close();
      metricsScheduler.shutdownNow();
    }
  }
}
