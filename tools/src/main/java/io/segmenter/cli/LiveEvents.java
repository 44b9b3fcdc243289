package io.segmenter.cli;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import org.apache.avro.specific.SpecificRecord;

/**
 * Live events for the customers of a generated history, after it: the same customers (same seed
 * and count, so the same personas) simulated onward in rounds of {@link #ROUND_SPAN}, each event
 * re-stamped with the wall-clock time at which it is sent. Time is compressed: the caller paces the
 * events (e.g. 20 per second), so a simulated week passes in minutes, but each customer's events
 * keep their order and their kind (a champion keeps buying, a window shopper keeps browsing; a
 * lapsing customer of the history may come back for a while, a new one may return).
 *
 * <p>Event, session and order ids get a per-round prefix ({@code live1-...}) so that they never
 * repeat the history's ids (segmenter de-duplicates by id). Endless: a finished round starts the
 * next one.
 */
final class LiveEvents {
  static final Duration ROUND_SPAN = Duration.ofDays(30);

  private final GeneratorConfig base;
  private final Instant historyEnd;
  private int round;
  private Iterator<GeneratedEvent> current;

  /** Continues {@code history} from its end. */
  LiveEvents(GeneratorConfig history) {
    this.base = history.withSpan(ROUND_SPAN);
    this.historyEnd = history.end();
  }

  /** Rounds started so far (1 after the first event). */
  int round() {
    return round;
  }

  /** The next event, dated {@code nowMs}. */
  GeneratedEvent next(long nowMs) {
    while (current == null || !current.hasNext()) {
      round++;
      Instant start = historyEnd.plus(ROUND_SPAN.multipliedBy(round - 1L));
      current = SyntheticGenerator.create(base.withStart(start)).iterator();
    }
    GeneratedEvent e = current.next();
    return new GeneratedEvent(e.customerId(), e.persona(), restamp(e.event(), "live" + round + "-", nowMs), nowMs);
  }

  /** A copy with prefixed ids and occurredAt = at (constructors, not builders: see CustomerStream). */
  static SpecificRecord restamp(SpecificRecord event, String prefix, long atMs) {
    Instant at = Instant.ofEpochMilli(atMs);
    if (event instanceof ClickEvent c) {
      return new ClickEvent(prefix + c.getEventId(), c.getCustomerId(), prefix + c.getSessionId(), c.getType(),
          c.getProductId(), c.getCategory(), c.getPrice(), c.getChannel(), c.getDevice(), at);
    }
    OrderEvent o = (OrderEvent) event;
    return new OrderEvent(prefix + o.getOrderId(), o.getCustomerId(), o.getStatus(), o.getAmount(), o.getCurrency(),
        o.getItemCount(), o.getCategories(), at);
  }
}
