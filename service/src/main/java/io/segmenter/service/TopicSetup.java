package io.segmenter.service;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.config.StrategySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics segmenter reads and writes, created at start-up when missing (an existing topic is left
 * as it is), then checked ({@link #check}): the model topics have one partition (one aggregator task,
 * one order of versions) and the model topic is compacted; the inputs are co-partitioned.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
  private static final long TIMEOUT_SECONDS = 60;
  /** How long the check waits for topics created a moment ago to show in the metadata. */
  private static final Duration NEW_TOPIC_WAIT = Duration.ofSeconds(30);
  /** The settings that name segmenter's topics, inputs first. */
  static final List<String> TOPIC_KEYS = List.of(SegmenterConfig.TOPIC_CLICKS, SegmenterConfig.TOPIC_ORDERS,
      SegmenterConfig.TOPIC_ERASURES, SegmenterConfig.TOPIC_SEGMENT_CHANGES, SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS,
      SegmenterConfig.TOPIC_SEGMENT_CATALOG,
      SegmenterConfig.TOPIC_MODEL_DELTAS, SegmenterConfig.TOPIC_MODEL, SegmenterConfig.TOPIC_DLQ);

  private TopicSetup() { }

  /** The topics, with partitions and configuration, as segmenter wants them. */
  public static List<NewTopic> topics(SegmenterConfig config) {
    int partitions = config.getInt(SegmenterConfig.TOPICS_PARTITIONS);
    Optional<Integer> p = Optional.of(partitions);
    Optional<Short> rf = config.getShort(SegmenterConfig.TOPICS_REPLICATION) < 0
        ? Optional.empty() : Optional.of(config.getShort(SegmenterConfig.TOPICS_REPLICATION));
    Map<String, String> compact = Map.of("cleanup.policy", "compact");
    List<NewTopic> topics = new ArrayList<>(List.of(
        new NewTopic(config.getString(SegmenterConfig.TOPIC_CLICKS), p, rf),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_ORDERS), p, rf),
        // Partitioned like the event topics: a customer's erasure lands in the task that holds them.
        new NewTopic(config.getString(SegmenterConfig.TOPIC_ERASURES), p, rf),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_SEGMENT_CHANGES), p, rf),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS), p, rf).configs(compact),
        // One partition: written by the single aggregator, small, and read whole by every consumer.
        new NewTopic(config.getString(SegmenterConfig.TOPIC_SEGMENT_CATALOG), Optional.of(1), rf).configs(compact),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_MODEL_DELTAS), Optional.of(1), rf),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_MODEL), Optional.of(1), rf).configs(compact),
        new NewTopic(config.getString(SegmenterConfig.TOPIC_DLQ), p, rf)));
    // Each challenger has model topics of its own, made like the default strategy's; the control
    // topic holds the champion's name (one partition, compacted: the newest promotion is what counts).
    for (StrategySettings st : challengers(config)) {
      topics.add(new NewTopic(st.deltasTopic(), Optional.of(1), rf));
      topics.add(new NewTopic(st.modelTopic(), Optional.of(1), rf).configs(compact));
    }
    if (!challengers(config).isEmpty()) {
      topics.add(new NewTopic(config.getString(SegmenterConfig.TOPIC_STRATEGY), Optional.of(1), rf).configs(compact));
    }
    // Optional input, partitioned like the others: a customer's outcomes are looked up in the task holding them.
    if (config.outcomesEnabled()) topics.add(new NewTopic(config.getString(SegmenterConfig.TOPIC_OUTCOMES), p, rf));
    return List.copyOf(topics);
  }

  private static List<StrategySettings> challengers(SegmenterConfig config) {
    return config.strategies().stream().filter(st -> !st.isDefault()).toList();
  }

  /**
   * What {@code run} does before the streams start, with one admin client: creates the missing topics
   * when {@code segmenter.topics.create} is on, then {@link #check}s them all.
   */
  public static void prepare(SegmenterConfig config, Map<String, Object> adminConfig)
      throws InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(adminConfig)) {
      if (config.getBoolean(SegmenterConfig.TOPICS_CREATE)) createMissing(config, admin);
      check(config, admin);
    }
  }

  /** Creates the topics that do not exist yet; returns the names it created. */
  public static List<String> createMissing(SegmenterConfig config, Map<String, Object> adminConfig)
      throws InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(adminConfig)) {
      return createMissing(config, admin);
    }
  }

  private static List<String> createMissing(SegmenterConfig config, Admin admin)
      throws InterruptedException, TimeoutException {
    try {
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

  /**
   * Checks the topics as they are on the cluster, before the streams start: a wrong one would fail
   * later and obscurely (a second partition of model-deltas means a second aggregator and two
   * interleaved version sequences; an uncompacted model topic loses the model to retention; input
   * topics with different partition counts cannot be co-partitioned). Every topic must exist (with
   * {@code segmenter.topics.create} on, {@link #createMissing} has just created the missing ones).
   *
   * @throws TopicCheckException naming every topic that is missing or wrong, what it has and what it needs
   */
  static void check(SegmenterConfig config, Admin admin) throws InterruptedException, TimeoutException {
    Map<String, String> keyOf = new LinkedHashMap<>();
    for (String key : TOPIC_KEYS) keyOf.putIfAbsent(config.getString(key), key);
    for (StrategySettings st : challengers(config)) {
      keyOf.putIfAbsent(st.deltasTopic(), SegmenterConfig.STRATEGY_CHALLENGERS);
      keyOf.putIfAbsent(st.modelTopic(), SegmenterConfig.STRATEGY_CHALLENGERS);
    }
    if (!challengers(config).isEmpty()) keyOf.putIfAbsent(config.getString(SegmenterConfig.TOPIC_STRATEGY),
        SegmenterConfig.TOPIC_STRATEGY);
    if (config.outcomesEnabled()) keyOf.putIfAbsent(config.getString(SegmenterConfig.TOPIC_OUTCOMES),
        SegmenterConfig.TOPIC_OUTCOMES);
    boolean created = config.getBoolean(SegmenterConfig.TOPICS_CREATE);
    Map<String, TopicDescription> found = describe(admin, keyOf.keySet(), created ? NEW_TOPIC_WAIT : Duration.ZERO);
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> e : keyOf.entrySet()) {
      if (!found.containsKey(e.getKey())) missing.add(e.getKey() + " (" + e.getValue() + ")");
    }
    if (!missing.isEmpty()) {
      String model = config.getString(SegmenterConfig.TOPIC_MODEL);
      throw new TopicCheckException("missing topic(s) " + String.join(", ", missing)
          + (created ? ": they were not visible " + NEW_TOPIC_WAIT.toSeconds() + " s after their creation"
              : ": " + SegmenterConfig.TOPICS_CREATE + " is false, so create them (the inputs with the same "
                  + "partition count; " + config.getString(SegmenterConfig.TOPIC_MODEL_DELTAS) + " and " + model
                  + " with one partition, " + model + " with cleanup.policy=compact) or set "
                  + SegmenterConfig.TOPICS_CREATE + "=true"));
    }
    List<String> problems = new ArrayList<>();
    onePartition(problems, found, config, SegmenterConfig.TOPIC_MODEL_DELTAS,
        "one aggregator, one order of versions", "a one-partition topic");
    onePartition(problems, found, config, SegmenterConfig.TOPIC_MODEL,
        "one order of versions, read whole by every instance", "a one-partition compacted topic");
    // Each challenger's model topics, and the control topic, are single-partition like the default ones:
    // one aggregator per strategy, one order of versions, one order of promotions (the last one wins).
    for (StrategySettings st : challengers(config)) {
      onePartition(problems, found, st.deltasTopic(), SegmenterConfig.STRATEGY_CHALLENGERS, "one aggregator, one order of versions");
      onePartition(problems, found, st.modelTopic(), SegmenterConfig.STRATEGY_CHALLENGERS, "one order of versions");
    }
    if (!challengers(config).isEmpty()) {
      onePartition(problems, found, config.getString(SegmenterConfig.TOPIC_STRATEGY), SegmenterConfig.TOPIC_STRATEGY,
          "one order of promotions");
    }
    compacted(problems, admin, config);
    Map<String, Integer> partitionCounts = new LinkedHashMap<>();
    found.forEach((topic, d) -> partitionCounts.put(topic, d.partitions().size()));
    problems.addAll(coPartitioningProblems(config, partitionCounts));
    if (!problems.isEmpty()) throw new TopicCheckException(String.join("; ", problems));
    LOG.info("topics checked: {}", keyOf.keySet());
  }

  private static void onePartition(List<String> problems, Map<String, TopicDescription> found, String topic, String key,
      String why) {
    int partitions = found.get(topic).partitions().size();
    if (partitions != 1) {
      problems.add("topic " + topic + " has " + partitions(partitions) + "; it needs exactly 1 (" + why
          + "): delete it and let segmenter create it (" + key + ")");
    }
  }

  private static void onePartition(List<String> problems, Map<String, TopicDescription> found, SegmenterConfig config,
      String key, String why, String instead) {
    String topic = config.getString(key);
    int partitions = found.get(topic).partitions().size();
    if (partitions != 1) {
      problems.add("topic " + topic + " has " + partitions(partitions) + "; it needs exactly 1 (" + why
          + "): delete it or point " + key + " at " + instead);
    }
  }

  private static void compacted(List<String> problems, Admin admin, SegmenterConfig config)
      throws InterruptedException, TimeoutException {
    String topic = config.getString(SegmenterConfig.TOPIC_MODEL);
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config topicConfig;
    try {
      topicConfig = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(resource);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        // Reading topic configurations needs DescribeConfigs, which the service itself does not need:
        // a deployment with least privilege runs without this check rather than not at all.
        LOG.warn("cannot read the configuration of topic {} ({}); not checking that it is compacted", topic,
            e.getCause().getMessage());
        return;
      }
      throw new IllegalStateException("cannot read the configuration of topic " + topic + ": " + e.getCause().getMessage(),
          e.getCause());
    }
    ConfigEntry policy = topicConfig == null ? null : topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    String value = policy == null || policy.value() == null ? "" : policy.value();
    boolean compact = Arrays.stream(value.split(",")).map(v -> v.trim().toLowerCase(Locale.ROOT))
        .anyMatch(TopicConfig.CLEANUP_POLICY_COMPACT::equals);
    if (!compact) {
      problems.add("topic " + topic + " has cleanup.policy=" + value + "; it needs compact (the newest model version must "
          + "outlive retention): set cleanup.policy=compact on it or point " + SegmenterConfig.TOPIC_MODEL
          + " at a one-partition compacted topic");
    }
  }

  /**
   * The inputs (clicks, orders, erasures, and outcomes when set) are read together by customer id:
   * one customer's records must meet in one task, so every input needs the partition count of clicks.
   *
   * @param partitionCounts partitions of each topic found, by name (every input must be there)
   * @return one problem per input topic with another count, saying what to do
   */
  static List<String> coPartitioningProblems(SegmenterConfig config, Map<String, Integer> partitionCounts) {
    List<String> problems = new ArrayList<>();
    String clicks = config.getString(SegmenterConfig.TOPIC_CLICKS);
    int expected = partitionCounts.get(clicks);
    for (String key : config.inputTopicKeys()) {
      String topic = config.getString(key);
      int partitions = partitionCounts.get(topic);
      if (partitions != expected) {
        problems.add("topic " + topic + " has " + partitions(partitions) + "; it needs as many as " + clicks + " ("
            + expected + "): the input topics are read together by customer id, so each customer's clicks, orders, "
            + "erasures and campaign outcomes must be in the same partition number of each; recreate it with " + expected
            + " partitions or point " + key + " at a topic that has them");
      }
    }
    return problems;
  }

  private static String partitions(int n) {
    return n == 1 ? "1 partition" : n + " partitions";
  }

  /**
   * Describes the topics; those that do not exist are left out. Topics that do not show up are asked
   * again until {@code wait} has passed (metadata of a topic created a moment ago may lag).
   */
  private static Map<String, TopicDescription> describe(Admin admin, Set<String> topics, Duration wait)
      throws InterruptedException, TimeoutException {
    Map<String, TopicDescription> found = new LinkedHashMap<>();
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> pending = new ArrayList<>(topics);
    while (true) {
      Map<String, KafkaFuture<TopicDescription>> answers = admin.describeTopics(pending).topicNameValues();
      List<String> unknown = new ArrayList<>();
      for (String topic : pending) {
        try {
          found.put(topic, answers.get(topic).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
          }
          unknown.add(topic);
        }
      }
      if (unknown.isEmpty() || System.nanoTime() >= deadline) break;
      pending = unknown;
      TimeUnit.MILLISECONDS.sleep(200); // metadata propagation: ask again until the deadline
    }
    return found;
  }
}
