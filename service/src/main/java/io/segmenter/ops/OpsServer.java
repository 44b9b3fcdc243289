package io.segmenter.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.segmenter.model.ModelSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The operations HTTP server (Jetty 12): bound first (so that its port can be advertised to Kafka
 * Streams as application.server), then given its endpoints once the streams exist ({@link #serve}).
 *
 * <table>
 *   <caption>Endpoints (GET or HEAD unless noted; another method is 405, an unknown path 404, JSON unless noted)</caption>
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
 *   <tr><td>/model</td><td>The newest model version, and the last versions this instance saw
 *       ({@code versions}); 404 {"version": null} before the first one.</td></tr>
 *   <tr><td>/map</td><td>The centres and a sample of this instance's customers on the two principal
 *       axes of the model's space ({@link SegmentMap}); 404 before the first model version.</td></tr>
 *   <tr><td>/flows</td><td>Segment changes of the last hour and day, from -> to, over all instances
 *       ({@link FlowsJson}).</td></tr>
 *   <tr><td>/strategies</td><td>The segmentation strategies side by side, over all instances
 *       ({@link StrategiesJson}); 404 without challengers.</td></tr>
 *   <tr><td>POST /strategies/{name}/promote</td><td>Makes a challenger the champion on every instance
 *       ({@link StrategyPromotion}); the one route that is POST (and only POST).</td></tr>
 *   <tr><td>/internal/populations</td><td>This instance's local populations (for /segments of the
 *       other instances).</td></tr>
 *   <tr><td>/</td><td>The web page (text/html) when the Accept header prefers text/html to JSON, as a
 *       browser's does; else the JSON list of endpoints ({@link WebPage}).</td></tr>
 *   <tr><td>/ui/{file}</td><td>The page's script, style sheet and icon; 404 for any other name.</td></tr>
 * </table>
 *
 * <p>Who may call what is {@link AccessControl}'s decision, made before any work. Health is answered
 * on the server's own threads at once; everything else runs on a small pool of its own with a bound
 * on the requests in flight ({@link HttpLimits}), so API load cannot starve the probes, and calls to
 * other instances are asynchronous, so a slow or dead peer holds no thread. Jetty reads request
 * heads without a thread; {@link RequestHeadDeadline} cuts the connections that dribble them. Customer
 * ids (personal data) are never logged, nor the paths that carry them.
 */
public final class OpsServer implements AutoCloseable {
  /** Set on a request one instance forwards to another; such a request is never forwarded again. */
  public static final String FORWARDED_HEADER = "X-Segmenter-Forwarded";
  /** On a forwarded request from an authenticated peer: a standby replica's (possibly stale) copy is acceptable. */
  public static final String ALLOW_STALE_HEADER = "X-Segmenter-Allow-Stale";
  /** On a customer answer: host:port of the instance whose store was read. */
  public static final String SERVED_BY_HEADER = "X-Segmenter-Served-By";

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final long KAFKA_METRICS_REFRESH_SECONDS = 5;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /** Jetty's own threads: accepting, selecting, parsing, health. Bounded; API work runs elsewhere. */
  private static final int SERVER_THREADS = 16;

  private final Server server;
  private final ServerConnector connector;
  private final OpsHandler handler;
  private final ScheduledExecutorService timer;

  private OpsServer(Server server, ServerConnector connector, OpsHandler handler, ScheduledExecutorService timer) {
    this.server = server;
    this.connector = connector;
    this.handler = handler;
    this.timer = timer;
  }

  /** A plain-HTTP server open to all with the default limits (tests, the demo). */
  public static OpsServer start(String host, int port) throws Exception {
    return start(new HttpSettings(host, port, HttpLimits.defaults(), AccessControl.open(), null),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  /** Binds and starts the server; until {@link #serve} it answers health (starting) and 503. */
  public static OpsServer start(HttpSettings settings, MeterRegistry meters) throws Exception {
    HttpLimits limits = settings.limits();
    QueuedThreadPool threads = new QueuedThreadPool(SERVER_THREADS, 4);
    threads.setName("segmenter-http");
    threads.setDaemon(true);
    Server server = new Server(threads);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxRequestHeadBytes());
    http.setSendServerVersion(false); // nothing that helps an attacker pick an exploit
    http.setSendDateHeader(false);
    // An encoded '/' stays inside a customer id (/customers/a%2Fb): allowed, each segment is decoded alone.
    http.setUriCompliance(UriCompliance.DEFAULT.with("segmenter",
        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
    ServerConnector connector;
    SslContextFactory.Server tls = settings.tls() == null ? null : settings.tls().server();
    if (tls == null) {
      connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    } else {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false); // clients reach instances by IP address as well as by name
      http.addCustomizer(secure);
      connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"),
          new HttpConnectionFactory(http));
    }
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(limits.readTimeout().toMillis());
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("segmenter-http-timer"));
    RequestHeadDeadline deadline = new RequestHeadDeadline(limits.readTimeout(), System::nanoTime,
        Counter.builder("segmenter.http.connections.cut")
            .description("Connections closed for not sending a complete request head within segmenter.http.read.timeout.ms")
            .register(meters));
    connector.addBean(deadline);
    deadline.schedule(timer);
    server.addConnector(connector);

    ErrorHandler errors = new ErrorHandler();
    errors.setShowStacks(false);
    errors.setShowMessageInTitle(false);
    server.setErrorHandler(errors);
    OpsHandler handler = new OpsHandler(settings, deadline, meters);
    server.setHandler(handler);
    Gauge.builder("segmenter.http.connections.open", deadline, RequestHeadDeadline::watched)
        .description("Open connections of the operations server").register(meters);
    try {
      server.start();
    } catch (Exception e) {
      timer.shutdownNow();
      handler.close();
      server.stop();
      throw e;
    }
    return new OpsServer(server, connector, handler, timer);
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** "http" or "https": how peers and clients reach this server. */
  public String scheme() {
    return handler.scheme();
  }

  /**
   * Serves the endpoints from this context, and binds Kafka Streams' metrics to its registry. Once.
   */
  public synchronized void serve(OpsContext ctx) {
    if (handler.serving()) throw new IllegalStateException("already serving");
    handler.serve(new Endpoints(ctx, handler.forwarder(ctx.self())));
  }

  /**
   * As {@link #serve(OpsContext)}, the strategies' stores (outcomes, profiles) read from {@code stores}
   * rather than from the streams' interactive queries: for tests whose real stores live in a
   * TopologyTestDriver, where no KafkaStreams can run without a broker.
   */
  synchronized void serve(OpsContext ctx, StrategyBoard.Stores stores) {
    if (handler.serving()) throw new IllegalStateException("already serving");
    handler.serve(new Endpoints(ctx, handler.forwarder(ctx.self()), stores));
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the HTTP server", e);
    } finally {
      timer.shutdownNow();
      handler.close();
    }
  }

  /** host:port, with brackets around an IPv6 literal. */
  static String address(HostInfo h) {
    String host = h.host().indexOf(':') >= 0 && !h.host().startsWith("[") ? "[" + h.host() + "]" : h.host();
    return host + ":" + h.port();
  }

  static ObjectNode index() {
    ObjectNode root = OpsResponse.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("endpoints");
    for (String p : List.of("/health", "/health/live", "/health/ready", "/metrics", "/customers/{id}", "/segments", "/model",
        "/map", "/flows", "/strategies", "/strategies/{name}/promote", Populations.INTERNAL_PATH)) {
      list.add(p);
    }
    return root;
  }

  /**
   * /health/live ({@code which} "live"), /health/ready ("ready") or /health (null): see the class
   * comment and {@link Health}. Before {@link #serve} the process is starting: live, not ready.
   */
  static OpsResponse health(Endpoints e, String which) {
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

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** What exists once the streams do: the endpoints that read them, and the Kafka metrics binding. */
  static final class Endpoints implements AutoCloseable {
    final OpsContext ctx;
    final CustomerQuery customers;
    final Populations populations;
    final SegmentMap map;
    final StrategyBoard board;
    final StrategyPromotion promotion;
    private final ScheduledExecutorService metricsScheduler;
    private final KafkaStreamsMetrics kafkaMetrics;

    Endpoints(OpsContext ctx, Forwarder forwarder) {
      this(ctx, forwarder, StrategyBoard.Stores.of(ctx.streams()));
    }

    /** With the strategies' stores read from {@code stores} (tests: a TopologyTestDriver's real stores). */
    Endpoints(OpsContext ctx, Forwarder forwarder, StrategyBoard.Stores stores) {
      this.ctx = ctx;
      ApplicationClock clock = new ApplicationClock(ctx.config().hybridClock());
      this.customers = new CustomerQuery(ctx, forwarder, clock);
      this.board = new StrategyBoard(ctx, stores, clock, System::currentTimeMillis);
      this.promotion = new StrategyPromotion(ctx.runtime().strategies());
      this.populations = new Populations(ctx, forwarder, board::local);
      this.map = new SegmentMap(ctx, populations, clock, System::currentTimeMillis);
      // Micrometer rescans Kafka's metrics every 60 s by default: per-thread, per-task and per-store
      // metrics would appear a minute late. Its scheduler is ours to shut down (close()); it also
      // notes when a new model version arrives, for the application clock.
      this.metricsScheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("segmenter-ops-timer"));
      metricsScheduler.scheduleWithFixedDelay(
          () -> clock.observe(ctx.runtime().model().current(), System.currentTimeMillis()), 0, 1, TimeUnit.SECONDS);
      this.kafkaMetrics = new KafkaStreamsMetrics(ctx.streams(), Tags.empty(), metricsScheduler,
          Duration.ofSeconds(KAFKA_METRICS_REFRESH_SECONDS));
      kafkaMetrics.bindTo(ctx.meters());
      board.bindMetrics(ctx.meters());
    }

    OpsResponse metrics(String accept) {
      boolean openMetrics = accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
      String type = openMetrics ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
      byte[] body = ctx.meters().scrape(type).getBytes(StandardCharsets.UTF_8);
      return new OpsResponse(200, type, body, java.util.Map.of());
    }

    OpsResponse model() {
      ModelSnapshot model = ctx.runtime().model().current();
      if (model == null) return OpsResponse.json(404, JsonViews.noModel());
      ObjectNode body = JsonViews.model(model, currency());
      body.set("versions", JsonViews.versions(ctx.runtime().modelVersions().newestFirst()));
      return OpsResponse.json(200, body);
    }

    CompletableFuture<OpsResponse> flows(String authorization) {
      return populations.global(authorization).thenApply(t -> OpsResponse.json(200, FlowsJson.flows(t.flows(),
          ctx.runtime().model().current(), ctx.runtime().segmentNames(), t.flowsAt(), t.instances(), t.flowsAnswered())));
    }

    /** GET /strategies: the comparison over every instance's figures (404 without challengers). */
    CompletableFuture<OpsResponse> strategies(String authorization) {
      if (!board.comparing()) return CompletableFuture.completedFuture(StrategyPromotion.noChallengers());
      var strategies = ctx.runtime().strategies();
      return populations.global(authorization).thenApply(t -> OpsResponse.json(200, StrategiesJson.strategies(
          strategies.championRecord(), strategies.settings(), name -> strategies.holder(name).current(),
          ctx.runtime().segmentNames(), t.strategies(), t.instances(), t.strategiesAnswered(), currency())));
    }

    CompletableFuture<OpsResponse> segments(String authorization) {
      ModelSnapshot model = ctx.runtime().model().current();
      return populations.global(authorization).thenApply(t -> OpsResponse.json(200,
          JsonViews.segments(model, ctx.runtime().segmentNames(), t.populations(), t.partial(), t.instances(),
          t.answered(), currency())));
    }

    /** The one currency spend is summed in (events in another are refused), so the one money is in. */
    private String currency() {
      return ctx.config().getString(io.segmenter.config.SegmenterConfig.CURRENCY);
    }

    @Override
    public void close() {
      kafkaMetrics.close();
      metricsScheduler.shutdownNow();
    }
  }
}
