package io.segmenter.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmenter.model.Features;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * How the JSON views write a number: rounded to what it means, so that a reader sees 9 sessions and
 * 12.50 EUR, not {@code 9.000000000000002} and {@code -1.1e-14} (the log1p / expm1 round trip and
 * sums of doubles leave such noise). The rules are documented in docs/HTTP-API.md ("Numbers").
 *
 * <p>Every writer puts null for a number that is not finite (JSON has no NaN).
 */
final class Figures {
  /** Below this magnitude a model-space number is float noise and is written as 0. */
  static final double NOISE = 1e-9;
  /** Days, decayed counts, a centre's counts (a mean is not a whole count), weights. */
  static final int DECIMALS = 2;
  /** Ratios and shares in [0, 1]. */
  static final int RATIO_DECIMALS = 3;
  /** Probabilities: 4 places, so that 0.9996 does not read as a certain 1. */
  static final int PROBABILITY_DECIMALS = 4;
  /** Expected purchases, often well below 1. */
  static final int EXPECTATION_DECIMALS = 3;

  /** What a feature's value in original units measures, which says how to round it and its unit. */
  enum Kind { DAYS, COUNT, DECAYED_COUNT, MONEY, RATIO }

  private Figures() { }

  static Kind kind(int feature) {
    return switch (feature) {
      case Features.RECENCY_DAYS, Features.DAYS_SINCE_VISIT -> Kind.DAYS;
      case Features.RECENT_ORDERS -> Kind.DECAYED_COUNT;
      case Features.NET_SPEND, Features.AVERAGE_ORDER_VALUE, Features.RECENT_SPEND -> Kind.MONEY;
      case Features.REFUND_RATE, Features.CART_ABANDONMENT -> Kind.RATIO;
      default -> Kind.COUNT;
    };
  }

  /** The unit of a feature in original units: days, count, decayed count, ratio, or the currency code. */
  static String unit(int feature, String currency) {
    return switch (kind(feature)) {
      case DAYS -> "days";
      case COUNT -> "count";
      case DECAYED_COUNT -> "decayed count";
      case MONEY -> currency;
      case RATIO -> "ratio";
    };
  }

  /** Whether the stored value of a feature is log1p of its original value, or the original value itself. */
  static String scale(int feature) {
    return Features.isLogTransformed(feature) ? "log1p" : "linear";
  }

  /**
   * A feature in original units. One customer's counts are whole (written as integers); a centre's
   * are means, so {@code whole} is false for centres and they keep {@link #DECIMALS} places.
   */
  static void feature(ObjectNode o, String field, int feature, double value, String currency, boolean whole) {
    switch (kind(feature)) {
      case COUNT -> {
        if (whole) count(o, field, value);
        else decimals(o, field, value, DECIMALS);
      }
      case MONEY -> money(o, field, value, currency);
      case RATIO -> decimals(o, field, value, RATIO_DECIMALS);
      default -> decimals(o, field, value, DECIMALS);
    }
  }

  /** Money, to the currency's minor unit (cents for EUR, none for JPY; 2 places when the code is unknown). */
  static void money(ObjectNode o, String field, double value, String currency) {
    if (!Double.isFinite(value)) o.putNull(field);
    else money(o, field, BigDecimal.valueOf(clean(value)), currency);
  }

  static void money(ObjectNode o, String field, BigDecimal value, String currency) {
    if (value == null) o.putNull(field);
    else o.put(field, value.setScale(minorDigits(currency), RoundingMode.HALF_UP));
  }

  /** A whole count that arrives as a double (expm1 of log1p of 9 is 9.000000000000002). */
  static void count(ObjectNode o, String field, double value) {
    if (Double.isFinite(value)) o.put(field, Math.round(value));
    else o.putNull(field);
  }

  /** A measured quantity to {@code places} decimals; what rounds to zero is written 0.0, never -0.0. */
  static void decimals(ObjectNode o, String field, double value, int places) {
    if (!Double.isFinite(value)) {
      o.putNull(field);
      return;
    }
    double rounded = BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
    o.put(field, rounded + 0.0); // + 0.0 turns -0.0 into 0.0
  }

  /** A model-space number (log values, standardised values, distances, parameters): full precision, noise as 0. */
  static void exact(ObjectNode o, String field, double value) {
    if (Double.isFinite(value)) o.put(field, clean(value));
    else o.putNull(field);
  }

  static double clean(double value) {
    return Math.abs(value) < NOISE ? 0.0 : value;
  }

  static int minorDigits(String currency) {
    try {
      int digits = Currency.getInstance(currency).getDefaultFractionDigits();
      return digits < 0 ? 2 : digits; // -1 for pseudo-currencies such as XAU
    } catch (IllegalArgumentException | NullPointerException e) {
      return 2;
    }
  }
}
