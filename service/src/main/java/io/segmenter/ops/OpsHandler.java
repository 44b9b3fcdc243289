package io.segmenter.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of the operations server, in order: the deadline bookkeeping, limits (body size,
 * customer id length), routing (404, 405), who is asking and whether they may ({@link AccessControl}:
 * 401, 403), then health and the page ({@link WebPage}) at once on this thread, or the API on its own
 * bounded pool (503 when full).
 * Customer reads and strategy promotions leave one audit line each, on the instance the client asked.
 * Every route is GET (and HEAD) but the promotion, which is POST only; no request body is ever read.
 */
final class OpsHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(OpsHandler.class);

  private final HttpSettings settings;
  private final RequestHeadDeadline deadline;
  private final MeterRegistry meters;
  private final ThreadPoolExecutor api;
  private final Semaphore inFlight;
  private final WebPage page = WebPage.fromClasspath();
  private volatile OpsServer.Endpoints endpoints;

  OpsHandler(HttpSettings settings, RequestHeadDeadline deadline, MeterRegistry meters) {
    super(InvocationType.BLOCKING);
    this.settings = settings;
    this.deadline = deadline;
    this.meters = meters;
    HttpLimits limits = settings.limits();
    this.inFlight = new Semaphore(limits.apiInFlight());
    // The queue holds every request admitted in flight, so that execute() never rejects one that got a permit.
    this.api = new ThreadPoolExecutor(limits.apiThreads(), limits.apiThreads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(limits.apiInFlight()), OpsServer.daemonThreads("segmenter-http-api"));
    settings.access().bindMetrics(meters);
  }

  String scheme() {
    return settings.tls() == null ? "http" : "https";
  }

  Forwarder forwarder(HostInfo self) {
    return new Forwarder(self, scheme(), settings.tls() == null ? null : settings.tls().client(), settings.access(),
        OpsServer.CONNECT_TIMEOUT, OpsServer.REQUEST_TIMEOUT);
  }

  boolean serving() {
    return endpoints != null;
  }

  synchronized void serve(OpsServer.Endpoints e) {
    if (endpoints != null) {
      e.close();
      throw new IllegalStateException("already serving");
    }
    endpoints = e;
  }

  void close() {
    api.shutdownNow();
    settings.access().close();
    OpsServer.Endpoints e = endpoints;
    if (e != null) e.close();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Connection connection = request.getConnectionMetaData().getConnection();
    deadline.requestStarted(connection);
    Callback done = Callback.from(callback, () -> deadline.requestEnded(connection));
    Route route = null;
    try {
      if (request.getLength() > settings.limits().maxBodyBytes()) {
        rejected("body_too_large");
        send(request, response, done, null, OpsResponse.error(413, "request body too large").withHeader("Connection", "close"));
        return true;
      }
      String method = request.getMethod();
      OpsRequest parsed = OpsRequest.of(method, request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
          name -> request.getHeaders().get(name), false);
      route = Route.of(parsed.segments());
      if (route == null) {
        send(request, response, done, null, OpsResponse.error(404, "no such endpoint"));
        return true;
      }
      if (!route.allows(method)) {
        // The body is not read: Jetty may close the connection after the answer if it had not all
        // arrived, and a client that reused it would see its next request fail. Say so instead.
        send(request, response, done, route, OpsResponse.error(405, "method " + method + " not allowed")
            .withHeader("Allow", route.allow()).withHeader("Connection", "close"));
        return true;
      }
      AccessControl.Caller caller = settings.access().identify(request, parsed.rawPathAndQuery());
      OpsRequest opsRequest = parsed.withPeer(caller.peer());
      AccessControl.Verdict verdict = settings.access().admit(route, caller);
      if (verdict != AccessControl.Verdict.ALLOW) {
        OpsResponse denied = verdict.response();
        audit(request, route, opsRequest, caller, denied);
        send(request, response, done, route, denied);
        return true;
      }
      if (route.inline()) {
        OpsServer.Endpoints e = endpoints;
        OpsResponse answer = switch (route) {
          // A browser gets the page, an API client (curl's */*, no Accept) the list of endpoints.
          case INDEX -> WebPage.prefersHtml(opsRequest.header("Accept")) ? page.page()
              : OpsResponse.json(200, OpsServer.index()).withHeader("Vary", "Accept");
          case ASSET -> page.asset(opsRequest.segments().get(1));
          default -> OpsServer.health(e, opsRequest.segments().size() == 1 ? null : opsRequest.segments().get(1));
        };
        send(request, response, done, route, answer);
        return true;
      }
      if (route == Route.CUSTOMER && opsRequest.segments().get(1).length() > settings.limits().maxCustomerIdLength()) {
        send(request, response, done, route, OpsResponse.error(400,
            "customer id longer than " + settings.limits().maxCustomerIdLength() + " characters"));
        return true;
      }
      dispatch(request, response, done, route, opsRequest, caller);
    } catch (OpsRequest.BadRequest e) {
      send(request, response, done, route, OpsResponse.error(400, e.getMessage()));
    }
    return true;
  }

  /** The API: on its own pool, at most apiInFlight at once; one more is 503 at once. */
  private void dispatch(Request request, Response response, Callback done, Route route, OpsRequest opsRequest,
      AccessControl.Caller caller) {
    if (!inFlight.tryAcquire()) {
      rejected("overload");
      send(request, response, done, route, OpsResponse.unavailable("too many requests in progress"));
      return;
    }
    try {
      api.execute(() -> answer(route, opsRequest).whenComplete((r, e) -> {
        inFlight.release();
        OpsResponse answer = r != null ? r : failure(route, e);
        audit(request, route, opsRequest, caller, answer);
        send(request, response, done, route, answer);
      }));
    } catch (RejectedExecutionException shuttingDown) {
      inFlight.release();
      send(request, response, done, route, OpsResponse.unavailable("shutting down"));
    }
  }

  private CompletableFuture<OpsResponse> answer(Route route, OpsRequest request) {
    OpsServer.Endpoints e = endpoints;
    if (e == null) return done(OpsResponse.unavailable("starting"));
    try {
      return switch (route) {
        case METRICS -> done(e.metrics(request.header("Accept")));
        case CUSTOMER -> e.customers.lookup(request, request.segments().get(1));
        case SEGMENTS -> e.segments(request.header("Authorization"));
        case MODEL -> done(e.model());
        case MAP -> e.map.answer(request.header("Authorization"));
        case FLOWS -> e.flows(request.header("Authorization"));
        case INTERNAL -> done(OpsResponse.json(200, e.populations.local()));
        case STRATEGIES -> e.strategies(request.header("Authorization"));
        case PROMOTE -> e.promotion.promote(request.segments().get(1));
        default -> throw new IllegalStateException("not an API route: " + route);
      };
    } catch (RuntimeException ex) {
      return CompletableFuture.failedFuture(ex);
    }
  }

  private static OpsResponse failure(Route route, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof OpsRequest.BadRequest bad) return OpsResponse.error(400, bad.getMessage());
    // The route, not the path: a path may hold a customer id.
    LOG.warn("{} failed: {}", route.label, cause.toString());
    return OpsResponse.error(500, "internal error");
  }

  /**
   * One audit line per customer read asked of this instance. A read forwarded by an authenticated peer
   * is logged where it came in, not again here.
   */
  private void audit(Request request, Route route, OpsRequest opsRequest, AccessControl.Caller caller, OpsResponse answer) {
    if (route == Route.PROMOTE) {
      OpsServer.Endpoints e = endpoints;
      settings.access().auditPromotion(caller, opsRequest.segments().get(1), answer.status(),
          e == null ? null : OpsServer.address(e.ctx.self()), Request.getRemoteAddr(request));
      return;
    }
    if (route != Route.CUSTOMER || opsRequest.fromPeer()) return;
    // The instance that read the store, or this one when nothing was read (refused, not found here).
    String servedBy = answer.headers().get(OpsServer.SERVED_BY_HEADER);
    OpsServer.Endpoints e = endpoints;
    if (servedBy == null && e != null) servedBy = OpsServer.address(e.ctx.self());
    settings.access().audit(caller, opsRequest.segments().get(1), answer.status(), servedBy,
        Request.getRemoteAddr(request));
  }

  private void rejected(String reason) {
    Counter.builder("segmenter.http.rejected").tag("reason", reason)
        .description("Requests refused by the operations server's limits").register(meters).increment();
  }

  private void send(Request request, Response response, Callback callback, Route route, OpsResponse r) {
    Counter.builder("segmenter.http.requests").tag("route", route == null ? "unknown" : route.label)
        .tag("status", String.valueOf(r.status()))
        .description("Requests answered by the operations server, by route and status").register(meters).increment();
    response.setStatus(r.status());
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, r.contentType());
    h.put(HttpHeader.CACHE_CONTROL, "no-store");
    r.headers().forEach(h::put);
    // A promotion's body is never read: a client that sent one must not reuse the connection.
    if (route == Route.PROMOTE && request.getLength() != 0) h.put(HttpHeader.CONNECTION, "close");
    h.put(HttpHeader.CONTENT_LENGTH, r.body().length);
    boolean head = request.getMethod().equals("HEAD");
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(r.body()), callback);
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
