package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.OrderEvent;
import io.segmenter.replay.OnlineRetailOrders;
import io.segmenter.service.SegmenterService;
import io.segmenter.service.TopicSetup;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The UCI Online Retail II file (2009-2010) replayed into two fresh deployments on the in-JVM broker
 * (4 partitions, 2 stream threads each, the model's default settings; the two run at the same time):
 * the same segment names, and per segment populations within 5 %. Wall-clock timing decides where
 * the deltas and versions fall, which differs between the two runs; the segmentation must not.
 *
 * <p>"The segmentation" is what the final model makes of the customers: each customer's nearest
 * segment under it, as {@code /customers/{id}} reports ({@code nearest}). The segments customers
 * were last assigned to ({@code segment}) are printed beside it: they also depend on when each
 * customer was last evaluated, and on the hysteresis that keeps customers from flapping.
 */
class ReproducibleSegmentationIT {
  @RegisterExtension
  static final SharedKafka KAFKA = new SharedKafka();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double TOLERANCE = 0.05;

  /** One run's outcome. */
  record Outcome(String name, long version, int k, Map<String, Integer> nearest, Map<String, Integer> assigned) { }

  @Test
  @Timeout(1200)
  void onlineRetailReplayedTwiceGivesTheSameSegmentation() throws Exception {
    OnlineRetailOrders.Result data = OnlineRetailOrders.read(OnlineRetailOrders.defaultLocation());
    Set<String> customers = new TreeSet<>();
    for (OrderEvent o : data.orders()) customers.add(o.getCustomerId());
    ExecutorService runs = Executors.newFixedThreadPool(2);
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      // The two deployments share nothing but the broker and the registry: run side by side, so that
      // their waits (every customer segmented, then 20 s without a new version) overlap.
      Future<Outcome> firstRun = runs.submit(() -> run("repro-first", data.orders(), customers, registry.url()));
      Future<Outcome> secondRun = runs.submit(() -> run("repro-second", data.orders(), customers, registry.url()));
      Outcome first = firstRun.get();
      Outcome second = secondRun.get();

      Set<String> names = new LinkedHashSet<>(first.nearest().keySet());
      names.addAll(second.nearest().keySet());
      System.out.printf("%nReproducibleSegmentationIT: %,d orders, %,d customers; model v%d (k=%d) and v%d (k=%d)%n",
          data.orders().size(), customers.size(), first.version(), first.k(), second.version(), second.k());
      System.out.printf("%-20s %12s %12s %8s   %12s %12s%n", "segment", "first run", "second run", "diff",
          "assigned 1", "assigned 2");
      double worst = 0;
      for (String name : names) {
        int a = first.nearest().getOrDefault(name, 0);
        int b = second.nearest().getOrDefault(name, 0);
        double diff = Math.abs(a - b) / (double) Math.max(a, b);
        worst = Math.max(worst, diff);
        System.out.printf("%-20s %12d %12d %7.1f%%   %12d %12d%n", name, a, b, 100 * diff,
            first.assigned().getOrDefault(name, 0), second.assigned().getOrDefault(name, 0));
      }
      System.out.printf("worst population difference %.1f%% (must be <= %.0f%%)%n", 100 * worst, 100 * TOLERANCE);

      assertThat(second.nearest().keySet()).as("segment names of the two runs").isEqualTo(first.nearest().keySet());
      for (String name : names) {
        int a = first.nearest().get(name);
        int b = second.nearest().get(name);
        assertThat((double) Math.abs(a - b)).as("customers in %s: %d and %d", name, a, b)
            .isLessThanOrEqualTo(TOLERANCE * Math.max(a, b));
      }
    } finally {
      runs.shutdownNow();
    }
  }

  private Outcome run(String prefix, List<OrderEvent> orders, Set<String> customers, String registryUrl) throws Exception {
    Deployment d = new Deployment(KAFKA, registryUrl, SharedKafka.uniqueName(prefix));
    // The model as a user gets it: Deployment's quick-first-model settings off.
    for (String key : List.of(SegmenterConfig.MODEL_WARMUP_POINTS, SegmenterConfig.MODEL_MIN_BATCH_POINTS,
        SegmenterConfig.MODEL_DELTA_POINTS, SegmenterConfig.MODEL_DELTA_INTERVAL_MS)) {
      d.settings.remove(key);
    }
    d.settings.put(SegmenterConfig.TOPICS_PARTITIONS, 4);
    d.settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
    d.settings.put(SegmenterConfig.CURRENCY, OnlineRetailOrders.CURRENCY);
    SegmenterConfig config = d.config();
    TopicSetup.createMissing(config, KAFKA.clientConfig());
    try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
      for (OrderEvent o : orders) sender.send(o.getCustomerId(), o);
      sender.flush();
      assertThat(sender.ackedOrders()).isEqualTo(orders.size());
    }
    try (SegmenterService service = d.start()) {
      // Every customer has a segment, and the model has stopped changing: no new version for 20 s
      // (the last deltas are below a batch: they wait for more data, as in production).
      Deployment.await("a segment for every customer", Duration.ofMinutes(10), () -> customersWithSegment(service) == customers.size());
      long[] seen = {Deployment.modelVersion(service), System.nanoTime()};
      Deployment.await("a stable model version", Duration.ofMinutes(5), () -> {
        long v = Deployment.modelVersion(service);
        if (v != seen[0]) {
          seen[0] = v;
          seen[1] = System.nanoTime();
        }
        return System.nanoTime() - seen[1] > Duration.ofSeconds(20).toNanos();
      });
      Map<String, Integer> nearest = new TreeMap<>();
      Map<String, Integer> assigned = new TreeMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<JsonNode>> answers = new ArrayList<>();
        for (String id : customers) {
          answers.add(pool.submit(() -> json(Deployment.get(service, "/customers/" + URLEncoder.encode(id, StandardCharsets.UTF_8)))));
        }
        for (Future<JsonNode> f : answers) {
          JsonNode c = f.get(60, TimeUnit.SECONDS);
          nearest.merge(c.path("nearest").path("name").asText("none"), 1, Integer::sum);
          assigned.merge(c.path("segment").path("name").asText("none"), 1, Integer::sum);
        }
      } finally {
        pool.shutdownNow();
      }
      JsonNode model = json(Deployment.get(service, "/model"));
      System.out.printf("%s: model v%d, k=%d, chosen %s%n", d.name, model.path("version").asLong(),
          model.path("k").asInt(), model.path("clusterCount").toString());
      return new Outcome(d.name, model.path("version").asLong(), model.path("k").asInt(), nearest, assigned);
    }
  }

  private static long customersWithSegment(SegmenterService service) {
    try {
      HttpResponse<String> r = Deployment.get(service, "/segments");
      return r.statusCode() == 200 ? JSON.readTree(r.body()).path("customers").asLong() : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as("%s: %s", r.uri(), r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
