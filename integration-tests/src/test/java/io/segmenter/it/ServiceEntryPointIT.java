package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.config.SettingsSources;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * segmenter started the way users start it: the executable jar in separate OS processes, configured
 * by SEGMENTER_* environment variables only, against the in-JVM KRaft broker and the embedded
 * registry. Events come from the jar's own {@code generate} command. Two {@code run} instances share
 * the work; the test scrapes {@code /metrics} on both (and checks that every metric the Grafana
 * dashboards and the alert rules name is among them), asks both for every customer, and stops both
 * with SIGTERM (they close their streams cleanly).
 */
class ServiceEntryPointIT {
  private static final int CUSTOMERS = 300;
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** {@code up} is Prometheus's own series for every target: never in a scrape, always in Prometheus. */
  private static final Set<String> PROMETHEUS_SERIES = Set.of("up");

  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    registry = EmbeddedSchemaRegistry.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) registry.close();
    if (kafka != null) kafka.close();
  }

  private static Map<String, String> cluster() {
    return Map.of("SEGMENTER_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "SEGMENTER_SCHEMA_REGISTRY_URL", registry.url());
  }

  private static Map<String, String> instance(String name, int httpPort) throws Exception {
    Map<String, String> env = new HashMap<>(cluster());
    env.put("SEGMENTER_APPLICATION_ID", "segmenter-entry-point-it");
    env.put("SEGMENTER_STATE_DIR", Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name + "-state-").toString());
    env.put("SEGMENTER_HTTP_PORT", Integer.toString(httpPort));
    // Access control has its own test (HttpSecurityIT); here the endpoints are read without credentials.
    env.put("SEGMENTER_HTTP_ACCESS_CONTROL", "false");
    env.put("SEGMENTER_HTTP_ADVERTISED_HOST", "127.0.0.1");
    env.put("SEGMENTER_TOPICS_PARTITIONS", "4");
    env.put("SEGMENTER_NUM_STREAM_THREADS", "1");
    env.put("SEGMENTER_COMMIT_INTERVAL_MS", "200");
    // A small model early, so that the test is about the product, not about waiting for data.
    env.put("SEGMENTER_MODEL_WARMUP_POINTS", "200");
    env.put("SEGMENTER_MODEL_MIN_BATCH_POINTS", "500");
    env.put("SEGMENTER_MODEL_DELTA_POINTS", "100");
    env.put("SEGMENTER_MODEL_DELTA_INTERVAL_MS", "500");
    env.put("SEGMENTER_INACTIVITY_PUNCTUATE_INTERVAL_MS", "1000");
    return env;
  }

  /**
   * {@code run} with its defaults: access control on and no credentials. Health and metrics are
   * served, customers, segments and the model are 401 to everyone, and the log says which settings
   * add credentials.
   */
  @Test
  @Timeout(120)
  void runWithoutCredentialsRefusesCustomerReadsAndSaysWhichSettingAddsThem() throws Exception {
    int port = SegmenterProcess.freePort();
    Map<String, String> env = instance("run-locked", port);
    env.remove("SEGMENTER_HTTP_ACCESS_CONTROL");
    env.put("SEGMENTER_APPLICATION_ID", "segmenter-entry-point-locked-it");
    try (SegmenterProcess locked = SegmenterProcess.start("run-locked", env, port, "run")) {
      locked.awaitReady(DEADLINE);
      assertThat(locked.get("/metrics").statusCode()).isEqualTo(200);
      for (String path : List.of("/customers/cust-000001", "/segments", "/model")) {
        HttpResponse<String> r = locked.get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(401);
        assertThat(r.body()).as(path).isEqualTo("{\"error\":\"unauthorized\"}");
      }
      assertThat(locked.logText()).contains("no credentials are configured")
          .contains(SegmenterConfig.HTTP_TOKENS_FILE).contains(SegmenterConfig.HTTP_CERTIFICATE_ROLES_FILE)
          .contains("hash-token");
    }
  }

  @Test
  @Timeout(300)
  void twoInstancesFromTheJarServeMetricsAndAnswerForEveryCustomer() throws Exception {
    int port1 = SegmenterProcess.freePort();
    int port2 = SegmenterProcess.freePort();
    try (SegmenterProcess one = SegmenterProcess.start("run-1", instance("run-1", port1), port1, "run");
         SegmenterProcess two = SegmenterProcess.start("run-2", instance("run-2", port2), port2, "run")) {
      one.awaitReady(DEADLINE);
      two.awaitReady(DEADLINE);

      SegmenterProcess.Finished generated = SegmenterProcess.runToEnd("generate", cluster(), DEADLINE,
          "generate", "--customers", Integer.toString(CUSTOMERS), "--days", "30", "--seed", "7");
      assertThat(generated.exitCode()).as("generate exit code; output:\n%s", generated.output()).isZero();
      Set<String> customers = inputCustomers();
      assertThat(customers).as("customers in the generated input").hasSize(CUSTOMERS);

      Instant started = Instant.now();
      Map<String, Integer> segments = awaitEveryCustomerAssigned(customers);
      System.out.printf("ServiceEntryPointIT: %d customers assigned %.1f s after generate ended%n",
          customers.size(), Duration.between(started, Instant.now()).toMillis() / 1000.0);

      assertEitherInstanceAnswersForEveryCustomer(one, two, customers);
      assertMetrics(one, two, customers);
      assertEventToEmitLatencyRecorded(one, two);
      assertDashboardsAndAlertsReadOnlyServedMetrics(one, two);

      JsonNode model1 = json(one.get("/model"));
      JsonNode model2 = json(two.get("/model"));
      assertThat(model1.path("version").asLong()).as("model version").isPositive();
      assertThat(json(one.get("/segments"))).as("/segments").isNotEmpty();
      assertThat(segments).hasSize(CUSTOMERS);
      System.out.printf("ServiceEntryPointIT: model version %d on instance 1, %d on instance 2%n",
          model1.path("version").asLong(), model2.path("version").asLong());

      for (SegmenterProcess p : List.of(one, two)) {
        // 143 = 128 + SIGTERM: the JVM's exit status after a signal, whatever the shutdown hook does.
        assertThat(p.stop(Duration.ofSeconds(60))).as("exit status of run after SIGTERM").isEqualTo(143);
        assertThat(p.logText()).as("log of run after SIGTERM").contains("streams PENDING_SHUTDOWN -> NOT_RUNNING")
            .doesNotContain("-> ERROR").doesNotContain("-> PENDING_ERROR");
      }
    }
  }

  @Test
  void aMalformedSettingStopsRunWithAMessageNamingIt() throws Exception {
    Map<String, String> env = new HashMap<>(cluster());
    env.put("SEGMENTER_MODEL_DECAY_FACTOR", "fast");
    SegmenterProcess.Finished run = SegmenterProcess.runToEnd("run-bad", env, Duration.ofSeconds(60), "run");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output()).contains("segmenter.model.decay.factor").contains("fast");
  }

  /** Customer ids in the input topics (keys of clicks and orders). */
  private static Set<String> inputCustomers() {
    return TopicReader.keys(kafka.bootstrapServers(), DEADLINE, "clicks", "orders");
  }

  /**
   * The event-to-emit latency counts the changes an event causes. The generated events may all be
   * processed before the first model version exists (then every first assignment is a MODEL change,
   * and the count is legitimately 0), so the test provokes one: a new customer's order, sent once a
   * model exists, is assigned at the event.
   */
  private static void assertEventToEmitLatencyRecorded(SegmenterProcess one, SegmenterProcess two) throws Exception {
    SegmenterConfig config = new SegmenterConfig(SettingsSources.fromEnvironment(cluster()));
    try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
      sender.send("latency-probe", OrderEvent.newBuilder().setOrderId("latency-probe-1").setCustomerId("latency-probe")
          .setStatus(OrderStatus.PLACED).setAmount(new BigDecimal("42.0000")).setCurrency("EUR").setItemCount(1)
          .setOccurredAt(Instant.now()).build());
      sender.flush();
    }
    Instant deadline = Instant.now().plus(DEADLINE);
    while (true) {
      double count = PrometheusText.parse(one.get("/metrics").body()).sum("segmenter_event_to_emit_latency_seconds_count")
          + PrometheusText.parse(two.get("/metrics").body()).sum("segmenter_event_to_emit_latency_seconds_count");
      if (count > 0) return;
      assertThat(Instant.now()).as("event-to-emit latency recorded within %s of a new customer's order", DEADLINE)
          .isBefore(deadline);
      Thread.sleep(200); // poll interval of a wait with a deadline
    }
  }

  /**
   * No dead panels or alerts: every metric named in an expression of the Grafana dashboards (panels,
   * rows' nested panels, template variables) and of the alert rules is served by the two instances,
   * read from the files (ObservabilityQueries) and compared with a scrape taken after real traffic.
   * Names are checked, not label values. A histogram or summary may be named by its base name when
   * its _bucket, _count or _sum series is served.
   */
  private static void assertDashboardsAndAlertsReadOnlyServedMetrics(SegmenterProcess one, SegmenterProcess two)
      throws Exception {
    long started = System.nanoTime();
    String checkout = System.getProperty("segmenter.checkout");
    assertThat(checkout).as("system property segmenter.checkout (set by failsafe in integration-tests/pom.xml)").isNotNull();
    Set<String> served = new HashSet<>();
    for (SegmenterProcess p : List.of(one, two)) {
      PrometheusText.parse(p.get("/metrics").body()).samples().forEach(s -> served.add(s.name()));
    }
    List<ObservabilityQueries.Query> queries = ObservabilityQueries.read(Path.of(checkout));
    Set<String> named = new TreeSet<>();
    List<String> dead = new ArrayList<>();
    for (ObservabilityQueries.Query q : queries) {
      for (String name : PromQlMetricNames.of(q.expr())) {
        named.add(name);
        if (!isServed(name, served)) dead.add(q.where() + ": " + name);
      }
    }
    assertThat(queries).as("expressions found in the dashboards and alert rules").hasSizeGreaterThan(20);
    assertThat(dead).as("metrics named in dashboards or alert rules that /metrics does not serve").isEmpty();
    System.out.printf("ServiceEntryPointIT: %d expressions in the dashboards and alert rules name %d metrics,"
        + " all served (checked in %d ms)%n", queries.size(), named.size(), (System.nanoTime() - started) / 1_000_000);
  }

  private static boolean isServed(String name, Set<String> served) {
    return served.contains(name) || PROMETHEUS_SERIES.contains(name)
        || Stream.of("_bucket", "_count", "_sum").anyMatch(suffix -> served.contains(name + suffix));
  }

  /** Latest segment id per customer from customer-segments, once every customer has one. */
  private static Map<String, Integer> awaitEveryCustomerAssigned(Set<String> customers) {
    Map<String, Integer> latest = new HashMap<>();
    Instant deadline = Instant.now().plus(DEADLINE);
    try (TopicReader<byte[]> reader = new TopicReader<>(kafka.bootstrapServers(), "customer-segments", new ByteArrayDeserializer())) {
      while (!latest.keySet().containsAll(customers)) {
        assertThat(Instant.now()).as("every customer assigned within %s (have %d)", DEADLINE, latest.size()).isBefore(deadline);
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) latest.put(r.key(), 0);
      }
    }
    return latest;
  }

  private static void assertEitherInstanceAnswersForEveryCustomer(SegmenterProcess one, SegmenterProcess two,
      Set<String> customers) throws Exception {
    Set<String> servedBy = new TreeSet<>();
    for (String id : customers) {
      String path = "/customers/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
      // A customer may legitimately move between the two requests (a model version, a late event):
      // then the pair is asked again, a few times at most.
      for (int attempt = 1; ; attempt++) {
        HttpResponse<String> a = one.get(path);
        HttpResponse<String> b = two.get(path);
        assertThat(a.statusCode()).as("instance 1 on %s: %s", path, a.body()).isEqualTo(200);
        assertThat(b.statusCode()).as("instance 2 on %s: %s", path, b.body()).isEqualTo(200);
        a.headers().firstValue("X-Segmenter-Served-By").ifPresent(servedBy::add);
        JsonNode ja = JSON.readTree(a.body());
        JsonNode jb = JSON.readTree(b.body());
        assertThat(ja.path("customerId").asText()).isEqualTo(id);
        int segA = ja.path("segment").path("id").asInt(-1);
        int segB = jb.path("segment").path("id").asInt(-1);
        assertThat(segA).as("segment of a generated customer").isNotNegative();
        if (segA == segB) break;
        assertThat(attempt).as("instances disagree on the segment of a customer").isLessThan(3);
      }
    }
    assertThat(servedBy).as("instances that served the answers given by instance 1 (forwarding works)").hasSize(2);
    assertThat(one.get("/customers/nobody-at-all").statusCode()).isEqualTo(404);
    assertThat(two.get("/customers/nobody-at-all").statusCode()).isEqualTo(404);
  }

  private static void assertMetrics(SegmenterProcess one, SegmenterProcess two, Set<String> customers) throws Exception {
    String text1 = one.get("/metrics").body();
    String text2 = two.get("/metrics").body();
    PrometheusText m1 = PrometheusText.parse(text1);
    PrometheusText m2 = PrometheusText.parse(text2);
    for (String id : customers) {
      assertThat(text1).as("a customer id in /metrics").doesNotContain("\"" + id + "\"");
      assertThat(text2).as("a customer id in /metrics").doesNotContain("\"" + id + "\"");
    }
    for (PrometheusText m : List.of(m1, m2)) {
      assertThat(m.hasPrefix("kafka_stream_")).as("Kafka Streams binder metrics").isTrue();
      assertThat(m.sum("jvm_memory_used_bytes")).as("JVM binder").isPositive();
      assertThat(m.sum("segmenter_model_version")).as("model version").isPositive();
    }
    double clicks = sumWhere(m1, m2, "segmenter_events_in_total", "type", "click");
    double orders = sumWhere(m1, m2, "segmenter_events_in_total", "type", "order");
    assertThat(clicks).as("clicks in").isPositive();
    assertThat(orders).as("orders in").isPositive();
    assertThat(m1.sum("segmenter_segment_changes_total") + m2.sum("segmenter_segment_changes_total"))
        .as("segment changes").isGreaterThanOrEqualTo(customers.size());
    assertThat(m1.named("segmenter_segment_changes_total")).allSatisfy(s ->
        assertThat(s.labels()).containsKeys("from", "to"));
    assertThat(m1.sum("segmenter_segment_population") + m2.sum("segmenter_segment_population"))
        .as("populations over both instances").isEqualTo(customers.size());
    double drifts = m1.sum("segmenter_model_centre_drift_count") + m2.sum("segmenter_model_centre_drift_count");
    assertThat(drifts).as("centre drift recorded per model update").isPositive();
    double distances = m1.sum("segmenter_assignment_distance_count") + m2.sum("segmenter_assignment_distance_count");
    double distanceSum = m1.sum("segmenter_assignment_distance_sum") + m2.sum("segmenter_assignment_distance_sum");
    assertThat(distances).isPositive();
    assertThat(distanceSum / distances).as("mean distance to the assigned centre").isPositive().isLessThan(100);
    assertThat(m1.has("segmenter_event_to_emit_latency_seconds_bucket")).as("latency histogram").isTrue();
    assertThat(m1.sum("segmenter_inactivity_reevaluations_total") + m2.sum("segmenter_inactivity_reevaluations_total"))
        .as("inactivity re-evaluations").isPositive();
    System.out.printf("ServiceEntryPointIT metrics: %.0f clicks, %.0f orders in; %.0f changes; populations %.0f; "
            + "%.0f drift samples; mean distance %.2f; %.0f re-evaluations%n", clicks, orders,
        m1.sum("segmenter_segment_changes_total") + m2.sum("segmenter_segment_changes_total"),
        m1.sum("segmenter_segment_population") + m2.sum("segmenter_segment_population"), drifts, distanceSum / distances,
        m1.sum("segmenter_inactivity_reevaluations_total") + m2.sum("segmenter_inactivity_reevaluations_total"));
  }

  private static double sumWhere(PrometheusText a, PrometheusText b, String name, String label, String value) {
    double sum = 0;
    for (PrometheusText m : List.of(a, b)) {
      for (PrometheusText.Sample s : m.named(name)) if (value.equals(s.labels().get(label))) sum += s.value();
    }
    return sum;
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
