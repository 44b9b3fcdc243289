package io.segmenter.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * The Kafka client settings in a command's merged settings map: the keys a producer, consumer or
 * admin client knows (bootstrap.servers, security.protocol, sasl.*, ssl.*, ...), plus
 * {@code producer.}/{@code consumer.}/{@code admin.} prefixed keys, which win over the plain ones.
 * segmenter's own keys, the registry's and Kafka Streams' do not reach the clients (they would only
 * be logged as unknown).
 */
final class ClientSettings {
  private ClientSettings() { }

  static Map<String, Object> producer(Map<String, Object> settings) {
    return pick(settings, ProducerConfig.configNames(), "producer.");
  }

  static Map<String, Object> consumer(Map<String, Object> settings) {
    return pick(settings, ConsumerConfig.configNames(), "consumer.");
  }

  static Map<String, Object> admin(Map<String, Object> settings) {
    return pick(settings, AdminClientConfig.configNames(), "admin.");
  }

  /** An admin client's settings with bootstrap.servers (which must be there). */
  static Map<String, Object> adminWithBootstrap(Map<String, Object> settings) {
    Map<String, Object> admin = admin(settings);
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(settings));
    return admin;
  }

  /** bootstrap.servers, or a ConfigException naming it (the CLI turns that into exit code 2). */
  static String bootstrapServers(Map<String, Object> settings) {
    Object value = settings.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (value == null || value.toString().isBlank()) {
      throw new ConfigException("Missing required configuration \"bootstrap.servers\" which has no default value"
          + " (--bootstrap-servers, SEGMENTER_BOOTSTRAP_SERVERS or --config FILE).");
    }
    return value.toString();
  }

  private static Map<String, Object> pick(Map<String, Object> settings, Set<String> known, String prefix) {
    Map<String, Object> out = new HashMap<>();
    settings.forEach((k, v) -> {
      if (known.contains(k)) out.put(k, v);
    });
    settings.forEach((k, v) -> {
      if (k.startsWith(prefix) && known.contains(k.substring(prefix.length()))) out.put(k.substring(prefix.length()), v);
    });
    return out;
  }
}
