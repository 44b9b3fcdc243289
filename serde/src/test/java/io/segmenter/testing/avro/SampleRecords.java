package io.segmenter.testing.avro;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records of the serde tests' own schemas (src/test/avro) with realistic values: nulls in some
 * unions and not in others, decimals at their scale, timestamps to the millisecond.
 */
public final class SampleRecords {
  public static final Instant BASE = Instant.parse("2026-11-01T10:15:30.123Z");

  private SampleRecords() {}

  public static Click click(int n) {
    return Click.newBuilder()
        .setEventId(new UUID(0x5e6d_0000L + n, 0x1234_5678L * (n + 1)).toString())
        .setCustomerId("customer-" + (n % 97))
        .setSessionId("session-" + (n / 10))
        .setType(ClickKind.values()[1 + n % (ClickKind.values().length - 1)])
        .setProductId(n % 3 == 0 ? null : "sku-" + (1000 + n % 89))
        .setCategory(n % 5 == 0 ? null : "electronics.smartphone")
        .setPrice(n % 3 == 0 ? null : new BigDecimal("129.9900").add(BigDecimal.valueOf(n % 100, 2)).setScale(4))
        .setChannel("web")
        .setDevice(n % 2 == 0 ? "mobile" : "desktop")
        .setOccurredAt(BASE.plusMillis(1_000L * n))
        .build();
  }

  public static Order order(int n) {
    return Order.newBuilder()
        .setOrderId("order-" + n)
        .setCustomerId("customer-" + (n % 97))
        .setStatus(n % 4 == 3 ? OrderStatus.RETURNED : OrderStatus.PLACED)
        .setAmount(new BigDecimal("1234.5678"))
        .setCurrency("EUR")
        .setItemCount(3)
        .setCategories(List.of("electronics.smartphone", "home.kitchen"))
        .setOccurredAt(BASE.plusSeconds(n))
        .build();
  }

  /** A first assignment (no previous group, no figures) or a later one with every field set. */
  public static Assignment assignment(boolean first) {
    return Assignment.newBuilder()
        .setCustomerId("customer-7")
        .setSequence(first ? 1 : 12)
        .setPrevious(first ? null : new GroupRef(3, "At Risk"))
        .setCurrent(new GroupRef(5, "Champions"))
        .setReason(first ? Reason.EVENT : Reason.MODEL)
        .setModelVersion(42)
        .setFigures(first ? null : Figures.newBuilder()
            .setRecencyDays(2.5)
            .setOrderCount(17)
            .setTotalSpend(new BigDecimal("4321.0000"))
            .setAverageOrderValue(new BigDecimal("254.1765"))
            .setLastOrderAt(BASE.minusSeconds(216_000))
            .build())
        .setDistance(first ? null : 0.731)
        .setEventTime(BASE)
        .setProcessingTime(BASE.plusMillis(15))
        .build();
  }

  public static Snapshot snapshot() {
    return Snapshot.newBuilder()
        .setVersion(42)
        .setFeatures(List.of("recency", "frequency", "monetary"))
        .setStatistics(List.of(
            new Statistic("recency", 1000.0, 1.2, 3.4),
            new Statistic("frequency", 1000.0, 0.8, 1.1),
            new Statistic("monetary", 1000.0, 5.1, 2.2)))
        .setCentres(List.of(
            new Centre(1, "Champions", List.of(-1.0, 1.5, 1.7), 310.5, 1L, null, ""),
            new Centre(4, "At Risk", List.of(1.2, -0.3, 0.1), 120.0, 7L, 2, "left after a merge")))
        .setMembers(Map.of("1", 310L, "4", 120L))
        .setNextCentreId(5)
        .setDecayFactor(0.999)
        .setCreatedAt(BASE)
        .build();
  }
}
