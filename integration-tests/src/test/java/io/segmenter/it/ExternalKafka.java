package io.segmenter.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (one combined KRaft broker+controller, Kafka 4.3.1) in its own OS process, so
 * that a test can take it away from a running application and bring it back: {@link #stop()}
 * (SIGTERM), {@link #kill()} (SIGKILL), {@link #start()} again on the same data directory and the
 * same ports, so clients reconnect to the address they already know. The in-JVM broker
 * ({@code EmbeddedKafka}) cannot do this: its test kit deletes its data on shutdown.
 *
 * <p>The classpath is the test JVM's own: {@code kafka-test-common-runtime} brings {@code kafka_2.13}
 * and {@code kafka-server} at the project's Kafka version. Data and the broker's log (INFO, appended
 * across restarts) live under the build directory ({@code java.io.tmpdir}); {@link #close()} deletes
 * the data.
 */
final class ExternalKafka implements AutoCloseable {
  private static final Duration START_DEADLINE = Duration.ofSeconds(90);
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

  private final Path dir;
  private final Path properties;
  private final Path log;
  private final int port;
  private Process process;

  private ExternalKafka(Path dir, Path properties, Path log, int port) {
    this.dir = dir;
    this.properties = properties;
    this.log = log;
    this.port = port;
  }

  /** Formats a new data directory, starts the broker and returns once it answers a client. */
  static ExternalKafka create() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "external-kafka-");
    int port = SegmenterProcess.freePort();
    int controllerPort = SegmenterProcess.freePort();
    Path properties = dir.resolve("server.properties");
    Files.writeString(properties, serverProperties(dir.resolve("data"), port, controllerPort));
    ExternalKafka kafka = new ExternalKafka(dir, properties, dir.resolve("broker.log"), port);
    try {
      kafka.format();
      kafka.start();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  private static String serverProperties(Path data, int port, int controllerPort) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "controller.listener.names=CONTROLLER",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
        "log.dirs=" + data,
        // One node: internal topics with replication factor 1, or exactly-once hangs.
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=4",
        "group.initial.rebalance.delay.ms=0",
        "");
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  Path log() {
    return log;
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  private void format() throws IOException, InterruptedException {
    List<String> command = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
        "-c", properties.toString(), "--standalone");
    Process format = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!format.waitFor(START_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      format.destroyForcibly();
      throw new IllegalStateException("kafka-storage format did not finish; see " + log);
    }
    if (format.exitValue() != 0) {
      throw new IllegalStateException("kafka-storage format failed (" + format.exitValue() + "):\n" + Files.readString(log));
    }
  }

  /** Starts the broker on its data directory and waits until a client gets an answer from it. */
  void start() throws IOException, InterruptedException {
    if (isRunning()) throw new IllegalStateException("broker already running");
    process = new ProcessBuilder(java("kafka.Kafka", properties.toString())).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    awaitReady();
  }

  /** SIGTERM: a controlled shutdown (logs flushed, clean-shutdown marker written). */
  void stop() throws InterruptedException {
    if (!isRunning()) return;
    process.destroy();
    if (!process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      throw new IllegalStateException("broker did not stop within " + STOP_DEADLINE + " of SIGTERM; see " + log);
    }
  }

  /** SIGKILL: the broker dies as in a crash; the next start recovers its logs. */
  void kill() throws InterruptedException {
    if (!isRunning()) return;
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  private List<String> java(String mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Djava.io.tmpdir=" + dir,
        // INFO so that an outage can be diagnosed: this classpath's logback-test.xml reads it.
        "-Dsegmenter.test.log.level=INFO",
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    return command;
  }

  private void awaitReady() throws InterruptedException {
    Instant deadline = Instant.now().plus(START_DEADLINE);
    // A plain connect first: a client asking a port nobody listens on yet logs a warning per attempt.
    while (!listening()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("broker exited with " + process.exitValue() + " while starting; see " + log);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("broker not listening within " + START_DEADLINE + "; see " + log);
      }
      process.waitFor(200, TimeUnit.MILLISECONDS); // poll interval of a probe with a deadline
    }
    Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    try (Admin admin = Admin.create(config)) {
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("broker exited with " + process.exitValue() + " while starting; see " + log);
        }
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) return;
        } catch (Exception notReadyYet) {
          // Still starting: ask again until the deadline.
        }
        process.waitFor(200, TimeUnit.MILLISECONDS); // poll interval of a probe with a deadline
      }
    }
    throw new IllegalStateException("broker not ready within " + START_DEADLINE + "; see " + log);
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Kills the broker if it runs and deletes its data; the log file stays for diagnosis. */
  @Override
  public void close() throws InterruptedException {
    kill();
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      if (Files.exists(dir.resolve("data"))) throw new UncheckedIOException(e);
    }
  }
}
