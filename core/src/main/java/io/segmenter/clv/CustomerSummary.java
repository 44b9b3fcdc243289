package io.segmenter.clv;

/**
 * What the BG/NBD and Gamma-Gamma models know about one customer (Fader, Hardie &amp; Lee 2005), in
 * one time unit chosen by the caller (weeks for CDNOW, days in the service). Purchases on the same
 * day count as one, as in the literature.
 *
 * @param x repeat purchases: purchase days after the first one
 * @param tx time from the first purchase to the last one (0 when x = 0)
 * @param T age: time from the first purchase to the moment the summary describes ("now")
 * @param meanRepeatSpend mean value of the repeat purchases (a day's purchases summed), 0 when x = 0
 */
public record CustomerSummary(long x, double tx, double T, double meanRepeatSpend) {
  public CustomerSummary {
    if (x < 0) throw new IllegalArgumentException("x must be >= 0: " + x);
    if (!(tx >= 0) || !(T >= tx) || Double.isInfinite(T)) {
      throw new IllegalArgumentException("need 0 <= tx <= T < infinity: tx=" + tx + ", T=" + T);
    }
    if (!(meanRepeatSpend >= 0) || Double.isInfinite(meanRepeatSpend)) {
      throw new IllegalArgumentException("mean repeat spend must be finite and >= 0: " + meanRepeatSpend);
    }
  }

  /** Without spend (frequency model only). */
  public static CustomerSummary of(long x, double tx, double T) {
    return new CustomerSummary(x, tx, T, 0);
  }
}
