package io.segmenter.topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the dead-letter record of an input that could not be processed: the original key and value
 * bytes and headers, and headers saying why, where from and when.
 *
 * <p>The {@code __streams.errors.*} headers are the ones Kafka Streams' own dead-letter queue writes
 * (KIP-1034), so tools made for it read ours; the {@code segmenter.dlq.*} headers add the
 * machine-readable reason, the wall-clock time of the rejection (also the record's timestamp) and the
 * original record's timestamp as Kafka Streams saw it (epoch milliseconds). Header values are UTF-8 text.
 * Messages never carry personal data (see {@link InvalidEventException}); stack traces are written
 * only for unexpected failures, where they are what a developer needs.
 */
final class DeadLetters {
  static final String EXCEPTION = "__streams.errors.exception";
  static final String MESSAGE = "__streams.errors.message";
  static final String STACKTRACE = "__streams.errors.stacktrace";
  static final String TOPIC = "__streams.errors.topic";
  static final String PARTITION = "__streams.errors.partition";
  static final String OFFSET = "__streams.errors.offset";
  static final String REASON = "segmenter.dlq.reason";
  static final String REJECTED_AT = "segmenter.dlq.rejected.at";
  static final String EVENT_TIME = "segmenter.dlq.event.time";

  /** Key under which the instance's runtime reaches the handlers through the Streams configuration. */
  static final String RUNTIME_CONFIG = "segmenter.internal.runtime";
  /** Key of the map input topic -> event type (click, order, erasure, outcome), for the metrics' type label. */
  static final String TOPIC_TYPES_CONFIG = "segmenter.internal.topic.types";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private DeadLetters() { }

  static ProducerRecord<byte[], byte[]> record(String dlqTopic, byte[] key, byte[] value, ErrorHandlerContext context,
      Exception error, String reason, boolean withStackTrace, long wallClock) {
    // Stamped with the wall clock, not the record's event time: a far-future time (one reason to be
    // here) is refused by the broker (message.timestamp.after.max.ms, 1 hour by default), and an old
    // one would be deleted by time-based retention before anyone looked. The event time is a header.
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(dlqTopic, null, wallClock, key, value);
    if (context.headers() != null) {
      for (Header h : context.headers()) r.headers().add(h);
    }
    addHeaders(r.headers(), new Origin(context.topic(), context.partition(), context.offset(), context.timestamp()),
        error, reason, withStackTrace, wallClock);
    return r;
  }

  /** Where a dead-lettered record was read: topic, partition, offset and its timestamp. */
  record Origin(String topic, int partition, long offset, long timestamp) { }

  /** Adds the headers that say why, where from and when (see the class comment). */
  static void addHeaders(Headers headers, Origin origin, Exception error, String reason, boolean withStackTrace,
      long wallClock) {
    add(headers, EXCEPTION, error.getClass().getName());
    add(headers, MESSAGE, String.valueOf(error.getMessage()));
    if (withStackTrace) {
      java.io.StringWriter trace = new java.io.StringWriter();
      error.printStackTrace(new java.io.PrintWriter(trace));
      add(headers, STACKTRACE, trace.toString());
    }
    add(headers, TOPIC, origin.topic());
    add(headers, PARTITION, Integer.toString(origin.partition()));
    add(headers, OFFSET, Long.toString(origin.offset()));
    add(headers, REASON, reason);
    add(headers, REJECTED_AT, Instant.ofEpochMilli(wallClock).toString());
    add(headers, EVENT_TIME, Long.toString(origin.timestamp()));
  }

  private static void add(Headers headers, String name, String value) {
    headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** The dead-letter topic from the Streams configuration; a handler without it cannot keep its promise. */
  static String topic(Map<String, ?> configs) {
    Object t = configs.get(org.apache.kafka.streams.StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (t == null || t.toString().isBlank()) {
      throw new org.apache.kafka.common.config.ConfigException(
          org.apache.kafka.streams.StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, t,
          "segmenter's error handlers need a dead-letter topic (set segmenter.topic.dlq)");
    }
    return t.toString();
  }

  /** The instance's metrics, when the runtime was attached to the configuration (see SegmenterRuntime.attachTo). */
  static SegmenterMetrics metrics(Map<String, ?> configs) {
    Object runtime = configs.get(RUNTIME_CONFIG);
    if (runtime instanceof SegmenterRuntime r) return r.metrics();
    LOG.warn("no segmenter runtime in the Streams configuration: dead-lettered records are not counted in metrics");
    return null;
  }

  /** Adds what the handlers need beyond Kafka's own settings: the runtime (metrics) and the input topics. */
  static void attach(java.util.Properties props, io.segmenter.config.SegmenterConfig config, SegmenterRuntime runtime) {
    props.put(RUNTIME_CONFIG, runtime);
    Map<String, String> types = new java.util.HashMap<>(Map.of(
        config.getString(io.segmenter.config.SegmenterConfig.TOPIC_CLICKS), "click",
        config.getString(io.segmenter.config.SegmenterConfig.TOPIC_ORDERS), "order",
        config.getString(io.segmenter.config.SegmenterConfig.TOPIC_ERASURES), "erasure"));
    if (config.outcomesEnabled()) {
      types.put(config.getString(io.segmenter.config.SegmenterConfig.TOPIC_OUTCOMES), "outcome");
    }
    props.put(TOPIC_TYPES_CONFIG, Map.copyOf(types));
  }

  /** Input topic -> event type, as attached; empty when not attached. */
  static Map<String, String> topicTypes(Map<String, ?> configs) {
    Object m = configs.get(TOPIC_TYPES_CONFIG);
    if (!(m instanceof Map<?, ?> map)) return Map.of();
    Map<String, String> out = new java.util.HashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }
}
