package io.segmenter.topology;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when processing throws. An {@link InvalidEventException} is the record's own fault (a
 * value that cannot be true: negative amount, missing customer id, far-future time, ...): the record
 * goes to the dead-letter topic (its original bytes, with the reason) and the stream goes on; the
 * processor checks before it changes any state, so such a record leaves no trace in the stores.
 *
 * <p>Anything else is a bug or an environment fault, not the record's: the task fails, so that
 * exactly-once aborts the transaction with whatever part of the step was done, and the record is
 * processed again once the thread is replaced (with backoff; see the service's thread supervision).
 * Dead-lettering it instead would commit half a step: a change emitted without its sequence number
 * stored, an event recorded as seen but never applied, a re-check lost. Logs name the reason and the
 * record's position, never its content.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
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
    String type = topicTypes.getOrDefault(context.topic(), "other");
    if (!(exception instanceof InvalidEventException invalid)) {
      // Class and frames only: the exception's message comes from our code and names no customer.
      LOG.error("processing failed in {} ({}-{}@{}); failing the task so that the step is rolled back: {}",
          context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception.toString(), exception);
      return Response.fail();
    }
    LOG.debug("dead-lettered {} record {}-{}@{}: {}", type, context.topic(), context.partition(), context.offset(),
        invalid.reason());
    if (metrics != null) metrics.invalidEvent(type, invalid.reason());
    return Response.resume(List.of(DeadLetters.record(dlqTopic, context.sourceRawKey(), context.sourceRawValue(),
        context, exception, invalid.reason(), false, System.currentTimeMillis())));
  }
}
