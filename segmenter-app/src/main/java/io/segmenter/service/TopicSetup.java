package io.segmenter.service;

import io.segmenter.config.SegmenterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics segmenter reads and writes, created at start-up when missing (an existing topic is left
 * as it is). The model topics have one partition: one aggregator task, one order of versions.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() { }

  /** The topics, with partitions and configuration, as segmenter wants them. */
  public static List<NewTopic> topics(SegmenterConfig config) {
    int partitions = config.getInt(SegmenterConfig.TOPICS_PARTITIONS);
    Optional<Integer> p = Optional.of(partitions);
    Optional<Short> rf = config.getShort(SegmenterConfig.TOPICS_REPLICATION) < 0
        ? Optional.empty() : Optional.of(config.getShort(SegmenterConfig.TOPICS_REPLICATION));
    Map<String, String> compact = Map.of("cleanup.policy", "compact");
    return List.of(
        new NewTopic(config.getString(SegmenterConfig.TOPIC_CLICKS), p, rf),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_ORDERS), p, rf),
        // Partitioned like the event topics: a customer's erasure lands in the task that holds them.
        new NewTopic(config.getString(SegmenterConfig.TOPIC_ERASURES), p, rf),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_SEGMENT_CHANGES), p, rf),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS), p, rf).configs(compact),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_MODEL_DELTAS), Optional.of(1), rf),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_MODEL), Optional.of(1), rf).configs(compact),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_DLQ), p, rf));
  }

  /** Creates the topics that do not exist yet; returns the names it created. */
  public static List<String> createMissing(SegmenterConfig config, Map<String, Object> adminConfig)
      throws InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(adminConfig)) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (NewTopic t : topics(config)) {
        if (!existing.contains(t.name())) missing.add(t);
      }
      List<String> created = new ArrayList<>();
      for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e : admin.createTopics(missing).values().entrySet()) {
        try {
          e.getValue().get(60, TimeUnit.SECONDS);
          created.add(e.getKey());
        } catch (ExecutionException ex) {
          // Another instance starting at the same moment may have created it first.
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + e.getKey() + ": " + ex.getCause().getMessage(), ex.getCause());
          }
        }
      }
      if (!created.isEmpty()) LOG.info("created topics {}", created);
      return created;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
