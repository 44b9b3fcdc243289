package io.segmenter.strategy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The 30-day outcome windows of one customer: what the customer does in the 30 days after a moment
 * at which every strategy had put them in a segment. That is how strategies are judged: a segment
 * that predicts what its members do next is worth more than one that only describes the past.
 *
 * <p><b>A shared grid.</b> Windows are {@link #WINDOW_MS} long and start at multiples of it since the
 * epoch (1970-01-01T00:00Z), so every customer's windows and every strategy's share their start and
 * end: the strategies are compared on the same customer-windows, and a window's figures do not
 * depend on when the customer happened to arrive.
 *
 * <p><b>Observed from a boundary.</b> A customer is observed from the first boundary after their first
 * visit at which they hold segments. Opening a window at an order would count that very order in it:
 * every window would "purchase", whatever the segment. The segments at a boundary are taken at the
 * first visit after it ({@link #visit}, called at every evaluation before it changes anything): no
 * evaluation ran between the boundary and that visit, so the segments held then are those held at
 * the boundary.
 *
 * <p>Pure: the caller keeps the state in {@link CustomerStrategies} and passes the clock.
 */
public final class OutcomeWindows {
  /** The window: 30 days, the horizon of "purchase in the next 30 days". */
  public static final long WINDOW_MS = 30 * 86_400_000L;
  /** Windows closed by one visit at most (see {@link #visit}). */
  public static final int MAX_CLOSED_PER_VISIT = 13;

  private OutcomeWindows() { }

  /**
   * A finished window of one customer.
   *
   * @param start its start (epoch ms, on the grid); it ends at {@code start + WINDOW_MS}
   * @param segments each strategy's segment for the customer at the start
   * @param purchased whether the customer ordered in the window ({@code orders > 0})
   * @param orders orders placed in the window
   * @param revenue their revenue
   * @param quietChanges per strategy, how often it moved the customer at a re-check without an event
   */
  public record ClosedWindow(long start, Map<String, Integer> segments, boolean purchased, int orders, double revenue,
      Map<String, Integer> quietChanges) {
    public ClosedWindow {
      segments = Collections.unmodifiableMap(new TreeMap<>(segments));
      quietChanges = Collections.unmodifiableMap(new TreeMap<>(quietChanges));
    }

    public long end() {
      return start + WINDOW_MS;
    }
  }

  /**
   * Advances the customer's windows to {@code now}: begins the pending one or closes finished ones.
   * Call at every evaluation of the customer (an event or a re-check), before the evaluation changes
   * any segment.
   *
   * <ul>
   *   <li>No window pending: one is opened at the first boundary after {@code now}, not begun.</li>
   *   <li>Pending, not begun, {@code now} at or past its start: it begins with {@code held} as the
   *       segments at its start; when {@code held} is empty (no strategy has a segment for the
   *       customer yet) it moves to the first boundary after {@code now} instead.</li>
   *   <li>Begun and {@code now} at or past its end: it closes, and the next window (starting at its
   *       end) begins with {@code held} (nothing was evaluated since the last visit, so those were the
   *       segments at that boundary) and empty counters; repeated while windows end before
   *       {@code now}. When {@code held} is empty the next window is opened, not begun, at the first
   *       boundary after {@code now}.</li>
   * </ul>
   *
   * <p><b>At most {@value #MAX_CLOSED_PER_VISIT} windows per visit.</b> A customer silent for years
   * would otherwise close one window per 30 days of silence in a single step: the work per step is
   * bounded instead. Beyond the cap the remaining windows are skipped, not tallied, and the window
   * that holds {@code now} begins at once. What is lost is more of the same: the windows after the
   * first closed one in a visit are windows of a customer who did nothing, the first 13 of them are
   * counted, and the customer's next window, in which they may come back, counts as usual.
   *
   * @param held the segment each strategy gives the customer now, before this step; strategies
   *     without a segment absent or {@link CustomerStrategies#NO_SEGMENT}
   * @return the windows closed by this visit, oldest first (usually none)
   */
  public static List<ClosedWindow> visit(CustomerStrategies s, long now, Map<String, Integer> held) {
    Map<String, Integer> segments = present(held);
    if (s.windowStart() == CustomerStrategies.NONE) s.window(boundaryAfter(now), false, Map.of());
    if (!s.windowBegun() && now >= s.windowStart()) {
      if (segments.isEmpty()) {
        s.window(boundaryAfter(now), false, Map.of());
      } else {
        s.window(s.windowStart(), true, segments);
      }
    }
    List<ClosedWindow> closed = List.of();
    while (s.windowBegun() && now >= s.windowStart() + WINDOW_MS) {
      if (closed.size() == MAX_CLOSED_PER_VISIT) {
        s.window(boundaryAtOrBefore(now), true, segments);
        break;
      }
      if (closed.isEmpty()) closed = new ArrayList<>(2);
      closed.add(new ClosedWindow(s.windowStart(), s.segmentsAtStart(), s.orders() > 0, s.orders(), s.revenue(),
          s.quietChanges()));
      if (segments.isEmpty()) {
        s.window(boundaryAfter(now), false, Map.of());
      } else {
        s.window(s.windowStart() + WINDOW_MS, true, segments);
      }
    }
    return closed;
  }

  /**
   * Counts an order placed at {@code time} in the pending window, when it has begun and the order is
   * not older than its start (a late order from before the window belongs to no window observed).
   * Call after {@link #visit} for the same event, with placed orders only (not returns or refunds).
   *
   * @throws IllegalArgumentException for an amount that is not finite
   */
  public static void onOrder(CustomerStrategies s, long time, double amount) {
    if (!Double.isFinite(amount)) throw new IllegalArgumentException("order amount is not finite: " + amount);
    if (s.windowBegun() && time >= s.windowStart()) s.addOrder(amount);
  }

  /**
   * Counts that {@code strategy} moved the customer to another segment at a re-check without an event:
   * a change of segment that nothing the customer did explains, the measure of a strategy's
   * (in)stability. Counted in the pending window when it has begun.
   */
  public static void onQuietChange(CustomerStrategies s, String strategy) {
    if (s.windowBegun()) s.addQuietChange(strategy);
  }

  /** The first grid boundary strictly after {@code t}. */
  public static long boundaryAfter(long t) {
    return boundaryAtOrBefore(t) + WINDOW_MS;
  }

  /** The last grid boundary at or before {@code t}. */
  public static long boundaryAtOrBefore(long t) {
    return Math.floorDiv(t, WINDOW_MS) * WINDOW_MS;
  }

  private static Map<String, Integer> present(Map<String, Integer> held) {
    Map<String, Integer> out = new TreeMap<>();
    if (held == null) return out;
    for (Map.Entry<String, Integer> e : held.entrySet()) {
      Integer segment = e.getValue();
      if (e.getKey() != null && segment != null && segment >= 0) out.put(e.getKey(), segment);
    }
    return out;
  }
}
