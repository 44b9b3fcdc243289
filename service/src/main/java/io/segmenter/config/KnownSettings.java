package io.segmenter.config;

import io.segmenter.serde.AvroSerdeConfig;
import io.segmenter.serde.registry.SchemaRegistryClientConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The setting names segmenter knows: its own, Kafka Streams', the Kafka clients', the serde's and the
 * registry client's, plus Kafka Streams' per-client and per-topic prefixes. A name outside them is
 * almost always a typo, which Kafka would only log as "unused" while the default silently applies;
 * so every source (file, environment, options) is checked against them, and a close known name is
 * offered. Names that no ConfigDef lists but that are meant (a custom interceptor's, metrics
 * reporter's or config provider's own settings) are let through by naming them in
 * {@link SegmenterConfig#SETTINGS_PASS_THROUGH}.
 */
public final class KnownSettings {
  /** Kafka Streams' prefixes for per-client and per-topic settings, passed through as they are. */
  static final List<String> PASS_THROUGH_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
      StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX,
      StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX, StreamsConfig.TOPIC_PREFIX,
      AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".");
  /** The most edits between a typed name and a known one for it to be offered ("did you mean"). */
  private static final int MAX_SUGGESTION_DISTANCE = 3;
  private static final Set<String> KAFKA_AND_REGISTRY = kafkaAndRegistryNames();

  private KnownSettings() { }

  /** A Kafka, Kafka Streams or registry setting, or one under Kafka Streams' prefixes. */
  static boolean isKafkaOrRegistry(String name) {
    return KAFKA_AND_REGISTRY.contains(name) || PASS_THROUGH_PREFIXES.stream().anyMatch(name::startsWith);
  }

  /** Any setting segmenter knows (its own, or as {@link #isKafkaOrRegistry}). */
  static boolean isKnown(String name) {
    return SegmenterConfig.CONFIG.names().contains(name) || isKafkaOrRegistry(name);
  }

  /**
   * Throws, naming every key of {@code settings} that is no known setting and not let through by
   * {@link SegmenterConfig#SETTINGS_PASS_THROUGH} (a list of names, and of prefixes ending in '.').
   * Values are never printed: a misspelt {@code sasl.jaas.confg} holds a password.
   */
  public static void requireKnown(Map<String, ?> settings) {
    List<String> passThrough = passThrough(settings.get(SegmenterConfig.SETTINGS_PASS_THROUGH));
    List<String> unknown = new ArrayList<>();
    for (String key : new TreeSet<>(settings.keySet())) {
      if (isKnown(key) || passThrough.stream().anyMatch(p -> p.endsWith(".") ? key.startsWith(p) : key.equals(p))) continue;
      unknown.add("'" + key + "'" + closest(key).map(k -> " (did you mean " + k + "?)").orElse(""));
    }
    if (unknown.isEmpty()) return;
    throw new ConfigException((unknown.size() == 1 ? "unknown setting " : "unknown settings ") + String.join(", ", unknown)
        + ": no segmenter, Kafka, Kafka Streams or schema registry setting has " + (unknown.size() == 1 ? "this name" : "these names")
        + "; a custom plug-in's own setting can be let through with " + SegmenterConfig.SETTINGS_PASS_THROUGH
        + " (docs/CONFIGURATION.md)");
  }

  private static List<String> passThrough(Object value) {
    if (value == null) return List.of();
    List<String> names = new ArrayList<>();
    Iterable<?> items = value instanceof List<?> l ? l : List.of(value.toString().split(","));
    for (Object o : items) {
      String s = String.valueOf(o).trim();
      if (!s.isEmpty()) names.add(s);
    }
    return names;
  }

  /** The known setting nearest to {@code name} by edit distance, if it is close enough to be a typo of it. */
  public static Optional<String> closest(String name) {
    // Short names are offered only for one or two edits: three edits turn "acks" into anything.
    int allowed = Math.min(MAX_SUGGESTION_DISTANCE, Math.max(1, name.length() / 5));
    LevenshteinDistance edits = new LevenshteinDistance(allowed); // -1 beyond the threshold
    Set<String> candidates = new TreeSet<>(KAFKA_AND_REGISTRY);
    candidates.addAll(SegmenterConfig.CONFIG.names());
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : candidates) {
      int d = edits.apply(name, known);
      if (d >= 0 && d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    return Optional.ofNullable(best);
  }

  private static Set<String> kafkaAndRegistryNames() {
    Set<String> names = new HashSet<>(StreamsConfig.configDef().names());
    names.addAll(ConsumerConfig.configNames());
    names.addAll(ProducerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    names.addAll(AvroSerdeConfig.configDef().names());
    names.addAll(SchemaRegistryClientConfig.configDef().names());
    names.add(AbstractConfig.CONFIG_PROVIDERS_CONFIG);
    return Set.copyOf(names);
  }
}
