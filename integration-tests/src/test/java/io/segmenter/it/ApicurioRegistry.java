package io.segmenter.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Confluent-compatible schema registry for the tests: Apicurio Registry 3.0.9 (in-memory
 * storage) run as a separate OS process from its distribution on Maven Central, which the build
 * unpacks into {@code target/apicurio}. Its Confluent API lives under {@code /apis/ccompat/v7}.
 */
public final class ApicurioRegistry implements AutoCloseable {
  private static final Duration START_DEADLINE = Duration.ofSeconds(90);
  private static final String CCOMPAT_PATH = "/apis/ccompat/v7";

  private final Process process;
  private final int port;
  private final Path log;

  private ApicurioRegistry(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts Apicurio on a free loopback port and returns once its ccompat API answers. */
  public static ApicurioRegistry start() throws IOException, InterruptedException {
    Path home = Path.of(System.getProperty("apicurio.home", "target/apicurio"));
    Path runner = home.resolve("apicurio-registry-app-3.0.9-runner.jar");
    if (!Files.isRegularFile(runner)) {
      throw new IllegalStateException("Apicurio runner jar not found at " + runner.toAbsolutePath()
          + ": run the tests through Maven (mvn verify), which unpacks it in generate-test-resources");
    }
    int port = freePort();
    Path log = home.resolve("apicurio-" + port + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of(java, "-Xmx256m",
            "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
            "-jar", runner.toString()))
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    ApicurioRegistry registry = new ApicurioRegistry(process, port, log);
    try {
      registry.awaitReady();
    } catch (RuntimeException | InterruptedException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  /** The value for {@code schema.registry.url}: the base of Apicurio's Confluent-compatible API. */
  public String url() {
    return "http://127.0.0.1:" + port + CCOMPAT_PATH;
  }

  private void awaitReady() throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    Instant deadline = Instant.now().plus(START_DEADLINE);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Apicurio exited with code " + process.exitValue()
            + " during start-up; see " + log.toAbsolutePath());
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // Still starting: poll again until the deadline.
      }
      // Polling interval of a readiness probe with a deadline, not a synchronisation sleep.
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("Apicurio not ready within " + START_DEADLINE + "; see " + log.toAbsolutePath());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
