package io.segmenter.generator;

import java.util.SplittableRandom;

/**
 * The behaviour parameters of one customer, drawn once from its persona's ranges. Each persona's
 * figures are in one place ({@link #draw}) so they can be read side by side: they are chosen to be
 * far apart in recency, frequency, spend and browsing so that clustering can recover the personas.
 */
final class CustomerPlan {
  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  private final SplittableRandom rng;
  long activeFrom;
  long activeTo;
  /** Mean time between orders in ms; 0 = never orders. */
  double orderEveryMs;
  double browseEveryMs;
  double aov;
  int[] favourites;
  int viewsMin;
  int viewsMax;
  int searchesMin;
  int searchesMax;
  double browseCartProbability;
  int maxItems = 1;
  int maxOrders = Integer.MAX_VALUE;
  boolean firstVisitBuys;
  /** When > 0, an order is forced into the last recentOrderMs of the active window if none falls there. */
  long recentOrderMs;
  double appShare;

  private CustomerPlan(SplittableRandom rng, long start, long end) {
    this.rng = rng;
    this.activeFrom = start;
    this.activeTo = end;
    this.appShare = rng.nextDouble();
  }

  static CustomerPlan draw(Persona persona, SplittableRandom rng, long start, long end) {
    CustomerPlan p = new CustomerPlan(rng, start, end);
    switch (persona) {
      case CHAMPION -> p.ordersEveryDays(4, 8).aov(80, 200).browseEveryDays(3, 6).categories(3, 6)
          .views(4, 10).searches(0, 2).browseCart(0.25).items(4).recentOrderDays(10);
      case LOYAL -> p.ordersEveryDays(18, 30).aov(35, 70).browseEveryDays(8, 14).categories(2, 4)
          .views(3, 6).searches(0, 1).browseCart(0.15).items(3);
      case NEW -> {
        long window = Math.min(14 * DAY, end - start);
        // At least two hours before the end so that the first (buying) visit completes.
        p.activeFrom = end - Math.max(2 * HOUR, (long) (window * p.uniform(0.05, 1.0)));
        p.ordersEveryDays(3, 6).aov(30, 80).browseEveryDays(2, 5).categories(1, 3)
            .views(2, 6).searches(0, 2).browseCart(0.2).items(2);
        p.firstVisitBuys = true;
        p.maxOrders = rng.nextDouble() < 0.3 ? 2 : 1;
      }
      case BARGAIN_HUNTER -> p.ordersEveryDays(10, 16).aov(5, 20).browseEveryDays(1, 2.5).categories(8, 15)
          .views(3, 8).searches(3, 8).browseCart(0.85).items(3);
      case WINDOW_SHOPPER -> p.browseEveryDays(2, 4).aov(20, 150).categories(4, 8)
          .views(8, 20).searches(0, 3).browseCart(0.15);
      case LAPSING -> {
        p.ordersEveryDays(7, 14).aov(60, 120).browseEveryDays(4, 8).categories(3, 5)
            .views(3, 8).searches(0, 2).browseCart(0.2).items(3);
        p.activeTo = start + (long) ((end - start) * p.uniform(0.35, 0.55));
      }
      default -> throw new IllegalStateException("no plan for " + persona);
    }
    return p;
  }

  boolean buys() {
    return orderEveryMs > 0;
  }

  double uniform(double min, double max) {
    return min + (max - min) * rng.nextDouble();
  }

  private CustomerPlan ordersEveryDays(double min, double max) {
    orderEveryMs = uniform(min, max) * DAY;
    return this;
  }

  private CustomerPlan browseEveryDays(double min, double max) {
    browseEveryMs = uniform(min, max) * DAY;
    return this;
  }

  private CustomerPlan aov(double min, double max) {
    aov = uniform(min, max);
    return this;
  }

  private CustomerPlan categories(int min, int max) {
    int n = rng.nextInt(min, max + 1);
    // Partial Fisher-Yates over the catalogue: n distinct favourite categories.
    int[] all = new int[Catalogue.CATEGORIES.size()];
    for (int i = 0; i < all.length; i++) all[i] = i;
    for (int i = 0; i < n; i++) {
      int j = rng.nextInt(i, all.length);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    favourites = java.util.Arrays.copyOf(all, n);
    return this;
  }

  private CustomerPlan views(int min, int max) {
    viewsMin = min;
    viewsMax = max;
    return this;
  }

  private CustomerPlan searches(int min, int max) {
    searchesMin = min;
    searchesMax = max;
    return this;
  }

  private CustomerPlan browseCart(double probability) {
    browseCartProbability = probability;
    return this;
  }

  private CustomerPlan items(int max) {
    maxItems = max;
    return this;
  }

  private CustomerPlan recentOrderDays(double days) {
    recentOrderMs = (long) (days * DAY);
    return this;
  }
}
