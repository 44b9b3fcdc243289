package io.segmenter.topology;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Hand-made input events for topology tests. */
final class Events {
  private Events() { }

  static OrderEvent order(String customerId, String orderId, Instant at, String amount) {
    return order(customerId, orderId, at, amount, OrderStatus.PLACED, "EUR");
  }

  static OrderEvent order(String customerId, String orderId, Instant at, String amount, OrderStatus status, String currency) {
    return OrderEvent.newBuilder()
        .setOrderId(orderId)
        .setCustomerId(customerId)
        .setStatus(status)
        .setAmount(new BigDecimal(amount).setScale(4))
        .setCurrency(currency)
        .setItemCount(1)
        .setCategories(List.of())
        .setOccurredAt(at)
        .build();
  }

  static ClickEvent view(String customerId, String eventId, String sessionId, Instant at) {
    return ClickEvent.newBuilder()
        .setEventId(eventId)
        .setCustomerId(customerId)
        .setSessionId(sessionId)
        .setType(ClickType.PRODUCT_VIEW)
        .setOccurredAt(at)
        .build();
  }
}
