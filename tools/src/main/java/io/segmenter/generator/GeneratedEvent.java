package io.segmenter.generator;

import io.segmenter.events.OrderEvent;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One generated event with its ground truth.
 *
 * @param customerId   the customer, also the Kafka key the event belongs under
 * @param persona      the customer's ground-truth persona
 * @param event        a {@link io.segmenter.events.ClickEvent} or an {@link OrderEvent}
 * @param occurredAtMs when the event is emitted, the order of the stream. Equal to the record's
 *                     occurredAt, except for a duplicate: a producer retry re-sends the exact same
 *                     record (same id, same occurredAt) a little later, at occurredAtMs
 * @param duplicate    true for such a deliberately re-sent copy
 */
public record GeneratedEvent(String customerId, Persona persona, SpecificRecord event, long occurredAtMs,
    boolean duplicate) {

  public GeneratedEvent {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(persona, "persona");
    Objects.requireNonNull(event, "event");
  }

  /** An original (not re-sent) event. */
  public GeneratedEvent(String customerId, Persona persona, SpecificRecord event, long occurredAtMs) {
    this(customerId, persona, event, occurredAtMs, false);
  }

  public boolean isOrder() {
    return event instanceof OrderEvent;
  }

  public boolean isDuplicate() {
    return duplicate;
  }

  GeneratedEvent resentAt(long atMs) {
    return new GeneratedEvent(customerId, persona, event, atMs, true);
  }
}
