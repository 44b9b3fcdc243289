package io.segmenter.serde;

import io.segmenter.events.ChangeReason;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.events.RfmSnapshot;
import io.segmenter.events.SegmentChange;
import io.segmenter.events.SegmentRef;
import io.segmenter.internal.Centre;
import io.segmenter.internal.FeatureStatistics;
import io.segmenter.internal.ModelVersion;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * segmenter's own records with realistic values, for the tests of segmenter's schemas through the
 * serde (SegmenterRecordsOverEmbeddedRegistryTest); the serde module's tests have their own records.
 */
final class TestRecords {
  static final Instant BASE = Instant.parse("2026-11-01T10:15:30.123Z");

  private TestRecords() {}

  static ClickEvent click(int n) {
    return ClickEvent.newBuilder()
        .setEventId(new UUID(0x5e6d_0000L + n, 0x1234_5678L * (n + 1)).toString())
        .setCustomerId("customer-" + (n % 97))
        .setSessionId("session-" + (n / 10))
        .setType(ClickType.values()[1 + n % (ClickType.values().length - 1)])
        .setProductId(n % 3 == 0 ? null : "sku-" + (1000 + n % 89))
        .setCategory(n % 5 == 0 ? null : "electronics.smartphone")
        .setPrice(n % 3 == 0 ? null : new BigDecimal("129.9900").add(BigDecimal.valueOf(n % 100, 2)).setScale(4))
        .setChannel("web")
        .setDevice(n % 2 == 0 ? "mobile" : "desktop")
        .setOccurredAt(BASE.plusMillis(1_000L * n))
        .build();
  }

  static OrderEvent order(int n) {
    return OrderEvent.newBuilder()
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

  static SegmentChange segmentChange(boolean firstAssignment) {
    return SegmentChange.newBuilder()
        .setCustomerId("customer-7")
        .setSequence(firstAssignment ? 1 : 12)
        .setPreviousSegment(firstAssignment ? null : new SegmentRef(3, "At Risk"))
        .setNewSegment(new SegmentRef(5, "Champions"))
        .setReason(firstAssignment ? ChangeReason.EVENT : ChangeReason.MODEL)
        .setModelVersion(42)
        .setRfm(firstAssignment ? null : RfmSnapshot.newBuilder()
            .setRecencyDays(2.5)
            .setOrderCount(17)
            .setTotalSpend(new BigDecimal("4321.0000"))
            .setAverageOrderValue(new BigDecimal("254.1765"))
            .setLastOrderAt(BASE.minusSeconds(216_000))
            .build())
        .setDistance(firstAssignment ? null : 0.731)
        .setEventTime(BASE)
        .setProcessingTime(BASE.plusMillis(15))
        .build();
  }

  static ModelVersion modelVersion() {
    return ModelVersion.newBuilder()
        .setVersion(42)
        .setFeatures(List.of("recency", "frequency", "monetary"))
        .setFeatureStatistics(List.of(
            new FeatureStatistics("recency", 1000.0, 1.2, 3.4),
            new FeatureStatistics("frequency", 1000.0, 0.8, 1.1),
            new FeatureStatistics("monetary", 1000.0, 5.1, 2.2)))
        .setCentres(List.of(
            new Centre(1, "Champions", List.of(-1.0, 1.5, 1.7), 310.5, 1L, 42L, null, "", 0L),
            new Centre(4, "At Risk", List.of(1.2, -0.3, 0.1), 120.0, 7L, 41L, 2, "", 0L)))
        .setNextCentreId(5)
        .setDecayFactor(0.999)
        .setCreatedAt(BASE)
        .build();
  }
}
