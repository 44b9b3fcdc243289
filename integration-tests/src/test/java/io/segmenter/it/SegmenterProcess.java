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
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * segmenter as users run it: {@code java -jar segmenter-service.jar run} (the jar a deployment ships) or
 * {@code java -jar segmenter-tools.jar <tool>} in its own OS process, settings in {@code SEGMENTER_*}
 * environment variables, output in a log file under the build directory.
 */
final class SegmenterProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;
  private final int httpPort;
  /** How it was started, so that {@link #restart()} can start it again the same way. */
  private final String name;
  private final Map<String, String> env;
  private final String[] args;

  private SegmenterProcess(Process process, Path log, int httpPort, String name, Map<String, String> env, String[] args) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.name = name;
    this.env = Map.copyOf(env);
    this.args = args.clone();
  }

  /**
   * The executable jar the build made for this command (Failsafe passes their paths; see
   * integration-tests/pom.xml): the service's own jar for {@code run}, the tools' jar for the rest.
   */
  static Path jar(String command) {
    String property = "run".equals(command) ? "segmenter.service.jar" : "segmenter.tools.jar";
    String path = System.getProperty(property);
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException("executable jar not found (" + property + "=" + path
          + "): run the tests through Maven from the root (mvn verify), which packages service and tools first");
    }
    return Path.of(path);
  }

  /** Starts {@code segmenter <args>} with these SEGMENTER_* variables (plus nothing else of ours). */
  static SegmenterProcess start(String name, Map<String, String> env, int httpPort, String... args) throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    Path log = Files.createTempFile(dir, name + "-", ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Djava.io.tmpdir=" + dir, "-jar", jar(args.length == 0 ? "" : args[0]).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SEGMENTER_"));
    pb.environment().putAll(env);
    return new SegmenterProcess(pb.start(), log, httpPort, name, env, args);
  }

  /**
   * Starts the same command again, with the same SEGMENTER_* variables (hence the same state
   * directory, application id and HTTP port), as a supervisor restarts a crashed pod. The previous
   * process must have exited; its log is kept, the new one gets its own.
   */
  SegmenterProcess restart() throws IOException {
    if (process.isAlive()) throw new IllegalStateException("segmenter (pid " + pid() + ") is still running");
    return start(name, env, httpPort, args);
  }

  /** Runs {@code segmenter <args>} to completion and returns its exit code (output in the log). */
  static Finished runToEnd(String name, Map<String, String> env, Duration deadline, String... args)
      throws IOException, InterruptedException {
    SegmenterProcess p = start(name, env, -1, args);
    if (!p.process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      p.kill();
      throw new AssertionError("segmenter " + String.join(" ", args) + " did not finish within " + deadline + "; see " + p.log);
    }
    return new Finished(p.process.exitValue(), Files.readString(p.log));
  }

  record Finished(int exitCode, String output) { }

  /**
   * The settings of one {@code run} instance for a test about something other than the model: the
   * cluster's settings, its own state directory and HTTP port, access control off (HttpSecurityIT
   * tests it) and endpoints on 127.0.0.1, one stream thread, commits every 200 ms, a small first
   * model early, and the inactivity punctuator every second: customers whose events all came before
   * the first model are assigned at its next tick, not after the default minute.
   */
  static Map<String, String> smallInstance(Map<String, String> cluster, String name, String applicationId,
      int httpPort, int partitions) throws IOException {
    Map<String, String> env = new HashMap<>(cluster);
    env.put("SEGMENTER_APPLICATION_ID", applicationId);
    env.put("SEGMENTER_STATE_DIR", Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name + "-state-").toString());
    env.put("SEGMENTER_HTTP_PORT", Integer.toString(httpPort));
    env.put("SEGMENTER_HTTP_ACCESS_CONTROL", "false");
    env.put("SEGMENTER_HTTP_ADVERTISED_HOST", "127.0.0.1");
    env.put("SEGMENTER_TOPICS_PARTITIONS", Integer.toString(partitions));
    env.put("SEGMENTER_NUM_STREAM_THREADS", "1");
    env.put("SEGMENTER_COMMIT_INTERVAL_MS", "200");
    env.put("SEGMENTER_MODEL_WARMUP_POINTS", "100");
    env.put("SEGMENTER_MODEL_MIN_BATCH_POINTS", "300");
    env.put("SEGMENTER_MODEL_DELTA_POINTS", "50");
    env.put("SEGMENTER_MODEL_DELTA_INTERVAL_MS", "500");
    env.put("SEGMENTER_INACTIVITY_PUNCTUATE_INTERVAL_MS", "1000");
    return env;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Waits until /health/ready answers 200 (the streams are RUNNING); fails if the process exits. */
  void awaitReady(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("segmenter exited with " + process.exitValue() + " while starting; log:\n" + logText());
      }
      try {
        if (get("/health/ready").statusCode() == 200) return;
      } catch (IOException notListeningYet) {
        // Starting: try again until the deadline.
      }
      process.waitFor(200, TimeUnit.MILLISECONDS); // poll interval of a probe with a deadline
    }
    throw new AssertionError("segmenter not ready within " + timeout + "; log:\n" + logText());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** POST with an empty body (an action such as POST /strategies/{name}/promote). */
  HttpResponse<String> post(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The operating system's process id. */
  long pid() {
    return process.pid();
  }

  /** Exit status once it has exited (137 = 128 + SIGKILL, 143 = 128 + SIGTERM). */
  int exitCode() {
    return process.exitValue();
  }

  Path logFile() {
    return log;
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** SIGTERM, as Kubernetes stops a pod; returns the exit code. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      throw new AssertionError("segmenter did not stop within " + timeout + " of SIGTERM; log:\n" + logText());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
