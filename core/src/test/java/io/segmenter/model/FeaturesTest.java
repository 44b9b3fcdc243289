package io.segmenter.model;

import static io.segmenter.profile.ProfileEvents.DAY;
import static io.segmenter.profile.ProfileEvents.T0;
import static io.segmenter.profile.ProfileEvents.click;
import static io.segmenter.profile.ProfileEvents.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.segmenter.events.ClickType;
import io.segmenter.events.OrderStatus;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileConfig;
import io.segmenter.profile.ProfileEvents;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class FeaturesTest {
  private static final ProfileConfig CFG = ProfileConfig.defaults();

  @Test
  void recencyGrowsWithNow() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    long now = p.lastOrderAt() + 3 * DAY + DAY / 2;
    double[] f = Features.of(p, now, CFG);
    double[] later = Features.of(p, now + 10 * DAY, CFG);
    assertThat(Features.toOriginalUnits(Features.RECENCY_DAYS, f[Features.RECENCY_DAYS]))
        .isCloseTo(3.5, within(1e-9));
    assertThat(later[Features.RECENCY_DAYS]).isCloseTo(Math.log1p(3.5 + 10), within(1e-12));
    double visitDays = (now - p.lastVisitAt()) / (double) DAY;
    assertThat(later[Features.DAYS_SINCE_VISIT]).isCloseTo(Math.log1p(visitDays + 10), within(1e-12));
    // Time passing also decays recent activity, and leaves the lifetime figures alone.
    assertThat(later[Features.RECENT_ORDERS]).isLessThan(f[Features.RECENT_ORDERS]);
    assertThat(later[Features.ORDERS]).isEqualTo(f[Features.ORDERS]);
  }

  @Test
  void eventsAfterNowCountAsZeroDaysAgo() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    double[] f = Features.of(p, p.lastOrderAt() - DAY, CFG);
    assertThat(f[Features.RECENCY_DAYS]).isZero();
  }

  @Test
  void customerWithoutOrdersOrVisitsGetsNoActivityDays() {
    CustomerProfile browser = CustomerProfile.empty();
    browser.apply(click("s", ClickType.PAGE_VIEW, T0), CFG);
    double[] f = Features.of(browser, T0 + DAY, CFG);
    assertThat(f[Features.RECENCY_DAYS]).isEqualTo(Math.log1p(365));
    assertThat(f[Features.DAYS_SINCE_VISIT]).isCloseTo(Math.log1p(1), within(1e-12));
    assertThat(f[Features.ORDERS]).isZero();
    assertThat(f[Features.RECENT_SPEND]).isZero();

    CustomerProfile buyer = CustomerProfile.empty();
    buyer.apply(order("o", OrderStatus.PLACED, "10", T0), CFG);
    ProfileConfig custom = new ProfileConfig(CFG.halfLife(), 16, 64, 90);
    assertThat(Features.of(buyer, T0, custom)[Features.DAYS_SINCE_VISIT]).isEqualTo(Math.log1p(90));
  }

  @Test
  void everyFeatureHasItsDocumentedDefinition() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    long now = T0 + 20 * DAY;
    double[] f = Features.of(p, now, CFG);
    assertThat(f).hasSize(Features.DIMENSION);
    assertThat(f[Features.ORDERS]).isEqualTo(Math.log1p(3));
    assertThat(f[Features.NET_SPEND]).isEqualTo(Math.log1p(120.5));
    assertThat(f[Features.AVERAGE_ORDER_VALUE]).isEqualTo(Math.log1p(120.5 / 3));
    assertThat(f[Features.RECENT_ORDERS]).isEqualTo(Math.log1p(p.decayedOrders(now, CFG.halfLife())));
    assertThat(f[Features.RECENT_SPEND]).isEqualTo(Math.log1p(p.decayedSpend(now, CFG.halfLife())));
    assertThat(f[Features.REFUND_RATE]).isEqualTo(2.0 / 3);
    assertThat(f[Features.SESSIONS]).isEqualTo(Math.log1p(2));
    assertThat(f[Features.VIEWS]).isEqualTo(Math.log1p(2));
    assertThat(f[Features.SEARCHES]).isEqualTo(Math.log1p(1));
    assertThat(f[Features.CART_ADDS]).isEqualTo(Math.log1p(2));
    assertThat(f[Features.CART_ABANDONMENT]).isZero(); // 2 cart sessions, 3 orders
    assertThat(f[Features.CATEGORY_SPREAD]).isEqualTo(Math.log1p(4)); // home, shoes, socks, bags
  }

  @Test
  void refundRateIsCappedAtOne() {
    CustomerProfile p = CustomerProfile.empty();
    p.apply(order("a", OrderStatus.RETURNED, "5", T0), CFG);
    p.apply(order("b", OrderStatus.CANCELLED, "5", T0), CFG);
    assertThat(Features.of(p, T0, CFG)[Features.REFUND_RATE]).isEqualTo(1.0);
  }

  @Test
  void constantsMatchNames() throws IllegalAccessException {
    assertThat(Features.NAMES).hasSize(Features.DIMENSION).doesNotHaveDuplicates();
    int constants = 0;
    for (Field field : Features.class.getFields()) {
      if (!Modifier.isStatic(field.getModifiers()) || field.getType() != int.class
          || field.getName().equals("DIMENSION")) {
        continue;
      }
      int index = field.getInt(null);
      assertThat(Features.NAMES.get(index)).isEqualTo(field.getName().toLowerCase(Locale.ROOT));
      constants++;
    }
    assertThat(constants).isEqualTo(Features.DIMENSION);
  }

  @Test
  void toOriginalUnitsInvertsTheTransform() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    long now = T0 + 20 * DAY;
    double[] f = Features.of(p, now, CFG);
    assertThat(Features.toOriginalUnits(Features.ORDERS, f[Features.ORDERS])).isCloseTo(3, within(1e-12));
    assertThat(Features.toOriginalUnits(Features.NET_SPEND, f[Features.NET_SPEND]))
        .isCloseTo(120.5, within(1e-9));
    assertThat(Features.toOriginalUnits(Features.REFUND_RATE, f[Features.REFUND_RATE])).isEqualTo(2.0 / 3);
    List<Integer> ratios = List.of(Features.REFUND_RATE, Features.CART_ABANDONMENT);
    for (int i = 0; i < Features.DIMENSION; i++) {
      assertThat(Features.isLogTransformed(i)).isEqualTo(!ratios.contains(i));
      double x = 7.25;
      double transformed = Features.isLogTransformed(i) ? Math.log1p(x) : x;
      assertThat(Features.toOriginalUnits(i, transformed)).isCloseTo(x, within(1e-12));
    }
    assertThatThrownBy(() -> Features.isLogTransformed(Features.DIMENSION))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
