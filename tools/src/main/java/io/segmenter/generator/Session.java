package io.segmenter.generator;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Walks one browsing session of one customer, one event at a time: a page view, searches, product
 * views, for each cart item a view then an add-to-cart, then either a checkout and an order (a
 * buying session) or perhaps a removal (a browsing session, whose cart is abandoned). Lazy on
 * purpose: a customer holds only the next event, never a whole session, so memory stays
 * O(customers).
 */
final class Session {
  private static final long SECOND = 1_000L;

  private final String customerId;
  private final Persona persona;
  private final String idStem;
  private final CustomerPlan plan;
  private final SplittableRandom rng;
  private final String currency;

  private long eventSeq;
  private long sessionSeq;
  private long orderSeq;

  private String sessionId;
  private String channel;
  private String device;
  private boolean first;
  private long clock;
  private int pageViews;
  private int searches;
  private int views;
  private int cartItems;
  private boolean cartItemViewed;
  private int removes;
  private boolean checkout;
  private boolean order;
  private double itemPriceLevel;
  private int itemCategory;
  private int itemPoint;
  private long cartCents;
  private int cartCount;
  private final List<String> cartCategories = new ArrayList<>(4);

  Session(int customerIndex, String customerId, Persona persona, CustomerPlan plan, SplittableRandom rng,
      String currency) {
    this.customerId = customerId;
    this.persona = persona;
    this.idStem = Ids.pad(customerIndex + 1, 6) + "-";
    this.plan = plan;
    this.rng = rng;
    this.currency = currency;
  }

  void start(long at, boolean buying) {
    sessionId = "s-" + idStem + (++sessionSeq);
    boolean app = rng.nextDouble() < plan.appShare;
    channel = app ? "app" : "web";
    device = app || rng.nextDouble() < 0.4 ? "mobile" : "desktop";
    first = true;
    clock = at;
    pageViews = 1;
    searches = between(plan.searchesMin, plan.searchesMax);
    views = between(plan.viewsMin, plan.viewsMax);
    cartCents = 0;
    cartCount = 0;
    cartCategories.clear();
    cartItemViewed = false;
    if (buying) {
      cartItems = between(1, plan.maxItems);
      // Spread the order's value (AOV with some noise) over its items.
      itemPriceLevel = plan.aov * Math.exp(0.25 * rng.nextGaussian() - 0.03) / cartItems;
      removes = 0;
    } else {
      boolean carts = rng.nextDouble() < plan.browseCartProbability;
      // Bargain hunters fill carts they never buy: that abandonment is their signature.
      cartItems = carts ? between(1, persona == Persona.BARGAIN_HUNTER ? 4 : 2) : 0;
      itemPriceLevel = plan.aov / Math.max(1, (plan.maxItems + 1) / 2.0);
      removes = carts && rng.nextDouble() < 0.3 ? 1 : 0;
    }
    checkout = buying;
    order = buying;
  }

  /** The next event of the session, or null when it is over. */
  GeneratedEvent next() {
    long at = first ? clock : clock + clickGap();
    first = false;
    if (pageViews > 0) {
      pageViews--;
      return click(at, ClickType.PAGE_VIEW, favourite(), -1);
    }
    if (searches > 0) {
      searches--;
      return click(at, ClickType.SEARCH, favourite(), -1);
    }
    if (views > 0) {
      views--;
      return click(at, ClickType.PRODUCT_VIEW, favourite(), pointNear(itemPriceLevel, 0.4));
    }
    if (cartItems > 0) {
      if (!cartItemViewed) {
        cartItemViewed = true;
        itemCategory = favourite();
        itemPoint = pointNear(itemPriceLevel, 0.2);
        return click(at, ClickType.PRODUCT_VIEW, itemCategory, itemPoint);
      }
      cartItemViewed = false;
      cartItems--;
      cartCents += Catalogue.priceCents(itemPoint);
      cartCount++;
      String category = Catalogue.CATEGORIES.get(itemCategory);
      if (!cartCategories.contains(category)) cartCategories.add(category);
      return click(at, ClickType.ADD_TO_CART, itemCategory, itemPoint);
    }
    if (removes > 0) {
      removes--;
      return click(at, ClickType.REMOVE_FROM_CART, itemCategory, itemPoint);
    }
    if (checkout) {
      checkout = false;
      return click(at, ClickType.CHECKOUT_START, -1, -1);
    }
    if (order) {
      order = false;
      // Payment takes a little longer than a click.
      long placedAt = clock + 20 * SECOND + rng.nextLong(220 * SECOND);
      clock = placedAt;
      return new GeneratedEvent(customerId, persona, placedOrder(placedAt), placedAt);
    }
    return null;
  }

  /** Time of the last event handed out. */
  long lastAt() {
    return clock;
  }

  private OrderEvent placedOrder(long at) {
    return new OrderEvent("o-" + idStem + (++orderSeq), customerId, OrderStatus.PLACED, Catalogue.money(cartCents),
        currency, cartCount, List.copyOf(cartCategories), Instant.ofEpochMilli(at));
  }

  private GeneratedEvent click(long at, ClickType type, int category, int point) {
    clock = at;
    // The all-args constructor: the builder validates and flags each field, several times slower.
    ClickEvent event = new ClickEvent("e-" + idStem + (++eventSeq), customerId, sessionId, type,
        point < 0 ? null : Catalogue.productId(category, point),
        category < 0 ? null : Catalogue.CATEGORIES.get(category),
        point < 0 ? null : Catalogue.money(Catalogue.priceCents(point)),
        channel, device, Instant.ofEpochMilli(at));
    return new GeneratedEvent(customerId, persona, event, at);
  }

  /** Seconds to a few minutes between clicks of one session. */
  private long clickGap() {
    double exp = -40_000 * Math.log(1 - rng.nextDouble());
    return 3 * SECOND + Math.min((long) exp, 10 * 60 * SECOND);
  }

  private int pointNear(double price, double spread) {
    return Catalogue.pricePoint(price * Math.exp(spread * rng.nextGaussian()));
  }

  private int favourite() {
    return plan.favourites[rng.nextInt(plan.favourites.length)];
  }

  private int between(int min, int max) {
    return rng.nextInt(min, max + 1);
  }
}
