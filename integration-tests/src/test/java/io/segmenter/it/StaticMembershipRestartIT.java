package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.segmenter.config.KnownSettings;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.config.SettingsSources;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The restart the Kubernetes manifests (k8s/) are built for: a pod's process dies (SIGKILL: no
 * shutdown hook, no goodbye to the consumer group) and comes back with the same name and the same
 * volume. The StatefulSet gives every pod {@code group.instance.id} = its pod name (static membership);
 * this test reads which variable it sets from k8s/base/statefulset.yaml, runs {@code segmenter run}
 * as a separate process with it on the shared in-JVM broker, SIGKILLs it, starts it again with the
 * same setting and state directory, and times how long until {@code /health/ready} answers 200.
 *
 * <p>Without static membership the new process is a new member: the group coordinator waits for the
 * old member's session to expire (session.timeout.ms, 45 s by default) before the rebalance completes.
 * That comparison costs about 50 s, so it runs only when asked for
 * ({@code -Dsegmenter.it.restart.compare=true}); it asserts the opposite bound, which is what shows
 * that the first test's bound holds because of the setting.
 *
 * <p>The process is idle (no input): the time is the restart's own (JVM start, connection and topic
 * checks, rejoining the group), not a restore, which a large state adds to.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StaticMembershipRestartIT {
  @RegisterExtension
  static final SharedKafka KAFKA = new SharedKafka();

  /** The bound of the acceptance test; measured here: about 5 s with static membership, 45 s without. */
  private static final Duration READY_AGAIN_WITHIN = Duration.ofSeconds(15);
  /** First start: creates the topics, on a 2-core machine shared with other builds. */
  private static final Duration FIRST_START = Duration.ofSeconds(120);
  /** What a pod of the StatefulSet is called, hence its group.instance.id. */
  private static final String POD_NAME = "segmenter-0";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = EmbeddedSchemaRegistry.start();
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) registry.close();
  }

  @Test
  void theStatefulSetSetsGroupInstanceIdFromThePodNameAndEverySettingItGivesIsKnown() throws Exception {
    String variable = staticMembershipVariable();
    assertThat(SettingsSources.settingName(variable)).as("setting of %s", variable).isEqualTo("group.instance.id");

    // Every SEGMENTER_* variable a pod gets: the container's own and the ConfigMap's (base, then the
    // overlay's on top), mapped and checked as `run` does at start-up.
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container().path("env")) {
      String name = e.path("name").asText();
      if (name.startsWith(SettingsSources.ENV_PREFIX)) env.put(name, e.has("value") ? e.path("value").asText() : "from-a-secret");
    }
    env.putAll(envFile(k8s().resolve("base/segmenter.env")));
    for (Path overlay : overlays()) env.putAll(envFile(overlay.resolve("segmenter.env")));
    assertThat(env).as("SEGMENTER_* variables of a pod").containsKeys(variable, "SEGMENTER_HTTP_ADVERTISED_HOST",
        "SEGMENTER_STATE_DIR", "SEGMENTER_NUM_STANDBY_REPLICAS", "SEGMENTER_BOOTSTRAP_SERVERS", "SEGMENTER_SCHEMA_REGISTRY_URL");
    Map<String, String> settings = SettingsSources.fromEnvironment(env); // throws on a name that maps to nothing known
    KnownSettings.requireKnown(settings);
    SegmenterConfig config = new SegmenterConfig(settings); // types and ranges of the values
    assertThat(config.getString(SegmenterConfig.HTTP_ADVERTISED_HOST))
        .isEqualTo("$(POD_NAME).segmenter-headless.$(POD_NAMESPACE).svc.cluster.local");
    System.out.printf("StaticMembershipRestartIT: the pods' %d SEGMENTER_* variables map to known settings; "
        + "group.instance.id from %s=%s%n", env.size(), variable, env.get(variable));
  }

  @Test
  void aKilledInstanceWithTheStatefulSetsStaticMembershipIsReadyAgainWithin15Seconds() throws Exception {
    Map<String, String> env = instance("restart-static");
    env.put(staticMembershipVariable(), POD_NAME);
    Duration readyAgain = killAndRestart(env, Optional.of(POD_NAME));
    System.out.printf("StaticMembershipRestartIT: SIGKILLed and restarted with group.instance.id=%s: ready again in %.1f s "
        + "(bound %d s)%n", POD_NAME, readyAgain.toMillis() / 1000.0, READY_AGAIN_WITHIN.toSeconds());
    assertThat(readyAgain).as("time from the restart to /health/ready 200, with static membership")
        .isLessThan(READY_AGAIN_WITHIN);
  }

  @Test
  @EnabledIfSystemProperty(named = "segmenter.it.restart.compare", matches = "true")
  void withoutStaticMembershipTheRestartedInstanceWaitsForItsOldSessionToExpire() throws Exception {
    Duration readyAgain = killAndRestart(instance("restart-dynamic"), Optional.empty());
    System.out.printf("StaticMembershipRestartIT: SIGKILLed and restarted without group.instance.id: ready again in %.1f s%n",
        readyAgain.toMillis() / 1000.0);
    assertThat(readyAgain).as("time from the restart to /health/ready 200, without static membership")
        .isGreaterThan(READY_AGAIN_WITHIN);
  }

  /**
   * Starts {@code run}, waits until it is ready and in the group (with the expected instance id),
   * SIGKILLs it, starts it again the same way and returns the time from that start to ready.
   */
  private static Duration killAndRestart(Map<String, String> env, Optional<String> instanceId) throws Exception {
    String group = env.get("SEGMENTER_APPLICATION_ID");
    int port = Integer.parseInt(env.get("SEGMENTER_HTTP_PORT"));
    try (Admin admin = KAFKA.admin()) {
      SegmenterProcess first = SegmenterProcess.start(group, env, port, "run");
      SegmenterProcess second = null;
      try {
        first.awaitReady(FIRST_START);
        assertThat(members(admin, group)).as("members of %s before the kill", group).singleElement()
            .satisfies(m -> assertThat(m.groupInstanceId().map(id -> id.startsWith(instanceId.orElse("?")))
                .orElse(instanceId.isEmpty())).as("group.instance.id %s of %s", m.groupInstanceId(), m).isTrue());
        first.kill();
        assertThat(first.exitCode()).as("exit status after SIGKILL").isEqualTo(137);

        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        second = first.restart();
        second.awaitReady(FIRST_START);
        Duration readyAgain = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("StaticMembershipRestartIT: restart of %s (group.instance.id %s), seconds after the start: %s%n",
            group, instanceId.orElse("none"), phases(second.logText(), startedAt));
        // The restarted process is the group's only member: the killed one was replaced (static) or expired.
        assertThat(members(admin, group)).as("members of %s after the restart", group).hasSize(1);
        return readyAgain;
      } finally {
        first.close();
        if (second != null) second.close();
      }
    }
  }

  /** Log lines that mark the phases of a start, in order: where the time of a slow restart went. */
  private static final Map<String, String> PHASES = phaseMarkers();
  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  private static Map<String, String> phaseMarkers() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("HTTP serving", "HttpSetup - HTTP:");
    m.put("topics checked", "TopicSetup - topics checked");
    m.put("joining the group", "streams CREATED -> REBALANCING");
    m.put("running", "REBALANCING -> RUNNING");
    return m;
  }

  /** "HTTP serving 1.9, topics checked 4.0, ..." from the restarted process's log (timestamps of its lines). */
  private static String phases(String log, Instant start) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> phase : PHASES.entrySet()) {
      log.lines().filter(l -> l.contains(phase.getValue())).findFirst().ifPresent(line -> {
        Instant at = OffsetDateTime.parse(line.substring(0, line.indexOf(' ')), LOG_TIME).toInstant();
        out.add(String.format("%s %.1f", phase.getKey(), Duration.between(start, at).toMillis() / 1000.0));
      });
    }
    return String.join(", ", out);
  }

  private static List<MemberDescription> members(Admin admin, String group) throws Exception {
    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
    return new ArrayList<>(d.members());
  }

  /** A `run` process of its own application, with its own topics and state directory, on the shared broker. */
  private static Map<String, String> instance(String prefix) throws IOException {
    String app = SharedKafka.uniqueName(prefix);
    int port = SegmenterProcess.freePort();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SEGMENTER_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers());
    env.put("SEGMENTER_SCHEMA_REGISTRY_URL", registry.url());
    env.put("SEGMENTER_APPLICATION_ID", app);
    // The same directory for both processes, as the pod's volume: the restarted process keeps its
    // Kafka Streams process id (stored there), hence its transactional ids.
    env.put("SEGMENTER_STATE_DIR", Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), app + "-state-").toString());
    env.put("SEGMENTER_HTTP_PORT", Integer.toString(port));
    env.put("SEGMENTER_HTTP_ACCESS_CONTROL", "false"); // only /health is read here, which is open anyway
    env.put("SEGMENTER_HTTP_ADVERTISED_HOST", "127.0.0.1");
    env.put("SEGMENTER_TOPICS_PARTITIONS", "2");
    for (String topic : List.of("CLICKS", "ORDERS", "ERASURES", "SEGMENT_CHANGES", "CUSTOMER_SEGMENTS", "SEGMENT_CATALOG", "DLQ")) {
      env.put("SEGMENTER_TOPIC_" + topic, app + "-" + topic.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
    // session.timeout.ms stays at its default (45 s), as in the manifests: it is what a restart
    // without static membership waits for.
    return env;
  }

  // ---------------------------------------------------------------------------------------------
  // The manifests.
  // ---------------------------------------------------------------------------------------------

  private static Path k8s() {
    String checkout = System.getProperty("segmenter.checkout");
    assertThat(checkout).as("system property segmenter.checkout (set by integration-tests/pom.xml)").isNotNull();
    return Path.of(checkout, "k8s");
  }

  private static List<Path> overlays() throws IOException {
    try (var dirs = Files.list(k8s().resolve("overlays"))) {
      List<Path> list = dirs.filter(d -> Files.isRegularFile(d.resolve("segmenter.env"))).sorted().toList();
      assertThat(list).as("overlays with a segmenter.env under %s", k8s().resolve("overlays")).isNotEmpty();
      return list;
    }
  }

  /** The segmenter container of the base's StatefulSet. */
  private static JsonNode container() throws IOException {
    JsonNode statefulSet = YAML.readTree(k8s().resolve("base/statefulset.yaml").toFile());
    assertThat(statefulSet.path("kind").asText()).isEqualTo("StatefulSet");
    for (JsonNode c : statefulSet.path("spec").path("template").path("spec").path("containers")) {
      if ("segmenter".equals(c.path("name").asText())) return c;
    }
    throw new AssertionError("no container named segmenter in k8s/base/statefulset.yaml");
  }

  /**
   * The SEGMENTER_* variable the StatefulSet sets to the pod's name: the one whose value is
   * {@code $(POD_NAME)}, with POD_NAME from the downward API's metadata.name.
   */
  private static String staticMembershipVariable() throws IOException {
    JsonNode env = container().path("env");
    boolean podNameFromMetadata = false;
    String variable = null;
    for (JsonNode e : env) {
      if ("POD_NAME".equals(e.path("name").asText())) {
        podNameFromMetadata = "metadata.name".equals(e.path("valueFrom").path("fieldRef").path("fieldPath").asText());
      } else if ("$(POD_NAME)".equals(e.path("value").asText()) && e.path("name").asText().startsWith(SettingsSources.ENV_PREFIX)) {
        variable = e.path("name").asText();
      }
    }
    assertThat(podNameFromMetadata).as("POD_NAME from the downward API (metadata.name) in k8s/base/statefulset.yaml").isTrue();
    assertThat(variable).as("a SEGMENTER_* variable set to $(POD_NAME) in k8s/base/statefulset.yaml").isNotNull();
    return variable;
  }

  private static Map<String, String> envFile(Path file) throws IOException {
    Properties p = new Properties(); // KEY=VALUE lines and # comments: kustomize's env file, as Properties reads it
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames()) env.put(name, p.getProperty(name));
    assertThat(env).as("variables in %s", file).isNotEmpty();
    return env;
  }
}
