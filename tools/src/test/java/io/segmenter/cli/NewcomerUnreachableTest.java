package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 22, repros 1 and 2: a command that cannot reach Kafka or the schema registry says so in one
 * line naming the address, within segmenter.connect.timeout.ms (15 s by default), exit 1, with the
 * stack trace only under --verbose; a registry URL that is no URL is refused before anything
 * connects, exit 2. Before: a minute of retries and a stack trace (Kafka), Kafka Streams'
 * "deserialization exception handler" error three causes from the real one (registry).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class NewcomerUnreachableTest {
  private static final String NO_BROKER = "127.0.0.1:1";
  private static final String NO_REGISTRY = "http://127.0.0.1:2";
  /** The default wait (15 s) and what a slow machine adds to it. */
  private static final double DEFAULT_BOUND_SECONDS = 20;

  @TempDir
  static Path dir;
  private static Path orders;
  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    orders = Files.writeString(dir.resolve("orders.csv"), """
        Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country
        100,A1,"BOX, RED",2,2010-01-02 10:01,1.5,12345.0,United Kingdom
        """);
    kafka = EmbeddedKafka.start();
    registry = EmbeddedSchemaRegistry.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) registry.close();
    if (kafka != null) kafka.close();
  }

  /** The command's own arguments; the cluster options come after them. */
  private static List<String> command(String name) {
    return switch (name) {
      case "run" -> List.of("run", "-s", "segmenter.http.port=0", "-s", "segmenter.http.host=127.0.0.1");
      case "replay" -> List.of("replay", orders.toString());
      case "generate" -> List.of("generate", "--customers", "2", "--days", "1");
      case "erase" -> List.of("erase", "customer-1");
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static NewcomerCommandLine run(String name, String bootstrap, String registryUrl, String... more) {
    List<String> args = new ArrayList<>(command(name));
    args.addAll(List.of("--bootstrap-servers", bootstrap, "--schema-registry-url", registryUrl));
    args.addAll(List.of(more));
    return NewcomerCommandLine.run(args.toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "replay"})
  void anUnreachableBrokerIsNamedInOneLineWithinTheDefaultWait(String name) {
    NewcomerCommandLine r = run(name, NO_BROKER, registry.url()).print(name + " against " + NO_BROKER);
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.errLines()).as(r.err()).hasSize(1);
    assertThat(r.errLines().get(0)).isEqualTo("segmenter " + name + ": cannot reach Kafka at 127.0.0.1:1 "
        + "(bootstrap.servers) within 15 s (segmenter.connect.timeout.ms): no broker answered a metadata request; "
        + "check that the broker is up, the address and port, and security.protocol/sasl settings "
        + "(--verbose for details)");
    assertThat(r.hasStackTrace()).isFalse();
    assertThat(r.seconds()).isBetween(14.0, DEFAULT_BOUND_SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"generate", "erase"})
  void theWaitIsASetting(String name) {
    NewcomerCommandLine r = run(name, NO_BROKER, registry.url(), "-s", "segmenter.connect.timeout.ms=2000")
        .print(name + " against " + NO_BROKER + " with segmenter.connect.timeout.ms=2000");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.errLines()).as(r.err()).singleElement().asString()
        .startsWith("segmenter " + name + ": cannot reach Kafka at 127.0.0.1:1 (bootstrap.servers) within 2 s");
    assertThat(r.hasStackTrace()).isFalse();
    assertThat(r.seconds()).isBetween(1.5, 7.0);
  }

  @Test
  void verboseAddsTheStackTrace() {
    NewcomerCommandLine r = run("generate", NO_BROKER, registry.url(), "-s", "segmenter.connect.timeout.ms=1000",
        "--verbose").print("generate --verbose against " + NO_BROKER);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.errLines().get(0)).startsWith("segmenter generate: cannot reach Kafka at 127.0.0.1:1")
        .doesNotContain("--verbose for details");
    assertThat(r.hasStackTrace()).as(r.err()).isTrue();
    assertThat(r.err()).contains("Caused by: org.apache.kafka.common.errors.TimeoutException");
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "replay", "generate", "erase"})
  void anUnreachableRegistryIsNamedBeforeAnythingIsProducedOrStarted(String name) throws Exception {
    String prefix = "reg-" + name + "-";
    NewcomerCommandLine r = run(name, kafka.bootstrapServers(), NO_REGISTRY, "-s", "segmenter.topic.orders=" + prefix + "orders").print(name + " with the registry at " + NO_REGISTRY);
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.errLines()).as(r.err()).singleElement().asString()
        .isEqualTo("segmenter " + name + ": cannot reach the schema registry at http://127.0.0.1:2 "
            + "(schema.registry.url): GET /config got no answer (connection refused); check that the registry is up, "
            + "the URL's host, port and scheme (http/https), and any proxy (--verbose for details)")
        .doesNotContain("Deserialization exception handler");
    assertThat(r.hasStackTrace()).isFalse();
    assertThat(r.seconds()).isLessThan(DEFAULT_BOUND_SECONDS);
    // Nothing was created or written: the check came first.
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).noneMatch(t -> t.startsWith(prefix));
    }
  }

  @Test
  void aRegistryThatAcceptsButNeverAnswersIsNamedWithinTheWait() throws Exception {
    // A real socket that takes the connection and says nothing: a hung registry or a black-holing proxy.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + silent.getLocalPort();
      NewcomerCommandLine r = run("generate", kafka.bootstrapServers(), url, "-s", "segmenter.connect.timeout.ms=2000")
          .print("generate with a registry that never answers");
      assertThat(r.code()).as(r.err()).isEqualTo(1);
      assertThat(r.errLines()).as(r.err()).singleElement().asString()
          .startsWith("segmenter generate: cannot reach the schema registry at " + url + " (schema.registry.url): "
              + "GET /config got no answer (nothing within 2 s, segmenter.connect.timeout.ms)");
      assertThat(r.seconds()).isBetween(1.5, 7.0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "replay", "generate", "erase"})
  void aRegistryUrlThatIsNoUrlIsRefusedBeforeConnecting(String name) {
    // Against a broker that does not answer: connecting first would take the whole wait.
    NewcomerCommandLine r = run(name, NO_BROKER, "notaurl").print(name + " --schema-registry-url notaurl");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).as(r.err()).singleElement().asString()
        .isEqualTo("segmenter " + name + ": invalid setting: Schema registry client config 'schema.registry.url': "
            + "URL #1 'notaurl' must start with http:// or https://");
    assertThat(r.seconds()).isLessThan(5.0);
  }
}
