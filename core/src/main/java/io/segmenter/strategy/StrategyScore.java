package io.segmenter.strategy;

import java.util.List;

/**
 * One strategy judged by what its customers did next (see {@link StrategyComparison} for how each
 * figure is computed and why).
 *
 * @param strategy its name
 * @param windows closed customer-windows observed (the customer in one of its segments at the start)
 * @param purchaseRate share of those windows with an order; NaN without windows
 * @param segments per segment, in increasing id order
 * @param lift information the segment gives about next-30-day purchase, as a share of the
 *     uncertainty: 0 = none, 1 = the segment tells exactly who buys; can be slightly negative for
 *     segments unrelated to purchase (the smoothing's cost)
 * @param spread highest minus lowest purchase rate among segments with enough windows; NaN when none has
 * @param stability quiet changes (moves at a re-check without an event) per customer-day; NaN without windows
 * @param separation mean silhouette of its segments on samples; NaN without a sample
 */
public record StrategyScore(String strategy, long windows, double purchaseRate, List<SegmentRow> segments, double lift,
    double spread, double stability, double separation) {

  public StrategyScore {
    segments = List.copyOf(segments);
  }

  /**
   * What the members of one segment did in the 30 days after they were in it.
   *
   * @param segment segment id
   * @param windows customer-windows that started with the customer in it
   * @param purchaseRate share of those with an order
   * @param revenuePerCustomer revenue per customer-window (per customer and 30 days)
   * @param ordersPerCustomer orders per customer-window
   * @param churn share of windows without an order: {@code 1 - purchaseRate}
   */
  public record SegmentRow(int segment, long windows, double purchaseRate, double revenuePerCustomer,
      double ordersPerCustomer, double churn) { }
}
