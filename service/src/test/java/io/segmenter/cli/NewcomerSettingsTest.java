package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 9: a misspelt Kafka key is refused from every source (-s, --config, SEGMENTER_*)
 * with a suggestion, before anything connects; Kafka Streams' prefixed keys and keys named in
 * segmenter.settings.pass.through still pass; every missing required setting is named at once.
 * The cluster addresses point at closed ports: a check that let a case through would go on to start
 * and fail later with another message (connection or topic errors), which the assertions tell apart.
 */
class NewcomerSettingsTest {
  private static final Map<String, String> CLUSTER = Map.of(
      "SEGMENTER_BOOTSTRAP_SERVERS", "127.0.0.1:1", "SEGMENTER_SCHEMA_REGISTRY_URL", "http://127.0.0.1:1");

  private static CommandOutcome run(Map<String, String> env, String... args) {
    return CommandOutcome.runCommand(env, args);
  }

  @Test
  void aMisspeltKafkaKeyFromAnOptionIsRefusedWithASuggestion() {
    CommandOutcome o = run(CLUSTER, "-s", "num.stream.thread=2");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("unknown setting 'num.stream.thread'").contains("did you mean num.stream.threads?");
  }

  @Test
  void aMisspeltKafkaKeyInAConfigFileIsRefusedWithASuggestionAndWithoutItsValue(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("segmenter.properties");
    Files.writeString(file, "sasl.jaas.confg=org.example.Login required password=\"hunter2\";\n");
    CommandOutcome o = run(CLUSTER, "--config", file.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("'sasl.jaas.confg'").contains("did you mean sasl.jaas.config?").doesNotContain("hunter2");
  }

  @Test
  void aMisspeltVariableIsRefusedWithTheVariableItMeant() {
    Map<String, String> env = new HashMap<>(CLUSTER);
    env.put("SEGMENTER_NUM_STREAM_THREAD", "2");
    CommandOutcome o = run(env);
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("SEGMENTER_NUM_STREAM_THREAD").contains("did you mean SEGMENTER_NUM_STREAM_THREADS?");
  }

  @Test
  void aMisspeltSegmenterKeyGetsASuggestionToo() {
    CommandOutcome o = run(CLUSTER, "-s", "segmenter.model.decay.factr=0.9");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("did you mean segmenter.model.decay.factor?").doesNotContain("0.9");
  }

  @Test
  void everyUnknownKeyIsNamedAtOnce() {
    CommandOutcome o = run(CLUSTER, "-s", "num.stream.thread=2", "-s", "comit.interval.ms=100", "-s", "zzz.qqq=1");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("unknown settings 'comit.interval.ms' (did you mean commit.interval.ms?)",
        "'num.stream.thread' (did you mean num.stream.threads?)", "'zzz.qqq'")
        .contains("segmenter.settings.pass.through");
  }

  @Test
  void prefixedKafkaKeysAndDeclaredPassThroughKeysStillPass(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("segmenter.properties");
    Files.writeString(file, "segmenter.settings.pass.through=acme.interceptor.,acme.reporter.url\n"
        + "acme.interceptor.endpoint=http://x\nacme.reporter.url=http://y\n");
    // Settings checks pass; the run then fails further on, at a bad value of a real setting that
    // comes after the name check (the closed ports are never reached).
    CommandOutcome o = run(CLUSTER, "--config", file.toString(), "-s", "main.consumer.max.poll.records=100",
        "-s", "producer.linger.ms=5", "-s", "topic.min.insync.replicas=1", "-s", "segmenter.model.k=many");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).doesNotContain("unknown setting").contains("segmenter.model.k");
  }

  @Test
  void everyMissingRequiredSettingIsNamedInOneMessage() {
    CommandOutcome o = run(Map.of());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("Missing required configuration")
        .contains("bootstrap.servers (--bootstrap-servers or SEGMENTER_BOOTSTRAP_SERVERS)")
        .contains("schema.registry.url (--schema-registry-url or SEGMENTER_SCHEMA_REGISTRY_URL)");
    assertThat(o.err().lines().filter(l -> l.contains("bootstrap.servers") && l.contains("schema.registry.url")))
        .as("both in one message").hasSize(1);
  }
}
