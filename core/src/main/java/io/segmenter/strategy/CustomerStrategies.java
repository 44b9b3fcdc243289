package io.segmenter.strategy;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the strategy-assignments store keeps for one customer, beside the profile: the challengers'
 * segments (the champion's is in the profile; this says which strategy that is) and the customer's
 * pending 30-day outcome window (see {@link OutcomeWindows}). One mutable object per customer,
 * read, changed and written back within one step, as the profile is.
 *
 * <p>Maps are sorted by strategy name, so that the encoding ({@link CustomerStrategiesCodec}) and
 * equality do not depend on the order of updates.
 */
public final class CustomerStrategies {
  /** {@link #windowStart()} when no window is pending. */
  public static final long NONE = Long.MIN_VALUE;
  /** A segment id for "no segment". */
  public static final int NO_SEGMENT = -1;

  /**
   * One challenger's segment for the customer.
   *
   * @param segment its segment id, {@link #NO_SEGMENT} for none
   * @param modelVersion the version of the challenger's model that decided it
   */
  public record Assignment(int segment, long modelVersion) {
    public Assignment {
      if (segment < NO_SEGMENT) throw new IllegalArgumentException("segment " + segment + " is below -1 (none)");
    }
  }

  private String champion;
  private final SortedMap<String, Assignment> challengers = new TreeMap<>();
  private long windowStart = NONE;
  private boolean windowBegun;
  private final SortedMap<String, Integer> segmentsAtStart = new TreeMap<>();
  private int orders;
  private double revenue;
  private final SortedMap<String, Integer> quietChanges = new TreeMap<>();

  /** The strategy whose segment the customer's profile holds; null when none was ever recorded. */
  public String champion() {
    return champion;
  }

  public void champion(String strategy) {
    this.champion = strategy;
  }

  /** The challenger's assignment, null when it has none for the customer. */
  public Assignment assignment(String strategy) {
    return challengers.get(strategy);
  }

  public void put(String strategy, Assignment assignment) {
    challengers.put(Objects.requireNonNull(strategy, "strategy"), Objects.requireNonNull(assignment, "assignment"));
  }

  public Assignment remove(String strategy) {
    return challengers.remove(strategy);
  }

  /** The challengers with an assignment, in name order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(challengers.keySet());
  }

  /**
   * Drops everything held for a strategy (its assignment, its segment at the window's start, its
   * quiet changes): for a challenger taken out of the settings, whose entries would otherwise stay
   * in every customer's record for good.
   */
  public void forget(String strategy) {
    challengers.remove(strategy);
    segmentsAtStart.remove(strategy);
    quietChanges.remove(strategy);
  }

  /** True when nothing is held: the store may delete the record instead of writing it. */
  public boolean isEmpty() {
    return champion == null && challengers.isEmpty() && windowStart == NONE;
  }

  /** Start (epoch ms, on the window grid) of the pending outcome window, {@link #NONE} when none. */
  public long windowStart() {
    return windowStart;
  }

  /** Whether the pending window has begun: the customer's segments at its start are recorded. */
  public boolean windowBegun() {
    return windowBegun;
  }

  /** Each strategy's segment for the customer at the start of the pending window (read-only). */
  public Map<String, Integer> segmentsAtStart() {
    return Collections.unmodifiableMap(segmentsAtStart);
  }

  /** Orders placed in the pending window so far. */
  public int orders() {
    return orders;
  }

  /** Revenue of those orders. */
  public double revenue() {
    return revenue;
  }

  /** Per strategy, how often it moved the customer at a re-check without an event, in the pending window. */
  public Map<String, Integer> quietChanges() {
    return Collections.unmodifiableMap(quietChanges);
  }

  // The window is changed only through OutcomeWindows (and restored by the codec), which keep its rules.

  /** A pending window at {@code start}, begun or not, with the given segments and empty counters. */
  void window(long start, boolean begun, Map<String, Integer> segments) {
    windowStart = start;
    windowBegun = begun;
    segmentsAtStart.clear();
    segmentsAtStart.putAll(segments);
    orders = 0;
    revenue = 0;
    quietChanges.clear();
  }

  void counters(int orders, double revenue, Map<String, Integer> quietChanges) {
    this.orders = orders;
    this.revenue = revenue;
    this.quietChanges.clear();
    this.quietChanges.putAll(quietChanges);
  }

  void addOrder(double amount) {
    orders = orders == Integer.MAX_VALUE ? orders : orders + 1;
    revenue += amount;
  }

  void addQuietChange(String strategy) {
    quietChanges.merge(strategy, 1, (a, b) -> a == Integer.MAX_VALUE ? a : a + b);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof CustomerStrategies s)) return false;
    return windowStart == s.windowStart && windowBegun == s.windowBegun && orders == s.orders
        && Double.compare(revenue, s.revenue) == 0 && Objects.equals(champion, s.champion)
        && challengers.equals(s.challengers) && segmentsAtStart.equals(s.segmentsAtStart)
        && quietChanges.equals(s.quietChanges);
  }

  @Override
  public int hashCode() {
    return Objects.hash(champion, challengers, windowStart, windowBegun, segmentsAtStart, orders, revenue, quietChanges);
  }

  /** No customer id in here, so the whole state may be logged. */
  @Override
  public String toString() {
    return "CustomerStrategies{champion=" + champion + ", challengers=" + challengers + ", windowStart="
        + (windowStart == NONE ? "none" : windowStart) + ", begun=" + windowBegun + ", segmentsAtStart="
        + segmentsAtStart + ", orders=" + orders + ", revenue=" + revenue + ", quietChanges=" + quietChanges + "}";
  }
}
