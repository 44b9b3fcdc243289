package io.segmenter.profile;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Builders of test events, and a helper that applies either kind to a profile. */
public final class ProfileEvents {
  public static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  public static final long DAY = 86_400_000L;

  private ProfileEvents() {}

  public static ClickEvent click(String session, ClickType type, long atMs, String category) {
    return ClickEvent.newBuilder()
        .setEventId("e-" + session + "-" + atMs + "-" + type)
        .setCustomerId("customer-42")
        .setSessionId(session)
        .setType(type)
        .setCategory(category)
        .setOccurredAt(Instant.ofEpochMilli(atMs))
        .build();
  }

  public static ClickEvent click(String session, ClickType type, long atMs) {
    return click(session, type, atMs, null);
  }

  public static OrderEvent order(String id, OrderStatus status, String amount, long atMs, String... categories) {
    return OrderEvent.newBuilder()
        .setOrderId(id)
        .setCustomerId("customer-42")
        .setStatus(status)
        .setAmount(new BigDecimal(amount).setScale(4))
        .setCurrency("EUR")
        .setItemCount(1)
        .setCategories(List.of(categories))
        .setOccurredAt(Instant.ofEpochMilli(atMs))
        .build();
  }

  /** Applies a ClickEvent or an OrderEvent. */
  public static void apply(CustomerProfile p, Object event, ProfileConfig c) {
    if (event instanceof ClickEvent e) {
      p.apply(e, c);
    } else {
      p.apply((OrderEvent) event, c);
    }
  }

  public static CustomerProfile profileOf(List<?> events, ProfileConfig c) {
    CustomerProfile p = CustomerProfile.empty();
    for (Object e : events) apply(p, e, c);
    return p;
  }

  /** A customer with a bit of everything, for codec and feature tests. */
  public static CustomerProfile rich(ProfileConfig c) {
    CustomerProfile p = profileOf(List.of(
        click("s1", ClickType.PAGE_VIEW, T0, "home"),
        click("s1", ClickType.PRODUCT_VIEW, T0 + 1_000, "shoes"),
        click("s1", ClickType.ADD_TO_CART, T0 + 2_000, "shoes"),
        click("s1", ClickType.CHECKOUT_START, T0 + 3_000),
        order("o1", OrderStatus.PLACED, "120.5000", T0 + 4_000, "shoes", "socks"),
        click("s2", ClickType.SEARCH, T0 + 5 * DAY, "bags"),
        click("s2", ClickType.ADD_TO_CART, T0 + 5 * DAY + 1, "bags"),
        click("s2", ClickType.REMOVE_FROM_CART, T0 + 5 * DAY + 2, "bags"),
        order("o2", OrderStatus.PLACED, "30.0000", T0 + 6 * DAY, "bags"),
        order("o2", OrderStatus.RETURNED, "30.0000", T0 + 9 * DAY),
        order("o3", OrderStatus.PLACED, "9.9900", T0 + 10 * DAY),
        order("o3", OrderStatus.CANCELLED, "9.9900", T0 + 10 * DAY + 5)), c);
    p.setSegmentId(3);
    p.setSegmentSince(T0 + 7 * DAY);
    p.setAssignedModelVersion(12);
    p.setChangeSequence(2);
    p.setNextCheckAt(T0 + 40 * DAY);
    p.setLastSampledAt(T0 + 10 * DAY);
    return p;
  }
}
