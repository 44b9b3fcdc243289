package io.segmenter.it;

import io.segmenter.config.SegmenterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the strategy ITs ({@link StrategyPromotionIT}, {@link StrategyComparisonIT}) share: a
 * deployment's own topic names on the shared broker, and the waits on Kafka they poll with a deadline.
 */
final class StrategyRuns {
  static final int PARTITIONS = 2;
  private static final List<String> TOPICS = List.of("CLICKS", "ORDERS", "ERASURES", "SEGMENT_CHANGES",
      "CUSTOMER_SEGMENTS", "SEGMENT_CATALOG", "DLQ");

  private StrategyRuns() { }

  /**
   * The SEGMENTER_* variables every process of the deployment gets: the broker, the registry and
   * topics named after the application id (the model and control topics follow from the id).
   */
  static Map<String, String> cluster(SharedKafka kafka, String registryUrl, String app) {
    Map<String, String> env = new HashMap<>();
    env.put("SEGMENTER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("SEGMENTER_SCHEMA_REGISTRY_URL", registryUrl);
    for (String topic : TOPICS) env.put("SEGMENTER_TOPIC_" + topic, topicName(app, topic));
    env.put("SEGMENTER_TOPICS_PARTITIONS", Integer.toString(PARTITIONS));
    return env;
  }

  /** The same names as settings, for a producer in the test's JVM (EventSender). */
  static Map<String, Object> clientSettings(Map<String, String> cluster, String app) {
    Map<String, Object> s = new HashMap<>();
    s.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.get("SEGMENTER_BOOTSTRAP_SERVERS"));
    s.put(SegmenterConfig.SCHEMA_REGISTRY_URL, cluster.get("SEGMENTER_SCHEMA_REGISTRY_URL"));
    s.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    s.put(SegmenterConfig.TOPIC_CLICKS, topicName(app, "CLICKS"));
    s.put(SegmenterConfig.TOPIC_ORDERS, topicName(app, "ORDERS"));
    return s;
  }

  private static String topicName(String app, String topic) {
    return app + "-" + topic.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static void await(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
    Deployment.await(what, deadline, condition);
  }

  /** The end offset of a one-partition topic, 0 while it does not exist. */
  static long endOffset(Admin admin, String topic) {
    try {
      TopicPartition p = new TopicPartition(topic, 0);
      return admin.listOffsets(Map.of(p, OffsetSpec.latest())).partitionResult(p).get(30, TimeUnit.SECONDS).offset();
    } catch (Exception notYetCreated) {
      return 0;
    }
  }

  /** Waits until the application's group has committed every input record produced so far. */
  static void awaitInputConsumed(Admin admin, String app, Map<String, String> cluster, Duration deadline) throws Exception {
    Map<TopicPartition, Long> ends = inputEnds(admin, cluster);
    await("every input event consumed", deadline, () -> {
      Map<TopicPartition, Long> committed = inputCommitted(admin, app, cluster);
      // An empty partition (no clicks in an order replay) never gets a committed offset.
      return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.get(e.getKey()) >= e.getValue());
    });
  }

  /** The end offset of every input partition (clicks and orders). */
  static Map<TopicPartition, Long> inputEnds(Admin admin, Map<String, String> cluster) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    inputs(cluster).forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** The group's committed offset on every input partition, 0 where it has committed none yet. */
  static Map<TopicPartition, Long> inputCommitted(Admin admin, String app, Map<String, String> cluster) {
    try {
      var committed = admin.listConsumerGroupOffsets(app).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, Long> out = new HashMap<>();
      for (TopicPartition tp : inputs(cluster)) {
        out.put(tp, committed.get(tp) == null ? 0L : committed.get(tp).offset());
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<TopicPartition> inputs(Map<String, String> cluster) {
    List<TopicPartition> inputs = new ArrayList<>();
    for (String t : List.of(cluster.get("SEGMENTER_TOPIC_CLICKS"), cluster.get("SEGMENTER_TOPIC_ORDERS"))) {
      for (int p = 0; p < PARTITIONS; p++) inputs.add(new TopicPartition(t, p));
    }
    return inputs;
  }

  /** GET /strategies of an instance, or null while it does not answer 200. */
  static com.fasterxml.jackson.databind.JsonNode strategies(SegmenterProcess p) {
    try {
      java.net.http.HttpResponse<String> r = p.get("/strategies");
      return r.statusCode() == 200 ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()) : null;
    } catch (Exception notYet) {
      return null;
    }
  }
}
