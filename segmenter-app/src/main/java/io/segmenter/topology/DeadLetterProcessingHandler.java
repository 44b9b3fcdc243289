package io.segmenter.topology;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the processor throws on goes to the dead-letter topic (its original bytes, with the
 * reason) and the stream goes on: an {@link InvalidEventException} (a value that cannot be true:
 * negative amount, missing customer id, far-future time, ...) with its own reason, anything else as
 * PROCESSING_ERROR with the stack trace. The processor checks before it changes any state, so a
 * rejected record leaves no trace in the stores. Logs name the reason and the record's position,
 * never its content.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  static final String PROCESSING_ERROR = "PROCESSING_ERROR";
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

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
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    boolean invalid = exception instanceof InvalidEventException;
    String reason = invalid ? ((InvalidEventException) exception).reason() : PROCESSING_ERROR;
    String type = topicTypes.getOrDefault(context.topic(), "other");
    if (invalid) {
      LOG.debug("dead-lettered {} record {}-{}@{}: {}", type, context.topic(), context.partition(), context.offset(), reason);
    } else {
      // A bug or an environment fault, not bad input: worth a stack trace (class and frames, no values).
      LOG.warn("processing failed for {} record {}-{}@{}; dead-lettered: {}", type, context.topic(), context.partition(),
          context.offset(), exception.getClass().getName(), exception);
    }
    if (metrics != null) metrics.invalidEvent(type, reason);
    if (context.sourceRawValue() == null && context.sourceRawKey() == null) {
      // Raised by a punctuation, not by an input record: there is nothing to dead-letter.
      return Response.resume();
    }
    return Response.resume(List.of(DeadLetters.record(dlqTopic, context.sourceRawKey(), context.sourceRawValue(),
        context, exception, reason, !invalid, System.currentTimeMillis())));
  }
}
