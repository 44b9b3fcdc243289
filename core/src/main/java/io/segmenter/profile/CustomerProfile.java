package io.segmenter.profile;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything segmenter keeps about one customer: RFM figures, decayed recent activity, behaviour
 * counts, and the customer's current segment assignment (kept here so that one store read and
 * write covers both). Its size is bounded whatever the length of the history: the only
 * collections are the session memory ({@link ProfileConfig#sessionMemory()} entries) and the
 * category set ({@link ProfileConfig#categoryLimit()} hashes). No customer id or other personal
 * data is stored: the store key identifies the customer.
 *
 * <p><b>Out-of-order guarantee.</b> Applying the same set of events in any order gives an equal
 * profile: counts, times and sets exactly, decayed values up to floating-point rounding (1e-9
 * relative), because every update is a sum, a min, a max or a set union. The limit is the session
 * memory: if more than {@code sessionMemory} sessions are interleaved, an evicted session that
 * shows up again is counted again, and which one was evicted depends on the order. Duplicates are
 * not detected by {@code apply}; the caller de-duplicates with {@link #recentIds()}, which the profile
 * only carries.
 *
 * <p>Times are epoch milliseconds, {@link #NONE} when absent. Money is kept exactly as a long
 * count of 1e-4 currency units (the events' decimal scale). Mutable and not thread-safe.
 */
public final class CustomerProfile {
  /** An absent time. */
  public static final long NONE = Long.MIN_VALUE;
  /** {@link #segmentId()} when the customer has no segment yet. */
  public static final int NO_SEGMENT = -1;
  /** {@link #assignedModelVersion()} when no model assigned the customer yet. */
  public static final long NO_MODEL = -1;

  static final int MONEY_SCALE = 4;
  private static final double UNITS_PER_CURRENCY = 1e4;
  /** Purchases on the same UTC day count as one purchase day (the repeat-purchase models' unit). */
  static final long DAY_MS = 86_400_000L;

  // Times.
  long firstSeenAt = NONE;
  long lastEventAt = NONE;
  long lastVisitAt = NONE;
  long firstOrderAt = NONE;
  long lastOrderAt = NONE;

  // RFM.
  long orders;
  long cancellations;
  long returns;
  long grossSpendUnits;
  long refundedUnits;

  // Repeat purchasing (BG/NBD and Gamma-Gamma, see repeatSummary).
  /** UTC days with a placed order. */
  long purchaseDays;
  /** Gross spend of the placed orders of the first purchase day. */
  long firstDaySpendUnits;

  // Decayed recent activity (PLACED orders only).
  DecayedSum decayedOrders = DecayedSum.EMPTY;
  DecayedSum decayedSpend = DecayedSum.EMPTY;

  // Behaviour.
  long pageViews;
  long productViews;
  long searches;
  long cartAdds;
  long cartRemoves;
  long checkoutStarts;
  long sessions;
  long cartSessions;
  final SessionMemory sessionMemory = new SessionMemory();
  final CategorySet categories = new CategorySet();
  /** The recent events' ids, for de-duplication (kept here since every event writes the profile). */
  final RecentIds recentIds = new RecentIds();

  // Assignment state, written by the topology.
  int segmentId = NO_SEGMENT;
  long segmentSince = NONE;
  long assignedModelVersion = NO_MODEL;
  long changeSequence;
  long nextCheckAt = NONE;
  long lastSampledAt = NONE;
  int predictiveSegment = NO_SEGMENT;
  long predictiveSince = NONE;

  private CustomerProfile() {}

  public static CustomerProfile empty() {
    return new CustomerProfile();
  }

  public void apply(ClickEvent e, ProfileConfig c) {
    long t = millis(e.getOccurredAt());
    seen(t);
    lastVisitAt = max(lastVisitAt, t);
    // A type added by a newer producer arrives as UNKNOWN: still a visit, but no counter.
    ClickType type = e.getType() == null ? ClickType.UNKNOWN : e.getType();
    switch (type) {
      case PAGE_VIEW -> pageViews++;
      case PRODUCT_VIEW -> productViews++;
      case SEARCH -> searches++;
      case ADD_TO_CART -> cartAdds++;
      case REMOVE_FROM_CART -> cartRemoves++;
      case CHECKOUT_START -> checkoutStarts++;
      default -> { }
    }
    if (e.getSessionId() != null) {
      int r = sessionMemory.observe(
          SessionMemory.hash(e.getSessionId()), t, type == ClickType.ADD_TO_CART, c.sessionMemory());
      if ((r & SessionMemory.NEW_SESSION) != 0) sessions++;
      if ((r & SessionMemory.NEW_CART_SESSION) != 0) cartSessions++;
    }
    if (e.getCategory() != null) categories.add(CategorySet.hash(e.getCategory()), c.categoryLimit());
  }

  public void apply(OrderEvent e, ProfileConfig c) {
    long t = millis(e.getOccurredAt());
    seen(t);
    OrderStatus status = e.getStatus() == null ? OrderStatus.UNKNOWN : e.getStatus();
    // A status added by a newer producer: we cannot tell whether it adds or removes money.
    if (status == OrderStatus.UNKNOWN) return;
    long units = units(e.getAmount());
    switch (status) {
      case PLACED -> {
        countPurchaseDay(t, units);
        orders++;
        grossSpendUnits = saturatedAdd(grossSpendUnits, units);
        firstOrderAt = min(firstOrderAt, t);
        lastOrderAt = max(lastOrderAt, t);
        decayedOrders = decayedOrders.add(1, t, c.halfLifeMs());
        decayedSpend = decayedSpend.add(units / UNITS_PER_CURRENCY, t, c.halfLifeMs());
      }
      case CANCELLED -> {
        cancellations++;
        refundedUnits = saturatedAdd(refundedUnits, units);
      }
      case RETURNED -> {
        returns++;
        refundedUnits = saturatedAdd(refundedUnits, units);
      }
      default -> throw new AssertionError(status);
    }
    List<String> cats = e.getCategories();
    if (cats != null) {
      for (String cat : cats) {
        if (cat != null) categories.add(CategorySet.hash(cat), c.categoryLimit());
      }
    }
  }

  /**
   * Same-day purchases merged, as in the repeat-purchase literature. Called before the order times
   * move. Exact when orders arrive in time order. Out of order, a day between the first and the last
   * purchase day cannot be told apart from one already counted (only those two days are kept), so it
   * is counted again: the one exception to the order-independence in the class comment.
   */
  private void countPurchaseDay(long t, long units) {
    long day = Math.floorDiv(t, DAY_MS);
    if (firstOrderAt == NONE) {
      purchaseDays = 1;
      firstDaySpendUnits = units;
      return;
    }
    long firstDay = Math.floorDiv(firstOrderAt, DAY_MS);
    if (day < firstDay) {
      purchaseDays++;
      firstDaySpendUnits = units; // the old first day's spend becomes repeat spend
    } else if (day == firstDay) {
      firstDaySpendUnits = saturatedAdd(firstDaySpendUnits, units);
    } else if (day != Math.floorDiv(lastOrderAt, DAY_MS)) {
      purchaseDays++;
    }
  }

  private void seen(long t) {
    firstSeenAt = min(firstSeenAt, t);
    lastEventAt = max(lastEventAt, t);
  }

  private static long millis(Instant at) {
    return Objects.requireNonNull(at, "occurredAt").toEpochMilli();
  }

  /**
   * Exact 1e-4 units. A negative amount (a producer bug: the schema says non-negative) counts as
   * zero rather than turning a purchase into a refund.
   */
  private static long units(BigDecimal amount) {
    if (amount == null || amount.signum() <= 0) return 0;
    BigDecimal scaled = amount.setScale(MONEY_SCALE, RoundingMode.HALF_EVEN);
    return scaled.unscaledValue().bitLength() < 64 ? scaled.unscaledValue().longValue() : Long.MAX_VALUE;
  }

  // Saturating rather than throwing: an exception here would stop the stream thread on one record.
  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private static long min(long current, long t) {
    return current == NONE ? t : Math.min(current, t);
  }

  private static long max(long current, long t) {
    return current == NONE ? t : Math.max(current, t);
  }

  // ---- derived figures ----

  /** Spend of placed orders minus cancelled and returned amounts, never negative, at scale 4. */
  public BigDecimal netSpend() {
    return BigDecimal.valueOf(netSpendUnits(), MONEY_SCALE);
  }

  public double netSpendValue() {
    return netSpendUnits() / UNITS_PER_CURRENCY;
  }

  /** Net spend per placed order; 0 without orders. */
  public double averageOrderValue() {
    return orders == 0 ? 0 : netSpendValue() / orders;
  }

  public double decayedOrders(long nowMs, Duration halfLife) {
    return decayedOrders.valueAt(nowMs, halfLife.toMillis());
  }

  public double decayedSpend(long nowMs, Duration halfLife) {
    return decayedSpend.valueAt(nowMs, halfLife.toMillis());
  }

  /**
   * Share of cart sessions not followed by an order, approximated as
   * max(0, cartSessions - orders) / cartSessions: orders are not tied to sessions, so every order
   * is assumed to close one cart. 0 without cart sessions.
   */
  public double cartAbandonment() {
    return cartSessions == 0 ? 0 : (double) Math.max(0, cartSessions - orders) / cartSessions;
  }

  /** Distinct categories seen, saturating at {@link ProfileConfig#categoryLimit()}. */
  public int distinctCategories() {
    return categories.size();
  }

  /**
   * The customer as the BG/NBD and Gamma-Gamma models see them at {@code nowMs}, times in units of
   * {@code unitMs}: x = purchase days after the first, t_x = last minus first purchase time, T = now
   * minus first purchase time (never less than t_x: an order stamped after "now" counts as now), and
   * the mean gross spend of the repeat purchase days (placed amounts; refunds are not attributed to a
   * day). Null for a customer who never placed an order: the models start at the first purchase.
   */
  public io.segmenter.clv.CustomerSummary repeatSummary(long nowMs, double unitMs) {
    if (firstOrderAt == NONE) return null;
    long x = Math.max(0, purchaseDays - 1);
    double tx = (lastOrderAt - firstOrderAt) / unitMs;
    double age = Math.max(nowMs - firstOrderAt, lastOrderAt - firstOrderAt) / unitMs;
    double repeatSpend = Math.max(0, grossSpendUnits - firstDaySpendUnits) / UNITS_PER_CURRENCY;
    return new io.segmenter.clv.CustomerSummary(x, tx, age, x == 0 ? 0 : repeatSpend / x);
  }

  private long netSpendUnits() {
    return Math.max(0, grossSpendUnits - refundedUnits);
  }

  // ---- getters ----

  public long firstSeenAt() { return firstSeenAt; }
  public long lastEventAt() { return lastEventAt; }
  public long lastVisitAt() { return lastVisitAt; }
  public long firstOrderAt() { return firstOrderAt; }
  public long lastOrderAt() { return lastOrderAt; }
  public long orders() { return orders; }
  public long cancellations() { return cancellations; }
  public long returns() { return returns; }
  public long grossSpendUnits() { return grossSpendUnits; }
  public long refundedUnits() { return refundedUnits; }
  public long purchaseDays() { return purchaseDays; }
  public long firstDaySpendUnits() { return firstDaySpendUnits; }
  public DecayedSum decayedOrdersSum() { return decayedOrders; }
  public DecayedSum decayedSpendSum() { return decayedSpend; }
  public long pageViews() { return pageViews; }
  public long productViews() { return productViews; }
  public long searches() { return searches; }
  public long cartAdds() { return cartAdds; }
  public long cartRemoves() { return cartRemoves; }
  public long checkoutStarts() { return checkoutStarts; }
  public long sessions() { return sessions; }
  public long cartSessions() { return cartSessions; }
  /** Read-only use only: the remembered recent sessions. */
  public SessionMemory sessionMemory() { return sessionMemory; }
  public RecentIds recentIds() { return recentIds; }
  /** Read-only use only: the tracked category hashes. */
  public CategorySet categories() { return categories; }

  // ---- assignment state ----

  public int segmentId() { return segmentId; }
  public long segmentSince() { return segmentSince; }
  public long assignedModelVersion() { return assignedModelVersion; }
  public long changeSequence() { return changeSequence; }
  public long nextCheckAt() { return nextCheckAt; }
  public long lastSampledAt() { return lastSampledAt; }
  /** The predictive segment's ordinal ({@code io.segmenter.clv.PredictiveSegment}), or NO_SEGMENT. */
  public int predictiveSegment() { return predictiveSegment; }
  public long predictiveSince() { return predictiveSince; }

  public void setSegmentId(int segmentId) { this.segmentId = segmentId; }
  public void setSegmentSince(long segmentSince) { this.segmentSince = segmentSince; }
  public void setAssignedModelVersion(long v) { this.assignedModelVersion = v; }
  public void setChangeSequence(long changeSequence) { this.changeSequence = changeSequence; }
  public void setNextCheckAt(long nextCheckAt) { this.nextCheckAt = nextCheckAt; }
  public void setLastSampledAt(long lastSampledAt) { this.lastSampledAt = lastSampledAt; }
  public void setPredictiveSegment(int ordinal, long since) {
    this.predictiveSegment = ordinal;
    this.predictiveSince = since;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof CustomerProfile p)) return false;
    return firstSeenAt == p.firstSeenAt && lastEventAt == p.lastEventAt
        && lastVisitAt == p.lastVisitAt && firstOrderAt == p.firstOrderAt
        && lastOrderAt == p.lastOrderAt
        && orders == p.orders && cancellations == p.cancellations && returns == p.returns
        && grossSpendUnits == p.grossSpendUnits && refundedUnits == p.refundedUnits
        && purchaseDays == p.purchaseDays && firstDaySpendUnits == p.firstDaySpendUnits
        && decayedOrders.equals(p.decayedOrders) && decayedSpend.equals(p.decayedSpend)
        && pageViews == p.pageViews && productViews == p.productViews
        && searches == p.searches && cartAdds == p.cartAdds && cartRemoves == p.cartRemoves
        && checkoutStarts == p.checkoutStarts && sessions == p.sessions
        && cartSessions == p.cartSessions
        && sessionMemory.equals(p.sessionMemory) && categories.equals(p.categories)
        && recentIds.equals(p.recentIds)
        && segmentId == p.segmentId && segmentSince == p.segmentSince
        && assignedModelVersion == p.assignedModelVersion
        && changeSequence == p.changeSequence && nextCheckAt == p.nextCheckAt
        && lastSampledAt == p.lastSampledAt
        && predictiveSegment == p.predictiveSegment && predictiveSince == p.predictiveSince;
  }

  @Override
  public int hashCode() {
    return Objects.hash(firstSeenAt, lastEventAt, lastVisitAt, firstOrderAt, lastOrderAt,
        orders, cancellations, returns, grossSpendUnits, refundedUnits, purchaseDays, firstDaySpendUnits,
        decayedOrders,
        decayedSpend, pageViews, productViews, searches, cartAdds, cartRemoves, checkoutStarts,
        sessions, cartSessions, sessionMemory, categories, recentIds, segmentId, segmentSince,
        assignedModelVersion, changeSequence, nextCheckAt, lastSampledAt, predictiveSegment, predictiveSince);
  }

  /** Figures only: the profile holds no personal data, and session ids are not shown even hashed. */
  @Override
  public String toString() {
    return "CustomerProfile{firstSeenAt=" + time(firstSeenAt) + ", lastEventAt=" + time(lastEventAt)
        + ", lastVisitAt=" + time(lastVisitAt) + ", firstOrderAt=" + time(firstOrderAt)
        + ", lastOrderAt=" + time(lastOrderAt)
        + ", orders=" + orders + ", cancellations=" + cancellations + ", returns=" + returns
        + ", netSpend=" + netSpend().toPlainString() + ", purchaseDays=" + purchaseDays
        + ", decayedOrders=" + decayedOrders + ", decayedSpend=" + decayedSpend
        + ", pageViews=" + pageViews + ", productViews=" + productViews
        + ", searches=" + searches + ", cartAdds=" + cartAdds + ", cartRemoves=" + cartRemoves
        + ", checkoutStarts=" + checkoutStarts + ", sessions=" + sessions
        + ", cartSessions=" + cartSessions + ", rememberedSessions=" + sessionMemory.size()
        + ", distinctCategories=" + categories.size()
        + ", segmentId=" + segmentId + ", segmentSince=" + time(segmentSince)
        + ", modelVersion=" + assignedModelVersion + ", changeSequence=" + changeSequence
        + ", nextCheckAt=" + time(nextCheckAt) + ", lastSampledAt=" + time(lastSampledAt)
        + ", predictiveSegment=" + predictiveSegment + '}';
  }

  private static String time(long ms) {
    return ms == NONE ? "none" : Instant.ofEpochMilli(ms).toString();
  }
}
