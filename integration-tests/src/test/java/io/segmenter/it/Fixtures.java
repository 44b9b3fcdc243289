package io.segmenter.it;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import java.math.BigDecimal;
import java.time.Instant;

/** Test records with realistic values. */
final class Fixtures {
  private static final Instant BASE = Instant.parse("2026-11-01T10:15:30.123Z");

  private Fixtures() {}

  static ClickEvent click(String customerId, int n) {
    return ClickEvent.newBuilder()
        .setEventId("evt-" + customerId + "-" + n)
        .setCustomerId(customerId)
        .setSessionId("sess-" + customerId + "-" + (n / 10))
        .setType(ClickType.values()[1 + n % (ClickType.values().length - 1)])
        .setProductId(n % 3 == 0 ? null : "sku-" + (1000 + n % 97))
        .setCategory("electronics.smartphone")
        .setPrice(n % 3 == 0 ? null : new BigDecimal("129.9900"))
        .setChannel("web")
        .setDevice(n % 2 == 0 ? "mobile" : "desktop")
        .setOccurredAt(BASE.plusMillis(1_000L * n))
        .build();
  }
}
