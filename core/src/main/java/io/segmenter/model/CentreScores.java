package io.segmenter.model;

import io.segmenter.model.SegmentName.Axis;
import java.util.EnumMap;
import java.util.Map;
import org.apache.commons.math3.special.Erf;

/**
 * Where one centre stands in the population, axis by axis, as a continuous quintile score from 0.5
 * to 5.5: the integer part plus one half is the familiar 1..5 RFM score (a score of 4 is [3.5, 4.5)),
 * the fraction says how deep into the quintile it is, so that a name's cost can grow smoothly with
 * the distance to its region.
 *
 * <p>The model only carries each feature's running mean and variance, not its distribution, so
 * population quintiles are approximated by taking the log-transformed feature as normal: the score
 * is {@code 0.5 + 5 * Phi(z)}, reversed for the two recency axes (a long time since the last order
 * is a LOW recency score). Caveats: a centre is a typical member, not every member; real spend is
 * heavier-tailed than log-normal, so the quintiles are approximate.
 *
 * @param id the centre's id
 * @param scores per axis, 0.5 to 5.5
 * @param orders the centre's orders in original units (a buyer centre has at least 0.5)
 * @param netSpend the centre's net spend in original units
 * @param views page and product views in original units (visitor names need at least one)
 * @param cartAdds cart additions in original units
 * @param position the centre in standardised space (to tell how close two centres are)
 */
public record CentreScores(int id, Map<Axis, Double> scores, double orders, double netSpend, double views,
    double cartAdds, double[] position) {
  /** Below half an order, a centre is a group of people who essentially never buy. */
  static final double MIN_ORDERS = 0.5;
  /** A last order (visit) this recent is recent, whatever the population: the recency score is at least 2.5. */
  static final double ACTIVE_WITHIN_DAYS = 7;
  /**
   * A last order (visit) this old is lapsed, whatever the population: the recency score is below
   * 2.5. The same 90 days as segmenter.segment.active.days's default.
   */
  static final double LAPSED_AFTER_DAYS = 90;

  public CentreScores {
    scores = Map.copyOf(scores);
    for (Map.Entry<Axis, Double> e : scores.entrySet()) requireFinite(e.getKey().name(), e.getValue());
    requireFinite("orders", orders);
    requireFinite("netSpend", netSpend);
    requireFinite("views", views);
    requireFinite("cartAdds", cartAdds);
    position = position.clone();
  }

  /**
   * The scores of a centre given in standardised ({@code z}) and original units, both indexed by
   * {@link Features}.
   */
  public static CentreScores of(int id, double[] z, double[] original) {
    Map<Axis, Double> s = new EnumMap<>(Axis.class);
    double f = ascending(z[Features.ORDERS]);
    double m = ascending(z[Features.NET_SPEND]);
    s.put(Axis.RECENCY, held(ascending(-z[Features.RECENCY_DAYS]), original[Features.RECENCY_DAYS]));
    s.put(Axis.FREQUENCY, f);
    s.put(Axis.MONETARY, m);
    s.put(Axis.FREQUENCY_MONETARY, (f + m) / 2);
    s.put(Axis.VISIT_RECENCY, held(ascending(-z[Features.DAYS_SINCE_VISIT]), original[Features.DAYS_SINCE_VISIT]));
    s.put(Axis.SESSIONS, ascending(z[Features.SESSIONS]));
    s.put(Axis.VIEWS, ascending(z[Features.VIEWS]));
    s.put(Axis.CART_ADDS, ascending(z[Features.CART_ADDS]));
    return new CentreScores(id, s, original[Features.ORDERS], original[Features.NET_SPEND],
        original[Features.VIEWS], original[Features.CART_ADDS], z);
  }

  /**
   * A recency score held to the absolute limits: quintiles are relative, and in three hours of data
   * "lapsed" would otherwise mean two hours ago, in a year of quiet "active" half a year ago.
   */
  static double held(double score, double days) {
    if (days < ACTIVE_WITHIN_DAYS) return Math.max(score, 2.5);
    if (days > LAPSED_AFTER_DAYS) return Math.min(score, Math.nextDown(2.5));
    return score;
  }

  /** 0.5 + 5 * Phi(z): 0.5 to 5.5, quintile boundaries at 1.5, 2.5, 3.5 and 4.5. */
  static double ascending(double z) {
    return 0.5 + 5 * 0.5 * Erf.erfc(-z / Math.sqrt(2));
  }

  public double score(Axis axis) {
    return scores.get(axis);
  }

  public boolean buys() {
    return orders >= MIN_ORDERS;
  }

  @Override
  public double[] position() {
    return position.clone();
  }

  private static void requireFinite(String field, double value) {
    // A NaN slips through every comparison and would silently land anywhere; fail loudly instead.
    if (!Double.isFinite(value)) throw new IllegalArgumentException(field + " must be finite: " + value);
  }
}
