package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.embedded.EmbeddedSchemaRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code segmenter run}, the executable jar in its own process, refuses to start on topics that cannot
 * work, whether it created the others or not: it exits 2 with one line naming the topic, what it has
 * and what it needs. Each test breaks one topic on the shared broker (its own names) and lets run
 * create the rest.
 */
class TopicChecksIT {
  @RegisterExtension
  static final SharedKafka KAFKA = new SharedKafka();

  private static final int PARTITIONS = 4;
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  /** run reaches the registry before it checks the topics; it reads or registers nothing there. */
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void startRegistry() {
    registry = EmbeddedSchemaRegistry.start();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) registry.close();
  }

  /** A deployment's settings: its own application id and topic names. */
  private record Deployment(String app, Map<String, String> env) {
    String topic(String suffix) {
      return app + "-" + suffix;
    }
  }

  private static Deployment deployment(String name) throws Exception {
    String app = SharedKafka.uniqueName(name);
    Map<String, String> env = new HashMap<>();
    env.put("SEGMENTER_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers());
    env.put("SEGMENTER_SCHEMA_REGISTRY_URL", registry.url());
    env.put("SEGMENTER_APPLICATION_ID", app);
    for (String topic : List.of("clicks", "orders", "erasures", "segment-changes", "customer-segments", "dlq")) {
      env.put("SEGMENTER_TOPIC_" + topic.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), app + "-" + topic);
    }
    env.put("SEGMENTER_TOPICS_PARTITIONS", Integer.toString(PARTITIONS));
    env.put("SEGMENTER_HTTP_PORT", "0");
    env.put("SEGMENTER_STATE_DIR",
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), app + "-state-").toString());
    return new Deployment(app, env);
  }

  private static void create(String topic, int partitions, Map<String, String> config) throws Exception {
    try (Admin admin = KAFKA.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(config))).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code segmenter run} to its end; prints and returns what it said. */
  private static SegmenterProcess.Finished run(String name, Deployment d) throws Exception {
    SegmenterProcess.Finished run = SegmenterProcess.runToEnd(name, d.env(), DEADLINE, "run");
    String line = run.output().lines().filter(l -> l.startsWith("segmenter run:")).findFirst().orElse("(no message)");
    System.out.printf("TopicChecksIT %s: exit %d: %s%n", name, run.exitCode(), line);
    return run;
  }

  private static void assertRefused(SegmenterProcess.Finished run, String... expected) {
    assertThat(run.exitCode()).as("exit code; output:\n%s", run.output()).isEqualTo(2);
    assertThat(run.output()).contains(expected);
    assertThat(run.output()).as("one line, no stack trace").doesNotContain("\tat ");
    assertThat(run.output()).as("the streams never started").doesNotContain("segmenter started");
  }

  @Test
  void modelDeltasWithThreePartitions() throws Exception {
    Deployment d = deployment("checks-deltas");
    create(d.topic("model-deltas"), 3, Map.of());
    assertRefused(run("model-deltas", d), "segmenter run: topic " + d.topic("model-deltas")
        + " has 3 partitions; it needs exactly 1 (one aggregator, one order of versions)", "segmenter.topic.model.deltas");
  }

  @Test
  void modelWithTwoPartitions() throws Exception {
    Deployment d = deployment("checks-model");
    create(d.topic("model"), 2, Map.of("cleanup.policy", "compact"));
    assertRefused(run("model-partitions", d), "segmenter run: topic " + d.topic("model")
        + " has 2 partitions; it needs exactly 1", "point segmenter.topic.model at");
  }

  @Test
  void modelNotCompacted() throws Exception {
    Deployment d = deployment("checks-compact");
    create(d.topic("model"), 1, Map.of("cleanup.policy", "delete"));
    assertRefused(run("model-compaction", d), "segmenter run: topic " + d.topic("model")
        + " has cleanup.policy=delete; it needs compact");
  }

  @Test
  void ordersPartitionedUnlikeClicks() throws Exception {
    Deployment d = deployment("checks-orders");
    create(d.topic("orders"), 3, Map.of());
    assertRefused(run("orders-partitions", d), "segmenter run: topic " + d.topic("orders") + " has 3 partitions; it needs as many as "
        + d.topic("clicks") + " (" + PARTITIONS + ")", "segmenter.topic.orders");
  }

  @Test
  void erasuresPartitionedUnlikeClicks() throws Exception {
    Deployment d = deployment("checks-erasures");
    create(d.topic("erasures"), 1, Map.of());
    assertRefused(run("erasures-partitions", d), "segmenter run: topic " + d.topic("erasures")
        + " has 1 partition; it needs as many as " + d.topic("clicks") + " (" + PARTITIONS + ")", "segmenter.topic.erasures");
  }

  @Test
  void missingInputsWhileCreationIsOff() throws Exception {
    Deployment d = deployment("checks-missing");
    d.env().put("SEGMENTER_TOPICS_CREATE", "false");
    assertRefused(run("missing-inputs", d), "segmenter run: missing topic(s) " + d.topic("clicks") + " (segmenter.topic.clicks), "
        + d.topic("orders") + " (segmenter.topic.orders), " + d.topic("erasures") + " (segmenter.topic.erasures)",
        "segmenter.topics.create is false");
    try (Admin admin = KAFKA.admin()) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("nothing created")
          .noneMatch(t -> t.startsWith(d.app()));
    }
  }
}
