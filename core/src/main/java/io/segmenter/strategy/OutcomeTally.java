package io.segmenter.strategy;

import io.segmenter.profile.BinaryIn;
import io.segmenter.profile.BinaryOut;
import io.segmenter.strategy.OutcomeWindows.ClosedWindow;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcomes of closed customer-windows summed for one strategy and segment: the counts that
 * {@link StrategyComparison} turns into rates. Sums, so that tallies of partitions, tasks or
 * instances add up ({@link #plus}) to the same figures wherever they are added.
 *
 * @param windows customer-windows that closed with the customer in this segment at their start
 * @param purchasingWindows of those, windows with at least one order
 * @param orders orders in those windows
 * @param revenue their revenue
 * @param quietChanges times the strategy moved those customers at a re-check without an event
 */
public record OutcomeTally(long windows, long purchasingWindows, long orders, double revenue, long quietChanges) {
  public static final OutcomeTally ZERO = new OutcomeTally(0, 0, 0, 0, 0);
  /** Version byte of {@link #encode}'s layout. */
  public static final byte VERSION = 1;
  /** Bytes of {@link #encode}: the version, four longs and a double. */
  public static final int ENCODED_BYTES = 1 + 5 * 8;

  public OutcomeTally {
    if (windows < 0 || purchasingWindows < 0 || orders < 0 || quietChanges < 0) {
      throw new IllegalArgumentException("negative count in tally: windows=" + windows + " purchasing="
          + purchasingWindows + " orders=" + orders + " quietChanges=" + quietChanges);
    }
    if (purchasingWindows > windows) {
      throw new IllegalArgumentException(purchasingWindows + " purchasing windows of " + windows);
    }
    if (!Double.isFinite(revenue)) throw new IllegalArgumentException("revenue is not finite: " + revenue);
  }

  /** One closed window, as seen by {@code strategy} (its quiet changes only). */
  public static OutcomeTally of(ClosedWindow w, String strategy) {
    return new OutcomeTally(1, w.purchased() ? 1 : 0, w.orders(), w.revenue(), w.quietChanges().getOrDefault(strategy, 0));
  }

  /**
   * Closed windows summed per strategy and per the segment each strategy gave the customer at the
   * window's start: the input of {@link StrategyComparison#compare}. Each window counts once for every
   * strategy that had the customer in a segment.
   */
  public static Map<String, Map<Integer, OutcomeTally>> byStrategy(Collection<ClosedWindow> windows) {
    Map<String, Map<Integer, OutcomeTally>> out = new TreeMap<>();
    for (ClosedWindow w : windows) {
      for (Map.Entry<String, Integer> e : w.segments().entrySet()) {
        out.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).merge(e.getValue(), of(w, e.getKey()), OutcomeTally::plus);
      }
    }
    return out;
  }

  public OutcomeTally plus(OutcomeTally o) {
    return new OutcomeTally(windows + o.windows, purchasingWindows + o.purchasingWindows, orders + o.orders,
        revenue + o.revenue, quietChanges + o.quietChanges);
  }

  /**
   * Fixed layout of {@value #ENCODED_BYTES} bytes: version u8 ({@value #VERSION}), then windows,
   * purchasingWindows, orders as big-endian i64, revenue as an IEEE 754 double, quietChanges i64.
   * Fixed rather than varints: a tally is one small record per strategy and segment, and a fixed
   * size makes a cut or padded record impossible to misread.
   */
  public byte[] encode() {
    BinaryOut out = new BinaryOut(ENCODED_BYTES);
    out.u8(VERSION);
    out.i64(windows);
    out.i64(purchasingWindows);
    out.i64(orders);
    out.f64(revenue);
    out.i64(quietChanges);
    return out.toByteArray();
  }

  /** @throws IllegalArgumentException for another length or version, or impossible counts */
  public static OutcomeTally decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) throw new IllegalArgumentException("outcome tally bytes are empty");
    if (bytes[0] != VERSION) {
      throw new IllegalArgumentException("unsupported outcome tally format version " + (bytes[0] & 0xff)
          + " (this release reads " + VERSION + ")");
    }
    if (bytes.length != ENCODED_BYTES) {
      throw new IllegalArgumentException("outcome tally is " + bytes.length + " bytes, not " + ENCODED_BYTES);
    }
    BinaryIn in = new BinaryIn("outcome tally", bytes, 1);
    return new OutcomeTally(in.i64(), in.i64(), in.i64(), in.f64(), in.i64());
  }
}
