package io.segmenter.topology;

import io.segmenter.events.CampaignOutcome;
import io.segmenter.events.CampaignOutcomeType;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.events.ErasureRequest;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.strategy.CampaignKey;
import io.segmenter.topology.InvalidEventException.Reason;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Checks the values a schema cannot: a failure is an {@link InvalidEventException} with a reason.
 * Every check runs before the processor changes any state, so a rejected record leaves no trace.
 * Messages name the field and the rule, never the value of a customer's data.
 */
final class EventValidator {
  private final String currency;
  private final long maxFutureMs;
  private final long minEventTime;
  private final BigDecimal maxAmount;

  EventValidator(String currency, long maxFutureMs, long minEventTime, double maxAmount) {
    this.currency = currency;
    this.maxFutureMs = maxFutureMs;
    this.minEventTime = minEventTime;
    this.maxAmount = BigDecimal.valueOf(maxAmount);
  }

  void check(String key, ClickEvent e, long wallClock) {
    common(key, e.getCustomerId(), e.getOccurredAt(), wallClock);
    if (blank(e.getEventId())) throw new InvalidEventException(Reason.MISSING_EVENT_ID, "click event without an event id");
    if (e.getType() == null || e.getType() == ClickType.UNKNOWN) {
      // Readers map a click type this version does not know to UNKNOWN: it cannot be counted as anything.
      throw new InvalidEventException(Reason.UNKNOWN_ENUM_SYMBOL, "click type not known to this version (read as UNKNOWN)");
    }
    if (e.getPrice() != null && e.getPrice().signum() < 0) {
      throw new InvalidEventException(Reason.NEGATIVE_PRICE, "click event with a negative price");
    }
    if (e.getPrice() != null && e.getPrice().compareTo(maxAmount) > 0) {
      throw new InvalidEventException(Reason.ABSURD_AMOUNT, "click price above segmenter.validation.max.amount");
    }
  }

  void check(String key, OrderEvent e, long wallClock) {
    common(key, e.getCustomerId(), e.getOccurredAt(), wallClock);
    if (blank(e.getOrderId())) throw new InvalidEventException(Reason.MISSING_ORDER_ID, "order without an order id");
    if (e.getStatus() == null || e.getStatus() == OrderStatus.UNKNOWN) {
      throw new InvalidEventException(Reason.UNKNOWN_ENUM_SYMBOL, "order status not known to this version (read as UNKNOWN)");
    }
    BigDecimal amount = e.getAmount();
    if (amount == null || amount.signum() < 0) throw new InvalidEventException(Reason.NEGATIVE_AMOUNT, "order amount is negative");
    if (amount.compareTo(maxAmount) > 0) {
      throw new InvalidEventException(Reason.ABSURD_AMOUNT, "order amount above segmenter.validation.max.amount");
    }
    if (e.getItemCount() < 0) throw new InvalidEventException(Reason.NEGATIVE_ITEM_COUNT, "order with a negative item count");
    if (!currency.equals(e.getCurrency())) {
      throw new InvalidEventException(Reason.FOREIGN_CURRENCY, "order in " + e.getCurrency()
          + " but spend is summed in " + currency + " (convert upstream or set segmenter.currency)");
    }
  }

  void check(String key, CampaignOutcome e, long wallClock) {
    common(key, e.getCustomerId(), e.getOccurredAt(), wallClock);
    String problem = CampaignKey.checkCampaign(e.getCampaignId());
    if (problem != null) throw new InvalidEventException(Reason.INVALID_CAMPAIGN_ID, problem);
    if (e.getOutcome() == null || e.getOutcome() == CampaignOutcomeType.UNKNOWN) {
      throw new InvalidEventException(Reason.UNKNOWN_ENUM_SYMBOL, "campaign outcome not known to this version (read as UNKNOWN)");
    }
  }

  void check(String key, ErasureRequest e) {
    if (blank(e.getCustomerId())) throw new InvalidEventException(Reason.MISSING_CUSTOMER_ID, "erasure request without a customer id");
    requirePrintable(e.getCustomerId());
    // An erasure keyed otherwise would run in another customer's partition and find nothing to erase.
    if (key == null || !key.equals(e.getCustomerId())) {
      throw new InvalidEventException(Reason.KEY_MISMATCH, "record key is not the erasure request's customer id");
    }
  }

  private void common(String key, String customerId, Instant occurredAt, long wallClock) {
    if (blank(customerId)) throw new InvalidEventException(Reason.MISSING_CUSTOMER_ID, "event without a customer id");
    requirePrintable(customerId);
    if (key == null || !key.equals(customerId)) {
      // State is partitioned by the record key: a record keyed otherwise (or not at all, and so placed
      // in any partition) would split a customer's state between tasks.
      throw new InvalidEventException(Reason.KEY_MISMATCH, "record key is not the event's customer id");
    }
    if (occurredAt.toEpochMilli() > wallClock + maxFutureMs) {
      throw new InvalidEventException(Reason.FUTURE_TIMESTAMP, "event time " + occurredAt + " is in the future");
    }
    if (occurredAt.toEpochMilli() < minEventTime) {
      throw new InvalidEventException(Reason.TIMESTAMP_TOO_OLD, "event time " + occurredAt
          + " is before segmenter.validation.min.event.time");
    }
  }

  /** Control characters in an id are a broken producer; they would also break the stores' key order (DedupKeys). */
  private static void requirePrintable(String customerId) {
    for (int i = 0; i < customerId.length(); i++) {
      if (Character.isISOControl(customerId.charAt(i))) {
        throw new InvalidEventException(Reason.INVALID_CUSTOMER_ID, "customer id contains a control character");
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
