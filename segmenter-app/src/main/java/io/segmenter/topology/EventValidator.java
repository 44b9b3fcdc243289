package io.segmenter.topology;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import java.math.BigDecimal;
import java.time.Instant;

/** Checks the values a schema cannot: a failure is an {@link InvalidEventException} with a reason. */
final class EventValidator {
  private final String currency;
  private final long maxFutureMs;

  EventValidator(String currency, long maxFutureMs) {
    this.currency = currency;
    this.maxFutureMs = maxFutureMs;
  }

  void check(String key, ClickEvent e, long wallClock) {
    common(key, e.getCustomerId(), e.getOccurredAt(), wallClock);
    if (blank(e.getEventId())) throw new InvalidEventException("MISSING_EVENT_ID", "click event without an event id");
    if (e.getPrice() != null && e.getPrice().signum() < 0) {
      throw new InvalidEventException("NEGATIVE_PRICE", "click event with a negative price");
    }
  }

  void check(String key, OrderEvent e, long wallClock) {
    common(key, e.getCustomerId(), e.getOccurredAt(), wallClock);
    if (blank(e.getOrderId())) throw new InvalidEventException("MISSING_ORDER_ID", "order without an order id");
    BigDecimal amount = e.getAmount();
    if (amount == null || amount.signum() < 0) throw new InvalidEventException("NEGATIVE_AMOUNT", "order amount is negative");
    if (!currency.equals(e.getCurrency())) {
      throw new InvalidEventException("FOREIGN_CURRENCY", "order in " + e.getCurrency()
          + " but spend is summed in " + currency + " (convert upstream or set segmenter.currency)");
    }
  }

  private void common(String key, String customerId, Instant occurredAt, long wallClock) {
    if (blank(customerId)) throw new InvalidEventException("MISSING_CUSTOMER_ID", "event without a customer id");
    if (key != null && !key.equals(customerId)) {
      // State is partitioned by the record key: a record keyed otherwise would split a customer's state.
      throw new InvalidEventException("KEY_MISMATCH", "record key is not the event's customer id");
    }
    if (occurredAt.toEpochMilli() > wallClock + maxFutureMs) {
      throw new InvalidEventException("FUTURE_TIMESTAMP", "event time " + occurredAt + " is in the future");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
