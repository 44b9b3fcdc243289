package io.segmenter.ops;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The operations HTTP server: bound first (so that its port can be advertised to Kafka Streams as
 * application.server), then given its endpoints once the streams exist. TODO(ops): full endpoints.
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  public static OpsServer start(String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.start();
    return new OpsServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void serve(OpsContext ctx) {
    server.createContext("/metrics", exchange -> {
      byte[] body = ctx.meters().scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
