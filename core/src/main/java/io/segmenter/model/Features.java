package io.segmenter.model;

import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileConfig;
import java.util.List;

/**
 * The fixed feature vector the model clusters on, computed from a profile at a caller-given "now".
 * Counts and money are log1p-transformed because they are heavy-tailed (a few customers have
 * hundreds of orders): without it those few would dominate every distance. Ratios are already in
 * [0, 1] and stay as they are. See docs/FEATURES.md for the full definitions.
 *
 * <p>The order of the features is part of the model: a stored model's centres and scaler are
 * indexed by these constants, so indices are never reordered.
 */
public final class Features {
  public static final int RECENCY_DAYS = 0;
  public static final int ORDERS = 1;
  public static final int NET_SPEND = 2;
  public static final int AVERAGE_ORDER_VALUE = 3;
  public static final int RECENT_ORDERS = 4;
  public static final int RECENT_SPEND = 5;
  public static final int REFUND_RATE = 6;
  public static final int SESSIONS = 7;
  public static final int VIEWS = 8;
  public static final int SEARCHES = 9;
  public static final int CART_ADDS = 10;
  public static final int CART_ABANDONMENT = 11;
  public static final int CATEGORY_SPREAD = 12;
  public static final int DAYS_SINCE_VISIT = 13;
  public static final int DIMENSION = 14;

  /** Feature names, indexed by the constants above. */
  public static final List<String> NAMES = List.of(
      "recency_days",
      "orders",
      "net_spend",
      "average_order_value",
      "recent_orders",
      "recent_spend",
      "refund_rate",
      "sessions",
      "views",
      "searches",
      "cart_adds",
      "cart_abandonment",
      "category_spread",
      "days_since_visit");

  private static final double MS_PER_DAY = 86_400_000.0;

  private Features() {}

  /** The feature vector of the profile at nowMs; allocates only the returned array. */
  public static double[] of(CustomerProfile p, long nowMs, ProfileConfig cfg) {
    double[] f = new double[DIMENSION];
    long orders = p.orders();
    f[RECENCY_DAYS] = Math.log1p(daysSince(p.lastOrderAt(), nowMs, cfg));
    f[ORDERS] = Math.log1p(orders);
    f[NET_SPEND] = Math.log1p(p.netSpendValue());
    f[AVERAGE_ORDER_VALUE] = Math.log1p(p.averageOrderValue());
    f[RECENT_ORDERS] = Math.log1p(p.decayedOrders(nowMs, cfg.halfLife()));
    f[RECENT_SPEND] = Math.log1p(p.decayedSpend(nowMs, cfg.halfLife()));
    f[REFUND_RATE] = Math.min(1.0, (double) (p.cancellations() + p.returns()) / Math.max(1, orders));
    f[SESSIONS] = Math.log1p(p.sessions());
    f[VIEWS] = Math.log1p(p.pageViews() + p.productViews());
    f[SEARCHES] = Math.log1p(p.searches());
    f[CART_ADDS] = Math.log1p(p.cartAdds());
    f[CART_ABANDONMENT] = p.cartAbandonment();
    f[CATEGORY_SPREAD] = Math.log1p(p.distinctCategories());
    f[DAYS_SINCE_VISIT] = Math.log1p(daysSince(p.lastVisitAt(), nowMs, cfg));
    return f;
  }

  /** Whether feature i is log1p of a non-negative quantity (else it is a ratio in [0, 1]). */
  public static boolean isLogTransformed(int i) {
    checkIndex(i);
    return i != REFUND_RATE && i != CART_ABANDONMENT;
  }

  /** Undoes the transform of feature i, e.g. to show a centre in days, orders or money. */
  public static double toOriginalUnits(int i, double v) {
    return isLogTransformed(i) ? Math.expm1(v) : v;
  }

  // Never happened -> noActivityDays; an event "after" now (clock skew) -> 0 days.
  private static double daysSince(long at, long nowMs, ProfileConfig cfg) {
    if (at == CustomerProfile.NONE) return cfg.noActivityDays();
    return Math.max(0.0, (nowMs - at) / MS_PER_DAY);
  }

  private static void checkIndex(int i) {
    if (i < 0 || i >= DIMENSION) {
      throw new IndexOutOfBoundsException("feature index " + i + " outside [0, " + DIMENSION + ")");
    }
  }
}
