package io.segmenter.profile;

import static io.segmenter.profile.ProfileEvents.DAY;
import static io.segmenter.profile.ProfileEvents.T0;
import static io.segmenter.profile.ProfileEvents.click;
import static io.segmenter.profile.ProfileEvents.order;
import static io.segmenter.profile.ProfileEvents.profileOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.segmenter.events.ClickType;
import io.segmenter.events.OrderStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CustomerProfileTest {
  private static final ProfileConfig CFG = ProfileConfig.defaults();
  private static final Duration H = CFG.halfLife();

  @Test
  void emptyProfileHasNoTimesAndNoAssignment() {
    CustomerProfile p = CustomerProfile.empty();
    assertThat(p.firstSeenAt()).isEqualTo(CustomerProfile.NONE);
    assertThat(p.lastOrderAt()).isEqualTo(CustomerProfile.NONE);
    assertThat(p.segmentId()).isEqualTo(-1);
    assertThat(p.assignedModelVersion()).isEqualTo(-1);
    assertThat(p.changeSequence()).isZero();
    assertThat(p.nextCheckAt()).isEqualTo(CustomerProfile.NONE);
    assertThat(p.netSpend()).isEqualByComparingTo("0");
    assertThat(p.averageOrderValue()).isZero();
    assertThat(p.decayedOrders(T0, H)).isZero();
    assertThat(p.cartAbandonment()).isZero();
  }

  @Test
  void eachClickTypeCountsInItsOwnCounterAndUnknownOnlyAsAVisit() {
    CustomerProfile p = profileOf(List.of(
        click("s", ClickType.PAGE_VIEW, T0),
        click("s", ClickType.PRODUCT_VIEW, T0 + 1),
        click("s", ClickType.PRODUCT_VIEW, T0 + 2),
        click("s", ClickType.SEARCH, T0 + 3),
        click("s", ClickType.ADD_TO_CART, T0 + 4),
        click("s", ClickType.REMOVE_FROM_CART, T0 + 5),
        click("s", ClickType.CHECKOUT_START, T0 + 6)), CFG);
    assertThat(List.of(p.pageViews(), p.productViews(), p.searches(), p.cartAdds(), p.cartRemoves(),
        p.checkoutStarts())).containsExactly(1L, 2L, 1L, 1L, 1L, 1L);

    CustomerProfile before = profileOf(List.of(click("s", ClickType.PAGE_VIEW, T0)), CFG);
    CustomerProfile u = profileOf(List.of(click("s", ClickType.PAGE_VIEW, T0),
        click("s2", ClickType.UNKNOWN, T0 + DAY, "new-stuff")), CFG);
    assertThat(u.pageViews()).isEqualTo(before.pageViews());
    assertThat(u.productViews() + u.searches() + u.cartAdds() + u.cartRemoves() + u.checkoutStarts()).isZero();
    assertThat(u.lastVisitAt()).isEqualTo(T0 + DAY);
    assertThat(u.sessions()).isEqualTo(2);
    assertThat(u.distinctCategories()).isEqualTo(1);
  }

  @Test
  void orderStatusesDriveRfmExactly() {
    CustomerProfile p = profileOf(List.of(
        order("a", OrderStatus.PLACED, "100.1234", T0),
        order("b", OrderStatus.PLACED, "50.0001", T0 + DAY),
        order("c", OrderStatus.PLACED, "10", T0 + 2 * DAY),
        order("b", OrderStatus.CANCELLED, "50.0001", T0 + 3 * DAY),
        order("c", OrderStatus.RETURNED, "4.5", T0 + 4 * DAY)), CFG);
    assertThat(p.orders()).isEqualTo(3);
    assertThat(p.cancellations()).isEqualTo(1);
    assertThat(p.returns()).isEqualTo(1);
    assertThat(p.grossSpendUnits()).isEqualTo(1_601_235L);
    assertThat(p.refundedUnits()).isEqualTo(545_001L);
    assertThat(p.netSpend()).isEqualTo(new BigDecimal("105.6234"));
    assertThat(p.netSpendValue()).isEqualTo(105.6234);
    assertThat(p.averageOrderValue()).isCloseTo(105.6234 / 3, within(1e-12));
    // Orders move order times; refunds do not.
    assertThat(p.firstOrderAt()).isEqualTo(T0);
    assertThat(p.lastOrderAt()).isEqualTo(T0 + 2 * DAY);
    assertThat(p.lastEventAt()).isEqualTo(T0 + 4 * DAY);
    assertThat(p.lastVisitAt()).isEqualTo(CustomerProfile.NONE);
  }

  @Test
  void netSpendNeverGoesNegative() {
    CustomerProfile p = profileOf(List.of(
        order("a", OrderStatus.PLACED, "10", T0),
        order("x", OrderStatus.RETURNED, "25", T0 + 1)), CFG);
    assertThat(p.netSpend()).isEqualTo(new BigDecimal("0.0000"));
    assertThat(p.averageOrderValue()).isZero();
  }

  @Test
  void unknownOrderStatusOnlyMovesSeenTimes() {
    CustomerProfile p = profileOf(List.of(order("a", OrderStatus.PLACED, "10", T0 + DAY)), CFG);
    CustomerProfile q = profileOf(List.of(order("a", OrderStatus.PLACED, "10", T0 + DAY),
        order("z", OrderStatus.UNKNOWN, "99", T0 + 5 * DAY, "cat"),
        order("y", OrderStatus.UNKNOWN, "99", T0, "cat")), CFG);
    assertThat(q.firstSeenAt()).isEqualTo(T0);
    assertThat(q.lastEventAt()).isEqualTo(T0 + 5 * DAY);
    p.apply(order("y", OrderStatus.UNKNOWN, "0", T0), CFG);
    p.apply(order("z", OrderStatus.UNKNOWN, "0", T0 + 5 * DAY), CFG);
    assertThat(q).isEqualTo(p);
    assertThat(q.distinctCategories()).isZero();
  }

  @Test
  void orderTimesAreMinAndMaxWhateverTheArrivalOrder() {
    CustomerProfile p = profileOf(List.of(
        order("b", OrderStatus.PLACED, "1", T0 + 5 * DAY),
        click("s", ClickType.PAGE_VIEW, T0 + 7 * DAY),
        order("a", OrderStatus.PLACED, "1", T0 + 2 * DAY),
        order("c", OrderStatus.PLACED, "1", T0 + 3 * DAY),
        click("s", ClickType.PAGE_VIEW, T0 + DAY)), CFG);
    assertThat(p.firstOrderAt()).isEqualTo(T0 + 2 * DAY);
    assertThat(p.lastOrderAt()).isEqualTo(T0 + 5 * DAY);
    assertThat(p.firstSeenAt()).isEqualTo(T0 + DAY);
    assertThat(p.lastEventAt()).isEqualTo(T0 + 7 * DAY);
    assertThat(p.lastVisitAt()).isEqualTo(T0 + 7 * DAY);
  }

  @Test
  void decayedCountersHalveEveryHalfLife() {
    CustomerProfile p = profileOf(List.of(order("a", OrderStatus.PLACED, "80", T0)), CFG);
    long h = H.toMillis();
    assertThat(p.decayedOrders(T0, H)).isEqualTo(1.0);
    assertThat(p.decayedOrders(T0 + h, H)).isCloseTo(0.5, within(1e-12));
    assertThat(p.decayedSpend(T0 + h, H)).isCloseTo(40.0, within(1e-12));
    assertThat(p.decayedSpend(T0 + 2 * h, H)).isCloseTo(20.0, within(1e-12));
    // A later order adds on top of the decayed value; a late one is decayed back to asOf.
    p.apply(order("b", OrderStatus.PLACED, "20", T0 + h), CFG);
    assertThat(p.decayedOrders(T0 + h, H)).isCloseTo(1.5, within(1e-12));
    p.apply(order("c", OrderStatus.PLACED, "40", T0), CFG);
    assertThat(p.decayedOrders(T0 + h, H)).isCloseTo(2.0, within(1e-12));
    assertThat(p.decayedSpend(T0 + h, H)).isCloseTo(40 + 20 + 20, within(1e-12));
    // Refunds do not touch the decayed counters.
    p.apply(order("b", OrderStatus.RETURNED, "20", T0 + h), CFG);
    assertThat(p.decayedSpend(T0 + h, H)).isCloseTo(80, within(1e-12));
  }

  @Test
  void decayedSumDoesNotGrowForANowBeforeItsTime() {
    DecayedSum s = DecayedSum.EMPTY.add(3, T0, 1000);
    assertThat(s.valueAt(T0 - 5000, 1000)).isEqualTo(3.0);
    assertThat(s.valueAt(T0 + 1000, 1000)).isEqualTo(1.5);
    assertThat(DecayedSum.EMPTY.valueAt(T0, 1000)).isZero();
  }

  @Test
  void anyArrivalOrderGivesTheSameProfile() {
    List<Object> events = mixedEvents();
    CustomerProfile reference = profileOf(events, CFG);
    for (int seed = 0; seed < 20; seed++) {
      List<Object> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, new Random(seed));
      CustomerProfile p = profileOf(shuffled, CFG);
      assertSameUpToDecayRounding(p, reference);
    }
    // Guard against a vacuous test: the list really exercises every part of the profile.
    assertThat(reference.sessions()).isEqualTo(6);
    assertThat(reference.cartSessions()).isEqualTo(3);
    assertThat(reference.orders()).isEqualTo(5);
    assertThat(reference.distinctCategories()).isEqualTo(5);
  }

  /** ~40 events over 6 sessions (fewer than the session memory) and a few orders. */
  private static List<Object> mixedEvents() {
    Random r = new Random(99);
    ClickType[] types = {ClickType.PAGE_VIEW, ClickType.PRODUCT_VIEW, ClickType.SEARCH,
        ClickType.REMOVE_FROM_CART, ClickType.CHECKOUT_START, ClickType.UNKNOWN};
    String[] cats = {"shoes", "bags", "hats", null};
    List<Object> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int s = i % 6;
      long t = T0 + s * 3 * DAY + r.nextInt(3_600_000);
      events.add(click("session-" + s, types[r.nextInt(types.length)], t, cats[r.nextInt(cats.length)]));
    }
    events.add(click("session-0", ClickType.ADD_TO_CART, T0 + 1000, "shoes"));
    events.add(click("session-0", ClickType.ADD_TO_CART, T0 + 2000, "shoes"));
    events.add(click("session-2", ClickType.ADD_TO_CART, T0 + 6 * DAY + 5, "coats"));
    events.add(click("session-5", ClickType.ADD_TO_CART, T0 + 15 * DAY + 5));
    events.add(order("o1", OrderStatus.PLACED, "19.99", T0 + DAY, "shoes"));
    events.add(order("o2", OrderStatus.PLACED, "5.25", T0 + 4 * DAY));
    events.add(order("o3", OrderStatus.PLACED, "120", T0 + 7 * DAY, "coats", "scarves"));
    events.add(order("o4", OrderStatus.PLACED, "3.3333", T0 + 11 * DAY));
    events.add(order("o5", OrderStatus.PLACED, "42", T0 + 40 * DAY));
    events.add(order("o3", OrderStatus.RETURNED, "120", T0 + 20 * DAY));
    events.add(order("o4", OrderStatus.CANCELLED, "3.3333", T0 + 11 * DAY + 1));
    events.add(order("o6", OrderStatus.UNKNOWN, "1", T0 + 50 * DAY));
    return events;
  }

  private static void assertSameUpToDecayRounding(CustomerProfile p, CustomerProfile ref) {
    assertThat(p.decayedOrdersSum().asOfMs()).isEqualTo(ref.decayedOrdersSum().asOfMs());
    assertThat(p.decayedSpendSum().asOfMs()).isEqualTo(ref.decayedSpendSum().asOfMs());
    assertThat(p.decayedOrdersSum().value())
        .isCloseTo(ref.decayedOrdersSum().value(), within(1e-9 * ref.decayedOrdersSum().value()));
    assertThat(p.decayedSpendSum().value())
        .isCloseTo(ref.decayedSpendSum().value(), within(1e-9 * ref.decayedSpendSum().value()));
    // Everything else exactly: copy the reference's decayed sums over and compare whole profiles.
    p.decayedOrders = ref.decayedOrders;
    p.decayedSpend = ref.decayedSpend;
    assertThat(p).isEqualTo(ref);
    assertThat(p.hashCode()).isEqualTo(ref.hashCode());
  }

  @Test
  void sessionsAreCountedPastTheMemoryButTheMemoryStaysBounded() {
    CustomerProfile p = CustomerProfile.empty();
    for (int i = 0; i < 1000; i++) {
      p.apply(click("s-" + i, ClickType.PAGE_VIEW, T0 + i), CFG);
      p.apply(click("s-" + i, ClickType.PRODUCT_VIEW, T0 + i), CFG); // same session: not counted again
    }
    assertThat(p.sessions()).isEqualTo(1000);
    assertThat(p.sessionMemory().size()).isEqualTo(CFG.sessionMemory());
    // The memory keeps the most recent sessions: the latest one is still recognised...
    p.apply(click("s-999", ClickType.PAGE_VIEW, T0 + 2000), CFG);
    assertThat(p.sessions()).isEqualTo(1000);
    // ...while an evicted one shows up as a new session (the documented limit).
    p.apply(click("s-0", ClickType.PAGE_VIEW, T0 + 2001), CFG);
    assertThat(p.sessions()).isEqualTo(1001);
    assertThat(ProfileCodec.encode(p).length).isLessThanOrEqualTo(1024);
  }

  @Test
  void cartSessionsCountOncePerSessionAndDriveAbandonment() {
    CustomerProfile p = profileOf(List.of(
        click("a", ClickType.ADD_TO_CART, T0),
        click("a", ClickType.ADD_TO_CART, T0 + 1),
        click("b", ClickType.ADD_TO_CART, T0 + 2),
        click("c", ClickType.PAGE_VIEW, T0 + 3),
        click("c", ClickType.ADD_TO_CART, T0 + 4),
        click("d", ClickType.ADD_TO_CART, T0 + 5)), CFG);
    assertThat(p.cartAdds()).isEqualTo(5);
    assertThat(p.cartSessions()).isEqualTo(4);
    assertThat(p.cartAbandonment()).isEqualTo(1.0);
    p.apply(order("o", OrderStatus.PLACED, "1", T0 + 6), CFG);
    assertThat(p.cartAbandonment()).isEqualTo(0.75);
    for (int i = 0; i < 5; i++) p.apply(order("o" + i, OrderStatus.PLACED, "1", T0 + 7 + i), CFG);
    assertThat(p.cartAbandonment()).isZero();
  }

  @Test
  void categoriesSaturateAtTheLimitWhateverTheOrder() {
    ProfileConfig small = new ProfileConfig(Duration.ofDays(30), 16, 8, 365);
    List<Object> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) events.add(click("s", ClickType.PAGE_VIEW, T0 + i, "cat-" + i));
    events.add(order("o", OrderStatus.PLACED, "1", T0, "cat-3", "cat-30"));
    CustomerProfile p = profileOf(events, small);
    assertThat(p.distinctCategories()).isEqualTo(8);
    Collections.reverse(events);
    assertThat(profileOf(events, small).categories()).isEqualTo(p.categories());

    CustomerProfile few = profileOf(List.of(click("s", ClickType.PAGE_VIEW, T0, "x"),
        click("s", ClickType.PAGE_VIEW, T0, "x"),
        order("o", OrderStatus.PLACED, "1", T0, "x", "y")), small);
    assertThat(few.distinctCategories()).isEqualTo(2);
    assertThat(few.categories().contains("y".hashCode())).isTrue();
  }

  @Test
  void assignmentStateHasSettersAndTakesPartInEquality() {
    CustomerProfile a = CustomerProfile.empty();
    CustomerProfile b = CustomerProfile.empty();
    a.setSegmentId(4);
    assertThat(a).isNotEqualTo(b);
    b.setSegmentId(4);
    a.setSegmentSince(1);
    a.setAssignedModelVersion(2);
    a.setChangeSequence(3);
    a.setNextCheckAt(4);
    a.setLastSampledAt(5);
    assertThat(List.of(a.segmentSince(), a.assignedModelVersion(), a.changeSequence(), a.nextCheckAt(),
        a.lastSampledAt())).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void toStringShowsFiguresButNoIdentifiers() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    String s = p.toString();
    assertThat(s).contains("orders=3", "sessions=2", "segmentId=3")
        .doesNotContain("customer-42", "s1", "o1", "shoes");
  }

  @Test
  void configDefaultsAndValidation() {
    ProfileConfig d = ProfileConfig.defaults();
    assertThat(d.halfLife()).isEqualTo(Duration.ofDays(30));
    assertThat(d.sessionMemory()).isEqualTo(16);
    assertThat(d.categoryLimit()).isEqualTo(64);
    assertThat(d.noActivityDays()).isEqualTo(365.0);
    assertThatThrownBy(() -> new ProfileConfig(Duration.ZERO, 16, 64, 365))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("halfLife");
    assertThatThrownBy(() -> new ProfileConfig(Duration.ofDays(1), 0, 64, 365))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionMemory");
    assertThatThrownBy(() -> new ProfileConfig(Duration.ofDays(1), 16, -1, 365))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("categoryLimit");
    assertThatThrownBy(() -> new ProfileConfig(Duration.ofDays(1), 16, 64, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noActivityDays");
  }
}
