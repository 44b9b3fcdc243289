package io.segmenter.serde.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A test double at the HTTP edge, NOT a registry: a JDK HttpServer that answers each request from
 * a script and records what it received, to inject faults (5xx, 429, odd bodies) that a real
 * registry will not produce on demand. {@link MiniRegistry} runs on it to answer as a registry does.
 */
final class ScriptedRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the server answers. */
  record Reply(int status, String contentType, String body) {
    static Reply json(int status, String body) {
      return new Reply(status, "application/vnd.schemaregistry.v1+json", body);
    }

    /** Confluent's error shape: {"error_code":N,"message":"..."}. */
    static Reply error(int status, int errorCode, String message) {
      return json(status, JSON.createObjectNode().put("error_code", errorCode).put("message", message).toString());
    }
  }

  /** What the server received. */
  record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** Decides the answer to the {@code number}-th request (from 1). */
  interface Script {
    Reply answer(Received request, int number);
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;
  private final AtomicInteger count = new AtomicInteger();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private ScriptedRegistry(HttpServer server, String scheme, Script script) {
    this.server = server;
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "scripted-registry");
      t.setDaemon(true);
      return t;
    });
    server.createContext("/", exchange -> handle(exchange, script));
    server.setExecutor(executor);
    server.start();
    this.url = scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  static ScriptedRegistry start(Script script) {
    try {
      return new ScriptedRegistry(HttpServer.create(loopback(), 16), "http", script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** HTTPS with {@code context}; with {@code needClientAuth}, clients must present a trusted certificate. */
  static ScriptedRegistry startHttps(SSLContext context, boolean needClientAuth, Script script) {
    try {
      HttpsServer https = HttpsServer.create(loopback(), 16);
      https.setHttpsConfigurator(
          new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters parameters = context.getDefaultSSLParameters();
              parameters.setNeedClientAuth(needClientAuth);
              params.setSSLParameters(parameters);
            }
          });
      return new ScriptedRegistry(https, "https", script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A script that always gives the same answer. */
  static Script always(Reply reply) {
    return (request, number) -> reply;
  }

  String url() {
    return url;
  }

  int requestCount() {
    return count.get();
  }

  /** Counts from zero again; the script's request numbers too. */
  void resetRequestCount() {
    count.set(0);
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange, Script script) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Received request =
          new Received(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              body);
      received.add(request);
      Reply reply = script.answer(request, count.incrementAndGet());
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }
}
