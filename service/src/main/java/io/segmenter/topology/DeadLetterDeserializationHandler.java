package io.segmenter.topology;

import io.segmenter.serde.AvroSerdeException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input bytes that do not decode (not the Confluent wire format, an unknown schema id, a corrupt
 * Avro body, a schema that cannot be read as ours) go to the dead-letter topic with the serde's
 * reason, and the stream goes on.
 *
 * <p>One exception: the registry being unreachable says nothing about the record, and dead-lettering
 * it would lose a good event. The handler then fails the thread; the service replaces it and the
 * record is read again from the last commit (nothing is lost or doubled under exactly-once). Schemas
 * already fetched are cached, so an outage only matters for schema ids this instance has never seen.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  /** The reason of input bytes that fail to decode for a reason the serde does not name. */
  static final String UNDESERIALIZABLE = "UNDESERIALIZABLE";

  private String dlqTopic;
  private SegmenterMetrics metrics;
  private Map<String, String> topicTypes = Map.of();

  @Override
  public void configure(Map<String, ?> configs) {
    dlqTopic = DeadLetters.topic(configs);
    metrics = DeadLetters.metrics(configs);
    topicTypes = DeadLetters.topicTypes(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof AvroSerdeException e && e.isRetriable()) {
      LOG.warn("schema registry unavailable while reading {}-{}@{}; the stream thread restarts and reads it again: {}",
          context.topic(), context.partition(), context.offset(), e.getMessage());
      return Response.fail();
    }
    String reason = exception instanceof AvroSerdeException e ? e.reason().name() : UNDESERIALIZABLE;
    String type = topicTypes.getOrDefault(context.topic(), "other");
    LOG.debug("dead-lettered {} record {}-{}@{}: {}", type, context.topic(), context.partition(), context.offset(), reason);
    if (metrics != null) metrics.invalidEvent(type, reason);
    return Response.resume(List.of(DeadLetters.record(dlqTopic, record.key(), record.value(), context, exception,
        reason, !(exception instanceof AvroSerdeException), System.currentTimeMillis())));
  }
}
