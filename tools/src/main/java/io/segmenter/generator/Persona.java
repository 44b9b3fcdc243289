package io.segmenter.generator;

/**
 * Ground-truth behaviour of a synthetic customer. The personas are deliberately far apart in
 * recency, frequency, spend, browsing and cart behaviour so that a clustering of the customers can
 * be scored against them (adjusted Rand index). The exact figures are in {@link CustomerPlan}.
 */
public enum Persona {
  /**
   * Active over the whole span: an order every 4-8 days on average with an average order value of
   * 80-200, extra browsing sessions, 3-6 favourite categories, and always an order in the last 10
   * days of the span.
   */
  CHAMPION,
  /** Active over the whole span: an order every 18-30 days, average order value 35-70, moderate
   *  browsing, 2-4 favourite categories. */
  LOYAL,
  /** First seen in the last 14 days of the span: buys on the first visit, 1 (sometimes 2) orders
   *  with an average order value of 30-80, a few more sessions. */
  NEW,
  /**
   * Active over the whole span with visits every 1-3 days: many searches and add-to-carts, most
   * carts abandoned, 8-15 categories, and an order every 10-16 days worth only 5-20.
   */
  BARGAIN_HUNTER,
  /** Active over the whole span with a session every 2-4 days full of page and product views and an
   *  occasional add-to-cart, but never an order. */
  WINDOW_SHOPPER,
  /**
   * Behaves like a good customer (an order every 7-14 days, average order value 60-120) until a
   * stop day between 35% and 55% of the span, then emits nothing at all.
   */
  LAPSING
}
