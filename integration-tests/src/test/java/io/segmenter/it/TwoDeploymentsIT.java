package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.service.SegmenterService;
import io.segmenter.service.TopicSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two deployments of segmenter (two application ids) on one broker, reading the same input topics and
 * leaving the model topics at their defaults: each gets model topics named after its own id and
 * builds and serves its own model (k = 1 in one; k = 6 in the other, of which centres too close for
 * two names may merge, so 2 to 6). Before, both used "model" and
 * "model-deltas": each aggregator merged the other's deltas and each instance served whichever
 * version came last. The test reads the topics through Admin and the models through HTTP only, not
 * the records' encoding.
 */
class TwoDeploymentsIT {
  @RegisterExtension
  static final SharedKafka KAFKA = new SharedKafka();

  private static final Duration DEADLINE = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  @Timeout(300)
  void eachApplicationIdHasItsOwnModelTopicsAndModel() throws Exception {
    String inputs = SharedKafka.uniqueName("two-deployments-input");
    String blue = SharedKafka.uniqueName("two-deployments-blue");
    String green = SharedKafka.uniqueName("two-deployments-green");
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      SegmenterConfig blueConfig = new SegmenterConfig(settings(blue, inputs, registry.url(), 1));
      SegmenterConfig greenConfig = new SegmenterConfig(settings(green, inputs, registry.url(), 6));
      assertThat(blueConfig.getString(SegmenterConfig.TOPIC_MODEL)).isEqualTo(blue + "-model");
      assertThat(greenConfig.getString(SegmenterConfig.TOPIC_MODEL_DELTAS)).isEqualTo(green + "-model-deltas");

      TopicSetup.createMissing(blueConfig, KAFKA.clientConfig());
      SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
          .withCustomers(120).withSpan(Duration.ofDays(14)).withSeed(11L));
      long events;
      try (EventSender sender = new EventSender(blueConfig, new HashMap<>(blueConfig.originals()))) {
        events = sender.sendAll(generator);
      }

      try (SegmenterService one = SegmenterService.start(blueConfig);
           SegmenterService two = SegmenterService.start(greenConfig)) {
        JsonNode blueModel = awaitModel(one);
        JsonNode greenModel = awaitModel(two);
        System.out.printf("TwoDeploymentsIT: %d events; %s serves model version %d with k = %d, %s version %d with k = %d%n",
            events, blue, blueModel.path("version").asLong(), blueModel.path("k").asInt(),
            green, greenModel.path("version").asLong(), greenModel.path("k").asInt());
        assertThat(blueModel.path("k").asInt()).as("k of %s's model", blue).isEqualTo(1);
        // Green asks for k = 6; on 120 customers its first versions keep 2 to 6 live centres (merges took
        // it to 3 in 2 of 5 CI runs and to 2 once), never blue's single one: a shared model topic would
        // show the same k on both. A k of 2 for blue was no fingerprint, since green can merge down to it.
        assertThat(greenModel.path("k").asInt()).as("k of %s's model", green).isBetween(2, 6);

        try (Admin admin = KAFKA.admin()) {
          for (String app : List.of(blue, green)) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(app + "-model", app + "-model-deltas"))
                .allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(described.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(1));
            ConfigResource model = new ConfigResource(ConfigResource.Type.TOPIC, app + "-model");
            Config config = admin.describeConfigs(List.of(model)).all().get(30, TimeUnit.SECONDS).get(model);
            assertThat(config.get("cleanup.policy").value()).as("cleanup.policy of %s-model", app).contains("compact");
            long versions = endOffset(admin, app + "-model");
            long deltas = endOffset(admin, app + "-model-deltas");
            System.out.printf("TwoDeploymentsIT: %s-model: 1 partition, compacted, end offset %d; %s-model-deltas: end offset %d%n",
                app, versions, app, deltas);
            assertThat(versions).as("end offset of %s-model", app).isPositive();
            assertThat(deltas).as("end offset of %s-model-deltas", app).isPositive();
          }
          Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
          assertThat(topics).as("the shared names of before").doesNotContain("model", "model-deltas");
        }
        // Each keeps serving its own model (a shared topic would hand each the other's versions).
        assertThat(json(get(one, "/model")).path("k").asInt()).isEqualTo(1);
        assertThat(json(get(two, "/model")).path("k").asInt()).isBetween(2, 6);
      }
    }
  }

  /** A deployment of its own on the shared inputs, with the model topics left to their defaults. */
  private static Map<String, Object> settings(String app, String inputs, String registryUrl, int k) {
    Deployment d = new Deployment(KAFKA, registryUrl, app);
    d.settings.put(SegmenterConfig.TOPIC_CLICKS, inputs + "-clicks");
    d.settings.put(SegmenterConfig.TOPIC_ORDERS, inputs + "-orders");
    d.settings.put(SegmenterConfig.TOPIC_ERASURES, inputs + "-erasures");
    d.settings.put(SegmenterConfig.MODEL_K, k);
    d.settings.put(SegmenterConfig.CLV_ENABLED, false);
    return d.settings;
  }

  /** /model once the first version exists. */
  private static JsonNode awaitModel(SegmenterService service) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (true) {
      HttpResponse<String> model = get(service, "/model");
      if (model.statusCode() == 200) return json(model);
      assertThat(Instant.now()).as("a model version on %s within %s", service.advertisedAddress(), DEADLINE).isBefore(deadline);
      Thread.sleep(200); // poll interval of a wait with a deadline
    }
  }

  private static long endOffset(Admin admin, String topic) throws Exception {
    TopicPartition p = new TopicPartition(topic, 0);
    return admin.listOffsets(Map.of(p, OffsetSpec.latest())).partitionResult(p).get(30, TimeUnit.SECONDS).offset();
  }

  private static HttpResponse<String> get(SegmenterService service, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
