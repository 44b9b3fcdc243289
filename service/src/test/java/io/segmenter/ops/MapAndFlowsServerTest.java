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
import io.segmenter.flows.FlowRing;
import io.segmenter.model.Features;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /map and GET /flows through the real server with access control on (hashed tokens, a peer
 * secret), in front of a real KafkaStreams that is never started: the store cannot be read, so the
 * map shows the centres alone and says why; the flows are this instance's, fed into its runtime.
 */
class MapAndFlowsServerTest {
  private static final String OPS_TOKEN = "ops-token-0123456789abcdef";
  private static final String READER_TOKEN = "reader-token-0123456789abcdef";
  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private PeerSignature peers;
  private OpsServer server;
  private IdleStreams idle;

  @BeforeEach
  void start() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens"), TokenFile.line(Role.OPS, "grafana", OPS_TOKEN) + "\n"
        + TokenFile.line(Role.READER, "crm-app", READER_TOKEN) + "\n");
    peers = new PeerSignature("a peer secret of at least 32 bytes!".getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    AccessControl access = new AccessControl(new AccessPolicy(true), TokenFile.load(tokens, Clock.systemUTC()), null,
        peers, AuditLog.off(), UnaryOperator.identity());
    server = OpsServer.start(new HttpSettings("127.0.0.1", 0, HttpLimits.defaults(), access, null), new SimpleMeterRegistry());
    idle = IdleStreams.at(server.port(), Map.of());
    server.serve(idle.context(new ThreadFailurePolicy(ThreadFailurePolicy.Settings.defaults(), Clock.systemUTC())));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    idle.close();
  }

  @Test
  void bothNeedOpsOrAboveAndAreListedInTheIndex() throws Exception {
    idle.runtime.model().offer(TestModels.model(3, new double[Features.DIMENSION], 1_000L));
    for (String path : List.of("/map", "/flows")) {
      assertThat(get(path, null).statusCode()).as(path + " anonymous").isEqualTo(401);
      assertThat(get(path, "not-a-known-token-at-all").statusCode()).as(path + " unknown token").isEqualTo(401);
      assertThat(get(path, OPS_TOKEN).statusCode()).as(path + " ops").isEqualTo(200);
      // A reader may do all that ops may (Role.grants), as on /segments and /model.
      assertThat(get(path, READER_TOKEN).statusCode()).as(path + " reader").isEqualTo(200);
      HttpResponse<String> peer = send(HttpRequest.newBuilder(uri(path))
          .header(PeerSignature.HEADER, peers.sign("GET", path)).GET());
      assertThat(peer.statusCode()).as(path + " a peer on its own account").isEqualTo(403);
    }
    assertThat(json(get("/", null)).get("endpoints").toString()).contains("\"/map\"", "\"/flows\"");
  }

  @Test
  void theMapIs404BeforeTheFirstModelThenShowsEveryCentreOnTwoLabelledAxes() throws Exception {
    HttpResponse<String> none = get("/map", OPS_TOKEN);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(json(none).get("error").asText()).isNotBlank();

    idle.runtime.model().offer(TestModels.model(3, loyal(), 1_000L));
    JsonNode map = json(get("/map", OPS_TOKEN));
    assertThat(map.get("modelVersion").asLong()).isEqualTo(3);
    assertThat(map.get("features").asInt()).isEqualTo(Features.DIMENSION);
    assertThat(map.get("centres").findValuesAsText("name")).containsExactly("Hibernating", "Loyal", "New Customers");
    assertThat(map.get("axes")).hasSize(2);
    double explained = 0;
    for (JsonNode axis : map.get("axes")) {
      assertThat(axis.get("loadings")).hasSize(3);
      assertThat(axis.get("loadings").get(0).get("label").asText()).isNotBlank();
      explained += axis.get("explainedVariance").asDouble();
    }
    assertThat(explained).as("three centres lie in a plane: two axes hold all of their spread").isCloseTo(1.0, within(0.002));
    // The streams never started: no customers to sample, and the answer says so.
    assertThat(map.get("points")).isEmpty();
    assertThat(map.get("sample").get("points").asInt()).isZero();
    assertThat(map.get("sample").get("note").asText()).contains("cannot be read now");
    assertThat(map.get("sample").get("instance").asText()).isEqualTo("127.0.0.1:" + server.port());
    assertThat(map.get("partial").asBoolean()).as("the other instances are unknown").isTrue();
    // The populations are /segments' own (one round of the same sum).
    JsonNode segments = json(get("/segments", OPS_TOKEN));
    for (int i = 0; i < 3; i++) {
      assertThat(map.get("centres").get(i).get("population").asLong())
          .isEqualTo(segments.get("segments").get(i).get("population").asLong());
    }
    JsonNode mix = map.get("centres").get(1).get("mix");
    assertThat(mix.get("sampled").asInt()).isZero();
    assertThat(mix.get("predictive").isNull()).as("no predictive parameters in this model").isTrue();
  }

  @Test
  void theFlowsOfTheLastHourAndDayWithTheirRateAndNetChange() throws Exception {
    idle.runtime.model().offer(TestModels.model(3, loyal(), 1_000L));
    long now = System.currentTimeMillis();
    FlowRing ring = idle.runtime.flows();
    ring.record(FlowRing.NONE, 1, now);
    ring.record(1, 4, now);
    ring.record(1, 4, now - Duration.ofHours(2).toMillis());

    JsonNode flows = json(get("/flows", OPS_TOKEN));
    JsonNode hour = flows.get("windows").get("hour");
    assertThat(hour.get("changes").asLong()).isEqualTo(2);
    List<String> pairs = new ArrayList<>();
    for (JsonNode f : hour.get("flows")) {
      pairs.add(f.get("from").get("name").asText() + " -> " + f.get("to").get("name").asText() + " " + f.get("count"));
    }
    assertThat(pairs).containsExactlyInAnyOrder("(new) -> Loyal 1", "Loyal -> New Customers 1");
    assertThat(hour.get("flows").findValues("from")).anySatisfy(from -> assertThat(from.get("id").isNull()).isTrue());
    assertThat(flows.get("windows").get("day").get("changes").asLong()).isEqualTo(3);
    assertThat(flows.get("rate").get("hour").get("points")).hasSize(60);
    assertThat(flows.get("rate").get("hour").get("bucketSeconds").asInt()).isEqualTo(60);
    assertThat(flows.get("rate").get("day").get("points")).hasSize(96);
    assertThat(flows.get("rate").get("day").get("bucketSeconds").asInt()).isEqualTo(900);
    long daySum = 0;
    for (JsonNode p : flows.get("rate").get("day").get("points")) daySum += p.get("changes").asLong();
    assertThat(daySum).isEqualTo(3);
    assertThat(flows.get("net").get("hour").get("1").asLong()).as("one in, one out").isZero();
    assertThat(flows.get("net").get("hour").get("4").asLong()).isEqualTo(1);
    assertThat(flows.get("net").get("day").get("1").asLong()).isEqualTo(-1);
    assertThat(flows.get("partial").asBoolean()).isTrue();
    assertThat(flows.get("instancesAnswered").asInt()).isEqualTo(1);

    // What the other instances read of this one: the same windows, which parse back.
    JsonNode internal = json(get(Populations.INTERNAL_PATH, OPS_TOKEN));
    Populations.Answer answer = Populations.parse(internal);
    assertThat(answer.flows().hour().changes()).isEqualTo(2);
    assertThat(answer.flows().day().changes()).isEqualTo(3);
  }

  @Test
  void theModelListsTheVersionsThisInstanceSaw() throws Exception {
    idle.runtime.model().offer(TestModels.model(3, loyal(), 1_000L));
    idle.runtime.modelVersions().add(new io.segmenter.model.ModelVersions.Entry(3, 1_000L, 3, 0.25, 0.125, true));
    JsonNode model = json(get("/model", OPS_TOKEN));
    JsonNode v = model.get("versions").get(0);
    assertThat(v.get("version").asLong()).isEqualTo(3);
    assertThat(v.get("createdAt").asText()).isEqualTo("1970-01-01T00:00:01Z");
    assertThat(v.get("k").asInt()).isEqualTo(3);
    assertThat(v.get("maxDrift").asDouble()).isEqualTo(0.25);
    assertThat(v.get("meanDrift").asDouble()).isEqualTo(0.125);
    assertThat(v.get("refresh").asBoolean()).isTrue();
  }

  @Test
  void theAxesAreFittedOncePerVersionSoPointsMoveOnlyWhenCustomersDo() {
    SegmentMap map = new SegmentMap(idle.context(new ThreadFailurePolicy(ThreadFailurePolicy.Settings.defaults(),
        Clock.systemUTC())), null, new ApplicationClock(true), System::currentTimeMillis);
    io.segmenter.model.ModelSnapshot v3 = TestModels.model(3, loyal(), 1_000L);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    java.util.function.IntFunction<MapSample> sample = n -> {
      List<MapSample.Customer> customers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double[] z = new double[Features.DIMENSION];
        for (int d = 0; d < z.length; d++) z[d] = rnd.nextGaussian() * (d + 1);
        customers.add(new MapSample.Customer(z, 1, null));
      }
      return new MapSample(3, 0, n, customers, null);
    };
    io.segmenter.map.MapProjection centresOnly = map.projection(v3, MapSample.unavailable(v3, 0, "not running"));
    assertThat(centresOnly.fittedOn()).isEqualTo(3);
    io.segmenter.map.MapProjection first = map.projection(v3, sample.apply(200));
    assertThat(first.fittedOn()).as("fitted again once customers can be sampled").isEqualTo(203);
    assertThat(map.projection(v3, sample.apply(300))).as("another sample, the same version: the same axes")
        .isSameAs(first);
    io.segmenter.model.ModelSnapshot v4 = TestModels.model(4, loyal(), 2_000L);
    assertThat(map.projection(v4, sample.apply(300)).fittedOn()).as("a new version: new axes").isEqualTo(303);
  }

  private static double[] loyal() {
    double[] at = new double[Features.DIMENSION];
    at[Features.ORDERS] = 2;
    at[Features.NET_SPEND] = 1.5;
    return at;
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return send(b);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return OpsResponse.MAPPER.readTree(r.body());
  }
}
