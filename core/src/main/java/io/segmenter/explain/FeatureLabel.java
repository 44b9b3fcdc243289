package io.segmenter.explain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * How to print conditions on one feature: its human name and the kind of its values, which are in
 * original units (callers undo any log transform first).
 *
 * <ul>
 *   <li>{@link Kind#COUNT} and {@link Kind#DAYS}: whole numbers. A split "orders ≤ 3.5" means
 *       "orders ≤ 3" on one side and "orders ≥ 4" on the other, and prints so; an interval prints
 *       "4 ≤ orders ≤ 9", or "orders = 4". These bounds are exact for whole numbers, so
 *       {@link SegmentRules} rejects a sample with fractional values for such a feature (round
 *       days down, or use {@link #number} for decayed counts).
 *   <li>{@link Kind#MONEY}, {@link Kind#PERCENT} (a ratio in [0, 1], printed as a percentage) and
 *       {@link Kind#NUMBER}: the threshold is rounded for display (0 decimals for money and
 *       percentages, half up), "net spend ≥ 250 GBP" above it and "net spend &lt; 250 GBP" at or below
 *       it; an interval prints "20 % ≤ cart abandonment &lt; 60 %". Thresholds are midpoints between
 *       values of the sample, so for values recorded at the display precision (whole pounds, whole
 *       percent) these bounds are exact on the sample. Where rounding would hide a bound (both
 *       ends of an interval the same, or a non-zero bound shown as 0), up to 4 more decimals are
 *       used.
 * </ul>
 *
 * @param unit printed after each number (a currency code, "%"), or empty
 */
public record FeatureLabel(String name, Kind kind, int decimals, String unit) {
  /** The kind of a feature's values. */
  public enum Kind { COUNT, DAYS, MONEY, PERCENT, NUMBER }

  private static final int EXTRA_DECIMALS = 4;

  public FeatureLabel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(unit, "unit");
    if (name.isBlank()) throw new IllegalArgumentException("a feature needs a name");
    if (decimals < 0 || decimals > 10) {
      throw new IllegalArgumentException("decimals must be in [0, 10], got " + decimals);
    }
    if ((kind == Kind.COUNT || kind == Kind.DAYS) && decimals != 0) {
      throw new IllegalArgumentException(kind + " features are whole numbers: decimals must be 0");
    }
  }

  /** A count of things ("orders"), a whole number. */
  public static FeatureLabel count(String name) {
    return new FeatureLabel(name, Kind.COUNT, 0, "");
  }

  /** A number of whole days ("days since last order"). */
  public static FeatureLabel days(String name) {
    return new FeatureLabel(name, Kind.DAYS, 0, "");
  }

  /** An amount of money, printed without decimals and followed by currency when it is not null or blank. */
  public static FeatureLabel money(String name, String currency) {
    return new FeatureLabel(name, Kind.MONEY, 0, currency == null ? "" : currency.strip());
  }

  /** A ratio in [0, 1], printed as a whole percentage ("cart abandonment ≥ 60 %"). */
  public static FeatureLabel percent(String name) {
    return new FeatureLabel(name, Kind.PERCENT, 0, "%");
  }

  /** Any other number, printed with the given decimals. */
  public static FeatureLabel number(String name, int decimals) {
    return new FeatureLabel(name, Kind.NUMBER, decimals, "");
  }

  /** Whether the values are whole numbers (counts, days). */
  public boolean wholeNumbers() {
    return kind == Kind.COUNT || kind == Kind.DAYS;
  }

  /**
   * The condition "above &lt; value ≤ atMost" in words; above is -∞ when there is no lower bound and
   * atMost +∞ when there is no upper bound (at least one of them is finite).
   */
  public String describe(double above, double atMost) {
    boolean lower = above != Double.NEGATIVE_INFINITY;
    boolean upper = atMost != Double.POSITIVE_INFINITY;
    if (!lower && !upper) throw new IllegalArgumentException("a condition needs a bound");
    if (Double.isNaN(above) || Double.isNaN(atMost) || (lower && upper && !(above < atMost))) {
      throw new IllegalArgumentException("no value is above " + above + " and at most " + atMost);
    }
    if (wholeNumbers()) {
      // x > above ⇔ x ≥ floor(above) + 1 and x ≤ atMost ⇔ x ≤ floor(atMost), for whole x.
      double lo = Math.floor(above) + 1;
      double hi = Math.floor(atMost);
      if (!lower) return name + " ≤ " + whole(hi);
      if (!upper) return name + " ≥ " + whole(lo);
      if (lo == hi) return name + " = " + whole(lo);
      if (lo < hi) return whole(lo) + " ≤ " + name + " ≤ " + whole(hi);
      // No whole number lies in the interval: say what the tree says.
      return plain(above, 2) + " < " + name + " ≤ " + plain(atMost, 2);
    }
    double scale = kind == Kind.PERCENT ? 100 : 1;
    double lo = above * scale;
    double hi = atMost * scale;
    int d = decimals;
    while (d < decimals + EXTRA_DECIMALS && hidesABound(lower, lo, upper, hi, d)) d++;
    if (!upper) return name + " ≥ " + amount(lo, d);
    if (!lower) return name + " < " + amount(hi, d);
    return amount(lo, d) + " ≤ " + name + " < " + amount(hi, d);
  }

  private static boolean hidesABound(boolean lower, double lo, boolean upper, double hi, int d) {
    if (lower && upper && plain(lo, d).equals(plain(hi, d))) return true;
    return (lower && lo != 0 && isZero(plain(lo, d))) || (upper && hi != 0 && isZero(plain(hi, d)));
  }

  private static boolean isZero(String s) {
    return new BigDecimal(s).signum() == 0;
  }

  private String amount(double v, int d) {
    return unit.isEmpty() ? plain(v, d) : plain(v, d) + " " + unit;
  }

  private static String whole(double v) {
    return plain(v, 0);
  }

  private static String plain(double v, int d) {
    // First to 12 significant digits, so that a midpoint such as 4.949999999999999 (binary noise
    // around 4.95) rounds as 4.95 does.
    BigDecimal exact = BigDecimal.valueOf(v).round(new MathContext(12, RoundingMode.HALF_EVEN));
    String s = exact.setScale(d, RoundingMode.HALF_UP).toPlainString();
    return s.startsWith("-") && new BigDecimal(s).signum() == 0 ? s.substring(1) : s;
  }
}
