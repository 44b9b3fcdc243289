package io.segmenter.cli;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.service.TopicSetup;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Before a command produces: the topics it writes must exist. Creates segmenter's topics when asked
 * ({@code --create-topics}, as {@code run} would at start-up), else fails with a message that says
 * what is missing and how to fix it, instead of a producer blocking on metadata for a minute (or a
 * broker auto-creating a topic with the wrong partition count).
 */
final class Topics {
  private static final long TIMEOUT_SECONDS = 60;

  private Topics() { }

  /**
   * @param needed the config keys of the topics the command writes
   */
  static void prepare(SegmenterConfig config, Map<String, Object> settings, boolean create, List<String> needed,
      PrintWriter out) throws Exception {
    Map<String, Object> adminConfig = ClientSettings.adminWithBootstrap(settings);
    adminConfig.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    if (create) {
      List<String> created = TopicSetup.createMissing(config, adminConfig);
      if (!created.isEmpty()) {
        out.println("created topics " + String.join(", ", created));
        out.flush();
        List<String> written = needed.stream().map(config::getString).filter(created::contains).toList();
        try (Admin admin = Admin.create(adminConfig)) {
          awaitLeaders(admin, written, Duration.ofSeconds(TIMEOUT_SECONDS));
        }
      }
      return;
    }
    Set<String> existing;
    try (Admin admin = Admin.create(adminConfig)) {
      existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list the cluster's topics: " + e.getCause().getMessage(), e.getCause());
    }
    List<String> missing = new ArrayList<>();
    for (String key : needed) {
      String topic = config.getString(key);
      if (!existing.contains(topic)) missing.add(topic + " (" + key + ")");
    }
    if (!missing.isEmpty()) {
      throw new MissingTopicsException("missing topic(s) " + String.join(", ", missing)
          + ": pass --create-topics, or start segmenter (run creates them), or create them yourself");
    }
  }

  /**
   * Waits until every partition of the topics has a leader: a topic just created is not writable at
   * once, and producing to it too early is what KAFKA-15591 is about (see EventSender).
   */
  static void awaitLeaders(Admin admin, List<String> topics, Duration timeout) throws Exception {
    if (topics.isEmpty()) return;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        boolean ready = described.values().stream().flatMap(d -> d.partitions().stream())
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (ready) return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) throw e;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + topics + " have no leader for every partition after " + timeout);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** The topics a command writes do not exist. */
  static final class MissingTopicsException extends IllegalStateException {
    MissingTopicsException(String message) {
      super(message);
    }
  }
}
