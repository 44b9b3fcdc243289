package io.segmenter.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The taxonomy segment names come from: the RFM map marketers use for customers who buy, and names
 * for visitors who have not bought (yet). Each name has a region in score space (see
 * {@link CentreScores}): a centre inside it earns the name; outside, the name costs the squared
 * distance to the region, and {@link SegmentNamer} gives every centre of a version a distinct name
 * at the least total cost. docs/SEGMENT-NAMES.md is the reader's copy of this table: keep the two in
 * step.
 *
 * <p>Two properties make a name honest, and the namer enforces both:
 * <ul>
 *   <li>{@link #valueTier()}: a name in a higher tier never goes to a centre with both lower spend
 *       and fewer orders than a centre with a lower-tier name;</li>
 *   <li>{@link #recency()}: a name that says ACTIVE goes only to a centre scoring 3 or better on
 *       recency, one that says LAPSED only to a centre scoring 2 or worse, so a recent-sounding
 *       name never has a longer recency than a lapsed-sounding one. Buyers' names are judged on the
 *       last order, visitors' names on the last visit.</li>
 * </ul>
 */
public enum SegmentName {
  CHAMPIONS("Champions", Family.BUYER, Recency.ACTIVE, 4, Orders.OFTEN,
      "Bought recently, buy often and spend the most.",
      List.of(Bound.of(Axis.RECENCY, 3.5, 5.5), Bound.of(Axis.FREQUENCY_MONETARY, 3.5, 5.5))),
  LOYAL("Loyal", Family.BUYER, Recency.ACTIVE, 4, Orders.OFTEN,
      "Buy often and spend well; not quite the most recent.",
      List.of(Bound.of(Axis.RECENCY, 2.5, 3.5), Bound.of(Axis.FREQUENCY_MONETARY, 3.5, 5.5))),
  POTENTIAL_LOYALIST("Potential Loyalist", Family.BUYER, Recency.ACTIVE, 3, Orders.ANY,
      "Recent, with middling frequency and spend: can be grown.",
      List.of(Bound.of(Axis.RECENCY, 2.5, 5.5), Bound.of(Axis.FREQUENCY_MONETARY, 2.5, 3.5))),
  NEW_CUSTOMERS("New Customers", Family.BUYER, Recency.ACTIVE, 2, Orders.ONCE,
      "Bought very recently, for the first time or nearly.",
      List.of(Bound.of(Axis.RECENCY, 3.5, 5.5))),
  PROMISING("Promising", Family.BUYER, Recency.ACTIVE, 2, Orders.ANY,
      "Fairly recent, but buy rarely and spend little so far.",
      List.of(Bound.of(Axis.RECENCY, 2.5, 4.5), Bound.of(Axis.FREQUENCY_MONETARY, 0.5, 2.5))),
  NEED_ATTENTION("Need Attention", Family.BUYER, Recency.ACTIVE, 2, Orders.ANY,
      "Average recency, frequency and spend, a little below the middle.",
      List.of(Bound.of(Axis.RECENCY, 2.5, 3.5), Bound.of(Axis.FREQUENCY_MONETARY, 1.5, 3.5))),
  CANT_LOSE_THEM("Can't Lose Them", Family.BUYER, Recency.LAPSED, 4, Orders.OFTEN,
      "Were among the most frequent buyers, and have been gone a long time.",
      List.of(Bound.of(Axis.RECENCY, 0.5, 1.5), Bound.of(Axis.FREQUENCY, 4.5, 5.5))),
  AT_RISK("At Risk", Family.BUYER, Recency.LAPSED, 3, Orders.ANY,
      "Used to buy often or spend well, but not lately.",
      List.of(Bound.of(Axis.RECENCY, 0.5, 2.5), Bound.of(Axis.FREQUENCY_MONETARY, 2.5, 5.5))),
  ABOUT_TO_SLEEP("About to Sleep", Family.BUYER, Recency.LAPSED, 2, Orders.ANY,
      "Slipping away, with low frequency and spend.",
      List.of(Bound.of(Axis.RECENCY, 1.5, 2.5), Bound.of(Axis.FREQUENCY_MONETARY, 0.5, 2.5))),
  HIBERNATING("Hibernating", Family.BUYER, Recency.LAPSED, 1, Orders.ANY,
      "Long gone, with low frequency and spend.",
      List.of(Bound.of(Axis.RECENCY, 0.5, 1.5), Bound.of(Axis.FREQUENCY_MONETARY, 0.5, 2.5))),
  LOST("Lost", Family.BUYER, Recency.LAPSED, 1, Orders.ANY,
      "Long gone, among the lowest in frequency and spend.",
      List.of(Bound.of(Axis.RECENCY, 0.5, 1.5), Bound.of(Axis.FREQUENCY, 0.5, 1.5), Bound.of(Axis.MONETARY, 0.5, 1.5))),
  CART_ABANDONERS("Cart Abandoners", Family.VISITOR, Recency.ANY, 0, Orders.ANY,
      "Have not bought, but put products in the cart and left them there.",
      List.of(Bound.of(Axis.CART_ADDS, 3.5, 5.5))),
  WINDOW_SHOPPERS("Window Shoppers", Family.VISITOR, Recency.ANY, 0, Orders.ANY,
      "Have not bought, but browse a lot.",
      List.of(Bound.of(Axis.VIEWS, 3.5, 5.5))),
  BROWSERS("Browsers", Family.VISITOR, Recency.ANY, 0, Orders.ANY,
      "Have not bought; look around now and then.",
      List.of(Bound.of(Axis.VIEWS, 0.5, 3.5))),
  NEW_VISITORS("New Visitors", Family.VISITOR, Recency.ACTIVE, 0, Orders.ANY,
      "Have not bought; visited recently for the first time or nearly.",
      List.of(Bound.of(Axis.VISIT_RECENCY, 3.5, 5.5), Bound.of(Axis.SESSIONS, 0.5, 2.5))),
  LAPSED_VISITORS("Lapsed Visitors", Family.VISITOR, Recency.LAPSED, 0, Orders.ANY,
      "Have not bought, and have not visited for a long time.",
      List.of(Bound.of(Axis.VISIT_RECENCY, 0.5, 2.5))),
  NON_BUYERS("Non-Buyers", Family.VISITOR, Recency.ANY, 0, Orders.ANY,
      "No completed order and no browsing on record (for example every order cancelled).",
      List.of());

  /**
   * Absolute limits on a centre's orders (original units), as the constructor's one number: a
   * positive one is a floor, a negative one a ceiling, 0 none (enum constants cannot use the enum's
   * own static fields, hence a nested holder).
   */
  private static final class Orders {
    /** "Buy often" names: at least two orders. */
    static final double OFTEN = 2.0;
    /** "First order" names: at most one and a half. */
    static final double ONCE = -1.5;
    static final double ANY = 0;
  }

  /** Who a name is for: customers who buy (a centre with at least half an order) or visitors who do not. */
  public enum Family { BUYER, VISITOR }

  /** What a name says about recency (of the last order for buyers, of the last visit for visitors). */
  public enum Recency { ACTIVE, LAPSED, ANY }

  /** A score axis of {@link CentreScores}; recency axes are reversed so that 5 is always "more". */
  public enum Axis { RECENCY, FREQUENCY, MONETARY, FREQUENCY_MONETARY, VISIT_RECENCY, SESSIONS, VIEWS, CART_ADDS }

  /** One side of a region: the centre's score on {@code axis} should lie in [lo, hi]. */
  public record Bound(Axis axis, double lo, double hi) {
    static Bound of(Axis axis, double lo, double hi) {
      return new Bound(axis, lo, hi);
    }

    /** How far {@code score} is outside [lo, hi], 0 inside. */
    double gap(double score) {
      return score < lo ? lo - score : score > hi ? score - hi : 0;
    }
  }

  private final String label;
  private final Family family;
  private final Recency recency;
  private final int valueTier;
  private final double minOrders;
  private final double maxOrders;
  private final String description;
  private final List<Bound> region;

  SegmentName(String label, Family family, Recency recency, int valueTier, double orders, String description,
      List<Bound> region) {
    this.minOrders = orders > 0 ? orders : 0;
    this.maxOrders = orders < 0 ? -orders : Double.POSITIVE_INFINITY;
    this.label = label;
    this.family = family;
    this.recency = recency;
    this.valueTier = valueTier;
    this.description = description;
    this.region = region;
  }

  /** The name people read, e.g. "Can't Lose Them". */
  public String label() {
    return label;
  }

  public Family family() {
    return family;
  }

  public Recency recency() {
    return recency;
  }

  /** 4 (most valuable) to 0 (visitors); names in one tier are not ranked against each other. */
  public int valueTier() {
    return valueTier;
  }

  /** One line saying what the name means. */
  public String description() {
    return description;
  }

  public List<Bound> region() {
    return region;
  }

  /**
   * Whether a centre with this many orders (original units) may have the name at all: the scores
   * are relative to the population, so a group of one-order buyers among visitors who never buy
   * scores top on frequency; names that say "often" or "first" are held to the absolute count.
   */
  public boolean allowsOrders(double orders) {
    return (minOrders <= 0 || orders >= minOrders) && orders <= maxOrders;
  }

  /** Whether the name holds centres to an absolute number of orders (it is then more specific). */
  public boolean limitsOrders() {
    return minOrders > 0 || maxOrders < Double.POSITIVE_INFINITY;
  }

  /** The name with this label, ignoring case; empty for a label outside the taxonomy. */
  public static Optional<SegmentName> ofLabel(String label) {
    if (label == null) return Optional.empty();
    String wanted = label.trim().toLowerCase(Locale.ROOT);
    for (SegmentName n : values()) if (n.label.toLowerCase(Locale.ROOT).equals(wanted)) return Optional.of(n);
    return Optional.empty();
  }

  @Override
  public String toString() {
    return label;
  }
}
