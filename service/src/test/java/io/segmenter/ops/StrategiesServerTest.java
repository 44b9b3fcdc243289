package io.segmenter.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.access.AccessPolicy;
import io.segmenter.access.AuditLog;
import io.segmenter.access.PeerSignature;
import io.segmenter.access.Role;
import io.segmenter.access.TokenFile;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.model.Centre;
import io.segmenter.model.Features;
import io.segmenter.model.KMeansModel;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.strategy.OutcomeTally;
import io.segmenter.strategy.StrategyComparison;
import io.segmenter.strategy.StrategySpec;
import io.segmenter.topology.ChampionRecords;
import io.segmenter.topology.SegmenterTopology;
import io.segmenter.topology.Strategies;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /strategies and POST /strategies/{name}/promote through the real server with access control on
 * (hashed tokens, an audit file), in front of segmenter's real topology with two challengers in a
 * TopologyTestDriver: its strategy-outcomes and profiles stores (real RocksDB) hold known tallies and
 * customers, and a promotion goes through its real strategy control topic and global store (the
 * promoter installed here writes the record there instead of to a broker, which a unit test has not).
 * The streams the health and the populations round look at are a never-started KafkaStreams, so the
 * other instances are unknown and the answers are partial.
 */
class StrategiesServerTest {
  private static final String OPS_TOKEN = "ops-token-0123456789abcdef";
  private static final String READER_TOKEN = "reader-token-0123456789abcdef";
  /** The model's time: under the event clock, the moment every customer's features are taken at. */
  private static final long T = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
  private static final int K6 = StrategySpec.idBase("k6");
  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private OpsServer server;
  private IdleStreams idle;
  private TopologyTestDriver driver;
  private Path audit;

  @BeforeEach
  void start() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens"), TokenFile.line(Role.OPS, "grafana", OPS_TOKEN) + "\n"
        + TokenFile.line(Role.READER, "crm-app", READER_TOKEN) + "\n");
    audit = dir.resolve("audit.log");
    AccessControl access = new AccessControl(new AccessPolicy(true), TokenFile.load(tokens, Clock.systemUTC()), null,
        new PeerSignature("a peer secret of at least 32 bytes!".getBytes(StandardCharsets.UTF_8), Clock.systemUTC()),
        AuditLog.toFile(audit, Clock.systemUTC()), UnaryOperator.identity());
    server = OpsServer.start(new HttpSettings("127.0.0.1", 0, HttpLimits.defaults(), access, null), new SimpleMeterRegistry());
    idle = IdleStreams.at(server.port(), Map.of(SegmenterConfig.STRATEGY_CHALLENGERS, "k6: k=6; wide: k.min=3 k.max=10",
        SegmenterConfig.CLOCK, SegmenterConfig.CLOCK_EVENT, SegmenterConfig.CURRENCY, "EUR"));
    Properties props = SegmenterTopology.streamsProperties(idle.config, idle.runtime);
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(dir.resolve("driver-state")).toString());
    // Building the topology configures the runtime's strategies; no record is piped through a serde, so
    // the registry (nothing listens at its address) is never asked.
    driver = new TopologyTestDriver(SegmenterTopology.build(idle.config,
        CachedSchemaRegistryClient.fromProperties(idle.config.serdeConfig()), idle.runtime), props);
    server.serve(idle.context(new ThreadFailurePolicy(ThreadFailurePolicy.Settings.defaults(), Clock.systemUTC())),
        name -> driver.<String, byte[]>getKeyValueStore(name));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    driver.close();
    idle.close();
  }

  /**
   * default: segment 0 (40 windows, 30 bought) and 1 (40, 10); k6: its first segment (40, 38) and one
   * its model no longer has (40, 2); "gone", which the settings no longer run. 60 customers: 30 with
   * one order, 30 with ten.
   */
  private void fill() {
    KeyValueStore<String, byte[]> outcomes = driver.getKeyValueStore(SegmenterTopology.OUTCOMES_STORE);
    outcomes.put("default/0", new OutcomeTally(40, 30, 50, 2_000, 12).encode());
    outcomes.put("default/1", new OutcomeTally(40, 10, 12, 300, 0).encode());
    outcomes.put("k6/" + K6, new OutcomeTally(40, 38, 80, 4_000, 3).encode());
    outcomes.put("k6/" + (K6 + 2), new OutcomeTally(40, 2, 2, 50, 1).encode());
    // A challenger removed from the settings since: its tallies stay in the store, and would lead on lift.
    outcomes.put("gone/7", new OutcomeTally(40, 40, 40, 400, 0).encode());
    outcomes.put("gone/8", new OutcomeTally(40, 0, 0, 0, 0).encode());
    KeyValueStore<String, byte[]> profiles = driver.getKeyValueStore(SegmenterTopology.PROFILES_STORE);
    for (int i = 0; i < 60; i++) profiles.put("c-" + i, ProfileCodec.encode(customer(i < 30 ? 1 : 10)));
    Strategies s = idle.runtime.strategies();
    // default: one centre on each group; k6: both groups nearest its first centre (one segment: no separation).
    s.holder("default").offer(model(3, Map.of(0, z(1), 1, z(10)), Map.of(0, "Lapsed", 1, "Loyal")));
    double[] far = new double[Features.DIMENSION];
    java.util.Arrays.fill(far, 1_000);
    s.holder("k6").offer(model(5, Map.of(K6, z(10), K6 + 1, far), Map.of(K6, "Everyone", K6 + 1, "Far")));
  }

  @Test
  void theComparisonOverTheKnownTalliesAndTheSampleOfThisInstance() throws Exception {
    fill();
    HttpResponse<String> r = get("/strategies", READER_TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json(r);
    System.out.println("GET /strategies -> " + body.toPrettyString());
    assertThat(body.get("champion").asText()).isEqualTo("default");
    assertThat(body.get("promotion").get("source").asText()).isEqualTo("setting");
    assertThat(body.get("windowDays").asInt()).isEqualTo(30);
    assertThat(body.get("answered").asInt()).isEqualTo(1);
    assertThat(body.get("partial").asBoolean()).as("the other instances are unknown").isTrue();
    List<String> names = new ArrayList<>();
    body.get("strategies").forEach(st -> names.add(st.get("name").asText()));
    assertThat(names).containsExactly("default", "k6", "wide");

    JsonNode def = body.get("strategies").get(0);
    assertThat(def.get("champion").asBoolean()).isTrue();
    assertThat(def.get("modelVersion").asLong()).isEqualTo(3);
    assertThat(def.get("k").asInt()).isEqualTo(2);
    assertThat(def.get("windows").asLong()).isEqualTo(80);
    assertThat(def.get("purchaseRate").asDouble()).isEqualTo(0.5);
    assertThat(def.get("spread").asDouble()).isEqualTo(0.5);
    assertThat(def.get("stability").asDouble()).as("12 quiet changes over 80 windows of 30 days").isEqualTo(0.005);
    assertThat(def.get("lift").asDouble()).isCloseTo(StrategyComparison.lift(List.of(new OutcomeTally(40, 30, 50, 2_000, 12),
        new OutcomeTally(40, 10, 12, 300, 0))), within(0.00005));
    assertThat(def.get("separation").asDouble()).as("every point on its own segment's centre").isEqualTo(1.0);
    assertThat(def.get("separationPoints").asLong()).isEqualTo(60);
    JsonNode lapsed = def.get("segments").get(0);
    assertThat(lapsed.get("name").asText()).isEqualTo("Lapsed");
    assertThat(lapsed.get("windows").asLong()).isEqualTo(40);
    assertThat(lapsed.get("purchaseRate").asDouble()).isEqualTo(0.75);
    assertThat(lapsed.get("revenuePerCustomer").decimalValue()).isEqualByComparingTo("50.00");
    assertThat(lapsed.get("ordersPerCustomer").asDouble()).isEqualTo(1.25);
    assertThat(lapsed.get("churn").asDouble()).isEqualTo(0.25);

    JsonNode k6 = body.get("strategies").get(1);
    assertThat(k6.get("champion").asBoolean()).isFalse();
    assertThat(k6.get("settings").get("k").asInt()).isEqualTo(6);
    assertThat(k6.get("purchaseRate").asDouble()).isEqualTo(0.5);
    assertThat(k6.get("lift").asDouble()).isGreaterThan(def.get("lift").asDouble());
    assertThat(k6.get("separation").isNull()).as("everyone nearest one centre: nothing to separate").isTrue();
    assertThat(k6.get("separationPoints").asLong()).isZero();
    assertThat(List.of(k6.get("segments").get(0).get("name").asText(), k6.get("segments").get(1).get("name").asText()))
        .containsExactly("Everyone", "segment " + (K6 + 2) + " (retired)");

    JsonNode wide = body.get("strategies").get(2);
    assertThat(wide.get("modelVersion").isNull()).isTrue();
    assertThat(wide.get("windows").asLong()).isZero();
    assertThat(wide.get("purchaseRate").isNull()).as("NaN without windows is null").isTrue();
    assertThat(wide.get("settings").get("kMin").asInt()).isEqualTo(3);
    assertThat(wide.get("settings").get("k").asInt()).isEqualTo(10);
    assertThat(body.get("leaders").get("lift").asText()).as("not 'gone', which does not run here").isEqualTo("k6");
    assertThat(body.get("leaders").get("separation").asText()).isEqualTo("default");

    // What the other instances read of this one: the same figures, which parse back and sum.
    Populations.Answer answer = Populations.parse(json(get(Populations.INTERNAL_PATH, OPS_TOKEN)));
    assertThat(answer.strategies().tallies().get("k6").get(K6)).isEqualTo(new OutcomeTally(40, 38, 80, 4_000, 3));
    assertThat(answer.strategies().separations().get("default").points()).isEqualTo(60);
    assertThat(answer.strategies().plus(answer.strategies()).tallies().get("default").get(0).windows()).isEqualTo(80);
  }

  @Test
  void readersAndOpsMayReadOnlyOpsMayPromoteAndEveryPromotionIsAudited() throws Exception {
    fill();
    List<String> promoted = Collections.synchronizedList(new ArrayList<>());
    installPromoter(promoted, 0);
    assertThat(get("/strategies", null).statusCode()).isEqualTo(401);
    assertThat(get("/strategies", OPS_TOKEN).statusCode()).isEqualTo(200);
    assertThat(get("/strategies", READER_TOKEN).statusCode()).isEqualTo(200);
    assertThat(post("/strategies/k6/promote", null).statusCode()).isEqualTo(401);
    assertThat(post("/strategies/k6/promote", READER_TOKEN).statusCode()).as("a reader holds ops for reading only").isEqualTo(403);
    assertThat(promoted).as("nothing refused reaches the promoter").isEmpty();

    HttpResponse<String> ok = post("/strategies/k6/promote", OPS_TOKEN);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(promoted).containsExactly("k6");
    assertThat(json(ok).get("champion").asText()).isEqualTo("k6");
    assertThat(json(ok).get("epoch").asLong()).isEqualTo(1);
    assertThat(json(ok).get("applied").asBoolean()).isTrue();
    assertThat(idle.runtime.strategies().champion()).isEqualTo("k6");
    JsonNode after = json(get("/strategies", OPS_TOKEN));
    assertThat(after.get("champion").asText()).isEqualTo("k6");
    assertThat(after.get("promotion").get("source").asText()).isEqualTo("http");
    assertThat(after.get("strategies").get(1).get("champion").asBoolean()).isTrue();

    List<String> lines = Files.readAllLines(audit);
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"action\":\"promote\"", "\"principal\":\"crm-app\"",
        "\"strategy\":\"k6\"", "\"status\":403"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"action\":\"promote\"", "\"principal\":\"grafana\"",
        "\"authentication\":\"TOKEN\"", "\"strategy\":\"k6\"", "\"status\":200"));
    assertThat(lines).noneMatch(l -> l.contains("\"customer\""));
  }

  @Test
  void thePromotionIsAnsweredOnceThisInstanceHasAppliedIt() throws Exception {
    fill();
    List<String> promoted = Collections.synchronizedList(new ArrayList<>());
    // The control topic's record reaches this instance's global store 300 ms after it is written.
    installPromoter(promoted, 300);
    HttpResponse<String> ok = post("/strategies/k6/promote", OPS_TOKEN);
    assertThat(json(ok).get("applied").asBoolean()).as(ok.body()).isTrue();
    assertThat(idle.runtime.strategies().champion()).isEqualTo("k6");
  }

  @Test
  void theRefusals() throws Exception {
    fill();
    HttpResponse<String> noWriter = post("/strategies/k6/promote", OPS_TOKEN);
    assertThat(noWriter.statusCode()).as("no control topic writer").isEqualTo(503);
    assertThat(json(noWriter).get("error").asText()).contains("cannot be written");
    installPromoter(Collections.synchronizedList(new ArrayList<>()), 0);
    HttpResponse<String> unknown = post("/strategies/nope/promote", OPS_TOKEN);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").asText()).contains("nope", "default, k6, wide");
    HttpResponse<String> noModel = post("/strategies/wide/promote", OPS_TOKEN);
    assertThat(noModel.statusCode()).isEqualTo(409);
    assertThat(json(noModel).get("error").asText()).contains("no model version");
    HttpResponse<String> already = post("/strategies/default/promote", OPS_TOKEN);
    assertThat(already.statusCode()).isEqualTo(409);
    assertThat(json(already).get("error").asText()).contains("champion already");

    HttpResponse<String> getPromote = get("/strategies/k6/promote", OPS_TOKEN);
    assertThat(getPromote.statusCode()).isEqualTo(405);
    assertThat(getPromote.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<String> postList = post("/strategies", OPS_TOKEN);
    assertThat(postList.statusCode()).isEqualTo(405);
    assertThat(postList.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(post("/segments", OPS_TOKEN).statusCode()).as("still GET-only elsewhere").isEqualTo(405);
    assertThat(idle.runtime.strategies().champion()).isEqualTo("default");
  }

  @Test
  void theMetricsSayWhichIsChampionAndThisInstancesTalliesByStrategyOnly() throws Exception {
    fill();
    String metrics = get("/metrics", OPS_TOKEN).body();
    assertThat(metrics).contains("segmenter_strategy_champion{strategy=\"default\"} 1.0",
        "segmenter_strategy_champion{strategy=\"k6\"} 0.0", "segmenter_strategy_outcome_windows{strategy=\"k6\"} 80.0",
        "segmenter_strategy_outcome_purchasing_windows{strategy=\"default\"} 40.0",
        "segmenter_strategy_outcome_revenue{strategy=\"k6\"} 4050.0",
        "segmenter_strategy_outcome_quiet_changes{strategy=\"default\"} 12.0",
        "segmenter_strategy_outcome_windows{strategy=\"wide\"} 0.0");
    for (String line : metrics.lines().filter(l -> l.startsWith("segmenter_strategy_")).toList()) {
      assertThat(line).as("the strategy label only").matches("segmenter_strategy_[a-z_]+\\{strategy=\"[a-z0-9-]+\"} .*");
    }
  }

  @Test
  void withoutChallengersBothRoutesSaySo() throws Exception {
    try (OpsServer plain = OpsServer.start("127.0.0.1", 0); IdleStreams none = IdleStreams.at(plain.port(), Map.of())) {
      plain.serve(none.context(new ThreadFailurePolicy(ThreadFailurePolicy.Settings.defaults(), Clock.systemUTC())));
      for (HttpRequest.Builder b : List.of(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.port() + "/strategies")).GET(),
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.port() + "/strategies/k6/promote"))
              .POST(HttpRequest.BodyPublishers.noBody()))) {
        HttpResponse<String> r = send(b);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText())
            .isEqualTo("no challenger strategies run here (segmenter.strategy.challengers is empty)");
      }
    }
  }

  /**
   * A promoter that records the call and writes the control record to the driver's strategy control
   * topic (its real global store and processor apply it), at once or {@code lagMs} later.
   */
  private void installPromoter(List<String> calls, long lagMs) {
    TestInputTopic<String, byte[]> control = driver.createInputTopic(idle.config.getString(SegmenterConfig.TOPIC_STRATEGY),
        new StringSerializer(), new ByteArraySerializer());
    idle.runtime.strategies().promoter(name -> {
      calls.add(name);
      Strategies.Champion c = new Strategies.Champion(name, 1, "default", "http", System.currentTimeMillis());
      Runnable write = () -> control.pipeInput(ChampionRecords.KEY, ChampionRecords.encode(c));
      if (lagMs == 0) write.run();
      else CompletableFuture.runAsync(write, CompletableFuture.delayedExecutor(lagMs, TimeUnit.MILLISECONDS));
      return c;
    });
  }

  private static CustomerProfile customer(int orders) {
    CustomerProfile p = CustomerProfile.empty();
    for (int o = 0; o < orders; o++) p.apply(order(o), SETTINGS.profile());
    return p;
  }

  private static OrderEvent order(int o) {
    return OrderEvent.newBuilder().setOrderId("o" + o).setCustomerId("c").setStatus(OrderStatus.PLACED)
        .setAmount(new BigDecimal("40.0000")).setCurrency("EUR").setItemCount(1).setCategories(List.of())
        .setOccurredAt(Instant.ofEpochMilli(T - (o + 1) * 86_400_000L)).build();
  }

  private static final io.segmenter.evaluation.EvaluatorSettings SETTINGS = new SegmenterConfig(Map.of(
      SegmenterConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:9", StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"))
      .evaluatorSettings();

  /** The standardised features, at T, of a customer with {@code orders} orders (TestModels' scaler). */
  private static double[] z(int orders) {
    return TestModels.model(1, new double[Features.DIMENSION], T).standardise(Features.of(customer(orders), T, SETTINGS.profile()));
  }

  private static ModelSnapshot model(long version, Map<Integer, double[]> centres, Map<Integer, String> names) {
    List<Centre> list = new ArrayList<>();
    new java.util.TreeMap<>(centres).forEach((id, at) -> list.add(new Centre(id, at, 50.0, 1, version, null)));
    int next = centres.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    return new ModelSnapshot(new KMeansModel(version, Features.DIMENSION, list, next, 0.95), TestModels.scaler(), names, T);
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return send(b);
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) b.header("Authorization", "Bearer " + token);
    return send(b);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return OpsResponse.MAPPER.readTree(r.body());
  }
}
