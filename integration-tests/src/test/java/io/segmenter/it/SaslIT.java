package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ClickEvent;
import io.segmenter.serde.SpecificAvroSerde;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * segmenter against a broker whose client listener requires SASL/PLAIN (the in-JVM broker, started
 * with a SASL_PLAINTEXT listener and one client user): {@code run} and {@code generate} as OS
 * processes, configured only by SEGMENTER_* environment variables (security.protocol,
 * sasl.mechanism, sasl.jaas.config beside the usual ones). The service creates its topics, reads the
 * generated events and assigns every customer; with a wrong password it stops at start-up, naming the
 * authentication failure. Neither process logs a customer id or the password, not even when run
 * rejects records about customers to the dead-letter topic (which it logs).
 */
class SaslIT {
  private static final String USER = "segmenter-svc";
  private static final String PASSWORD = secret();
  private static final int CUSTOMERS = 200;
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  /** The ids `generate` gives its customers: cust-000001, ... */
  private static final Pattern CUSTOMER_ID = Pattern.compile("cust-[0-9]{6}");

  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.startSaslPlain(USER, PASSWORD);
    registry = EmbeddedSchemaRegistry.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) registry.close();
    if (kafka != null) kafka.close();
  }

  /** What an operator sets to reach this cluster: the address, the registry and Kafka's own SASL settings. */
  private static Map<String, String> cluster(String password) {
    return Map.of(
        "SEGMENTER_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "SEGMENTER_SCHEMA_REGISTRY_URL", registry.url(),
        "SEGMENTER_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "SEGMENTER_SASL_MECHANISM", "PLAIN",
        "SEGMENTER_SASL_JAAS_CONFIG", EmbeddedKafka.plainJaasConfig(USER, password));
  }

  private static Map<String, String> instance(String name, int httpPort, String password) throws Exception {
    return SegmenterProcess.smallInstance(cluster(password), name, "segmenter-sasl-it", httpPort, 2);
  }

  @Test
  @Timeout(300)
  void runAndGenerateWorkThroughTheSaslListenerWithTheEnvironmentAlone() throws Exception {
    int port = SegmenterProcess.freePort();
    Instant started = Instant.now();
    try (SegmenterProcess run = SegmenterProcess.start("sasl-run", instance("sasl-run", port, PASSWORD), port, "run")) {
      run.awaitReady(DEADLINE);
      double readySeconds = seconds(started);

      SegmenterProcess.Finished generated = SegmenterProcess.runToEnd("sasl-generate", cluster(PASSWORD), DEADLINE,
          "generate", "--customers", Integer.toString(CUSTOMERS), "--days", "7", "--seed", "7");
      assertThat(generated.exitCode()).as("generate exit code; output:\n%s", generated.output()).isZero();
      Set<String> customers = keys(List.of("clicks", "orders"));
      assertThat(customers).as("customers in the generated input").hasSize(CUSTOMERS)
          .allMatch(id -> CUSTOMER_ID.matcher(id).matches());

      Instant generatedAt = Instant.now();
      Set<String> assigned = awaitAssigned(customers);
      double assignedSeconds = seconds(generatedAt);
      assertThat(assigned).containsAll(customers);
      // The population gauges count the members store, whose last moves may still be in the step that
      // emitted them when the topic shows every customer: poll until they have caught up.
      java.util.concurrent.atomic.AtomicReference<PrometheusText> seen = new java.util.concurrent.atomic.AtomicReference<>();
      Deployment.await("every customer counted in segmenter_segment_population", DEADLINE, () -> {
        try {
          seen.set(PrometheusText.parse(run.get("/metrics").body()));
        } catch (Exception e) {
          return false;
        }
        return seen.get().sum("segmenter_segment_population") == CUSTOMERS;
      });
      PrometheusText metrics = seen.get();
      assertThat(metrics.sum("segmenter_segment_population")).as("customers in segments, per /metrics")
          .isEqualTo(CUSTOMERS);
      double processed = metrics.named("segmenter_events_in_total").stream()
          .filter(s -> "processed".equals(s.labels().get("outcome"))).mapToDouble(PrometheusText.Sample::value).sum();
      assertThat(processed).isPositive();

      // Records it must reject, about customers: counted by reason and dead-lettered (logged only at
      // DEBUG, by position and reason); the customer ids appear nowhere in the log.
      produceInvalidEvents();
      Map<String, Double> invalid = awaitInvalid(run, 2);
      assertThat(invalid).containsOnlyKeys("KEY_MISMATCH", "NEGATIVE_PRICE");

      // 143 = 128 + SIGTERM: the JVM's status after the signal; the shutdown hook closed the streams.
      assertThat(run.stop(Duration.ofSeconds(60))).isEqualTo(143);
      String log = run.logText();
      assertThat(log).contains("streams PENDING_SHUTDOWN -> NOT_RUNNING").doesNotContain("-> ERROR");
      assertNoPersonalDataNorPassword("run", log, PASSWORD);
      assertNoPersonalDataNorPassword("generate", generated.output(), PASSWORD);
      System.out.printf("SaslIT: run ready through SASL_PLAINTEXT/PLAIN in %.1f s; generate produced %d customers "
              + "(%s); all %d assigned %.1f s after generate ended; %.0f events processed, rejected %s; logs: run %d "
              + "lines, generate %d lines, no customer id, no password%n", readySeconds, customers.size(),
          summary(generated.output()), assigned.size(), assignedSeconds, processed, invalid, log.lines().count(),
          generated.output().lines().count());
    }
  }

  @Test
  @Timeout(180)
  void runWithAWrongPasswordStopsAtStartUpNamingTheAuthenticationFailure() throws Exception {
    String wrong = secret();
    int port = SegmenterProcess.freePort();
    Instant started = Instant.now();
    SegmenterProcess.Finished run = SegmenterProcess.runToEnd("sasl-run-wrong", instance("sasl-run-wrong", port, wrong),
        Duration.ofSeconds(120), "run");
    double seconds = seconds(started);
    // What the product does: the start-up reachability check's admin client fails to authenticate
    // before any topic or stream is touched, and the command line reports it in one line as a failure
    // (exit 1), the stack trace only under --verbose.
    assertThat(run.exitCode()).as("exit code; output:\n%s", run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains("segmenter run: Kafka at " + kafka.bootstrapServers() + " (bootstrap.servers) refused to "
            + "authenticate this client: Authentication failed")
        .contains("check security.protocol, sasl.mechanism, sasl.jaas.config")
        .doesNotContain("\tat ");
    assertNoPersonalDataNorPassword("run with a wrong password", run.output(), wrong);
    assertThat(run.output()).doesNotContain(PASSWORD);
    String first = run.output().lines().filter(l -> l.startsWith("segmenter run:")).findFirst().orElseThrow();
    System.out.printf("SaslIT: run with a wrong password exited %d after %.1f s: %s%n", run.exitCode(), seconds, first);
  }

  /** Two clicks segmenter must send to the dead-letter topic (key not the customer id; negative price). */
  private static void produceInvalidEvents() throws Exception {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    try (SpecificAvroSerde<ClickEvent> serde = new SpecificAvroSerde<>(ClickEvent.class)) {
      serde.configure(Map.of("schema.registry.url", registry.url()), false);
      try (KafkaProducer<String, ClickEvent> producer =
               new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
        producer.send(new ProducerRecord<>("clicks", "cust-900002", Fixtures.click("cust-900001", 1)))
            .get(30, TimeUnit.SECONDS);
        ClickEvent negative = ClickEvent.newBuilder(Fixtures.click("cust-900003", 2)).setPrice(new BigDecimal("-1.0000")).build();
        producer.send(new ProducerRecord<>("clicks", "cust-900003", negative)).get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** segmenter_events_invalid_total by reason (the reasons counted), once they add up to {@code expected}. */
  private static Map<String, Double> awaitInvalid(SegmenterProcess run, int expected) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (true) {
      Map<String, Double> byReason = new TreeMap<>();
      for (PrometheusText.Sample s : PrometheusText.parse(run.get("/metrics").body()).named("segmenter_events_invalid_total")) {
        // Every reason's series exists from the start at 0 (for rate() and the alerts): keep those counted.
        if (s.value() > 0) byReason.merge(s.labels().get("reason"), s.value(), Double::sum);
      }
      if (byReason.values().stream().mapToDouble(Double::doubleValue).sum() >= expected) return byReason;
      assertThat(Instant.now()).as("%d invalid events counted within %s (have %s)", expected, DEADLINE, byReason)
          .isBefore(deadline);
      TimeUnit.MILLISECONDS.sleep(200); // poll interval of a condition with a deadline
    }
  }

  private static void assertNoPersonalDataNorPassword(String what, String output, String password) {
    Matcher id = CUSTOMER_ID.matcher(output);
    assertThat(id.find() ? id.group() : null).as("a customer id in the output of %s", what).isNull();
    assertThat(output).as("the password in the output of %s", what).doesNotContain(password);
  }

  /** Keys (customer ids) of every record in the topics, read through the SASL listener. */
  private static Set<String> keys(List<String> topics) {
    Set<String> keys = new HashSet<>();
    for (String topic : topics) {
      try (KafkaConsumer<String, byte[]> consumer = consumer(topic)) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        Instant deadline = Instant.now().plus(DEADLINE);
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
          assertThat(Instant.now()).as("read %s to its end", topic).isBefore(deadline);
          consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
        }
      }
    }
    return keys;
  }

  /** Customers in customer-segments (read through the SASL listener), once it has all of them. */
  private static Set<String> awaitAssigned(Set<String> customers) {
    Set<String> assigned = new HashSet<>();
    Instant deadline = Instant.now().plus(DEADLINE);
    try (KafkaConsumer<String, byte[]> consumer = consumer("customer-segments")) {
      while (!assigned.containsAll(customers)) {
        assertThat(Instant.now()).as("every customer assigned within %s (have %d)", DEADLINE, assigned.size())
            .isBefore(deadline);
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) assigned.add(r.key());
      }
    }
    return assigned;
  }

  /** A read_committed consumer over every partition of a topic, without a group, with the SASL client settings. */
  private static KafkaConsumer<String, byte[]> consumer(String topic) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", "false");
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  private static String summary(String generateOutput) {
    return generateOutput.lines().filter(l -> l.startsWith("generate: ") && l.contains(" events (")).findFirst()
        .orElse("no summary").substring("generate: ".length());
  }

  private static double seconds(Instant since) {
    return Duration.between(since, Instant.now()).toMillis() / 1000.0;
  }

  private static String secret() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return "pw-" + HexFormat.of().formatHex(b);
  }
}
