package io.segmenter.strategy;

import io.segmenter.strategy.StrategyScore.SegmentRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Strategies side by side, judged by what customers did in the 30 days after each strategy put them
 * in a segment ({@link OutcomeTally} per strategy and segment) and by how far apart their segments
 * stand ({@link Separation}).
 *
 * <p><b>Lift</b> is the information a segment gives about whether the customer buys in the next 30
 * days, as a share of the uncertainty: {@code 1 - LL(segment) / LL(overall)}, where LL is the mean
 * Bernoulli log-loss over the closed windows of predicting each window's purchase by the purchase
 * rate of its segment, versus by the overall rate (McFadden's pseudo-R² of a model with one rate per
 * segment). A segment's rate is smoothed, {@code (purchasing + 1) / (windows + 2)} (Laplace), so that
 * a small segment whose members all bought, or none, costs a finite log-loss instead of claiming
 * certainty. 0 when there is no window or everyone bought or no one did (nothing to predict).
 * Unlike the spread of rates it weighs segments by their size and uses all of them, and unlike a
 * correlation it is meaningful for any number of segments. Hand check: two equal segments buying at
 * 0.9 and 0.1 against an overall 0.5 give about 0.53; segments unrelated to purchase about 0.
 *
 * <p><b>Spread</b> is the highest minus the lowest purchase rate among segments with at least
 * {@code minWindows} windows: readable ("buyers in the best segment are 60 points likelier"), but
 * blind to the segments between.
 *
 * <p><b>Stability</b> is quiet changes per customer-day: moves at a re-check without any event of the
 * customer, which only model drift explains, divided by the days observed (30 per window). Lower is
 * steadier.
 *
 * <p>Pure and deterministic: the same tallies give the same table on every instance.
 */
public final class StrategyComparison {
  /** Segments with fewer windows are left out of the spread: a rate of 3 windows is noise. */
  public static final int MIN_WINDOWS = 20;

  private StrategyComparison() { }

  /**
   * Scores every strategy that has tallies or a separation, {@value StrategySpec#DEFAULT} first,
   * then by name.
   *
   * @param outcomes per strategy, per segment id, the tallies of its closed windows
   * @param separations per strategy, its separation (absent = NaN)
   * @param minWindows windows a segment needs to count in the spread, at least 1
   */
  public static List<StrategyScore> compare(Map<String, Map<Integer, OutcomeTally>> outcomes,
      Map<String, Separation> separations, int minWindows) {
    TreeSet<String> names = new TreeSet<>(Comparator.comparing((String n) -> !n.equals(StrategySpec.DEFAULT))
        .thenComparing(Comparator.naturalOrder()));
    names.addAll(outcomes.keySet());
    names.addAll(separations.keySet());
    List<StrategyScore> scores = new ArrayList<>(names.size());
    for (String name : names) {
      scores.add(score(name, outcomes.getOrDefault(name, Map.of()), separations.getOrDefault(name, Separation.NONE),
          minWindows));
    }
    return scores;
  }

  /** One strategy's score (see the class description for each figure). */
  public static StrategyScore score(String strategy, Map<Integer, OutcomeTally> segments, Separation separation,
      int minWindows) {
    if (minWindows < 1) throw new IllegalArgumentException("minWindows is " + minWindows + ", below 1");
    OutcomeTally total = OutcomeTally.ZERO;
    List<SegmentRow> rows = new ArrayList<>(segments.size());
    double highest = Double.NEGATIVE_INFINITY;
    double lowest = Double.POSITIVE_INFINITY;
    for (Map.Entry<Integer, OutcomeTally> e : new TreeMap<>(segments).entrySet()) {
      OutcomeTally t = e.getValue();
      total = total.plus(t);
      double rate = ratio(t.purchasingWindows(), t.windows());
      rows.add(new SegmentRow(e.getKey(), t.windows(), rate, ratio(t.revenue(), t.windows()),
          ratio(t.orders(), t.windows()), 1 - rate));
      if (t.windows() >= minWindows) {
        highest = Math.max(highest, rate);
        lowest = Math.min(lowest, rate);
      }
    }
    double spread = highest >= lowest ? highest - lowest : Double.NaN;
    double stability = total.windows() == 0 ? Double.NaN
        : total.quietChanges() / (total.windows() * (double) (OutcomeWindows.WINDOW_MS / 86_400_000L));
    return new StrategyScore(strategy, total.windows(), ratio(total.purchasingWindows(), total.windows()), rows,
        lift(segments.values()), spread, stability, separation.mean());
  }

  /**
   * {@code 1 - LL(segment rates) / LL(overall rate)}, the segment rates smoothed (see the class
   * description); 0 without windows or when the overall rate is 0 or 1.
   */
  public static double lift(Collection<OutcomeTally> segments) {
    long windows = 0;
    long purchasing = 0;
    for (OutcomeTally t : segments) {
      windows += t.windows();
      purchasing += t.purchasingWindows();
    }
    if (windows == 0 || purchasing == 0 || purchasing == windows) return 0;
    // Sums rather than means: both are over the same windows, so their ratio is that of the means.
    double overall = logLoss(purchasing, windows, purchasing / (double) windows);
    double bySegment = 0;
    for (OutcomeTally t : segments) {
      if (t.windows() == 0) continue;
      double smoothed = (t.purchasingWindows() + 1.0) / (t.windows() + 2.0);
      bySegment += logLoss(t.purchasingWindows(), t.windows(), smoothed);
    }
    return 1 - bySegment / overall;
  }

  /** Which strategies lead: empty when no strategy has the figure. */
  public record Leaders(Optional<String> onLift, Optional<String> onSeparation) { }

  /**
   * The strategy with the highest lift (among those with windows) and the one with the highest
   * separation (among those with a sample). A tie goes to {@code champion}: a challenger must beat
   * it, not equal it, to lead; otherwise to the first in {@code scores}' order.
   */
  public static Leaders leaders(List<StrategyScore> scores, String champion) {
    return new Leaders(
        leader(scores.stream().filter(s -> s.windows() > 0).toList(), StrategyScore::lift, champion),
        leader(scores.stream().filter(s -> !Double.isNaN(s.separation())).toList(), StrategyScore::separation, champion));
  }

  private static Optional<String> leader(List<StrategyScore> candidates, ToDoubleFunction<StrategyScore> figure,
      String champion) {
    StrategyScore best = null;
    for (StrategyScore s : candidates) {
      if (best == null || figure.applyAsDouble(s) > figure.applyAsDouble(best)
          || (figure.applyAsDouble(s) == figure.applyAsDouble(best) && s.strategy().equals(champion))) {
        best = s;
      }
    }
    return Optional.ofNullable(best).map(StrategyScore::strategy);
  }

  /** Summed Bernoulli log-loss of {@code positives} of {@code n} windows each predicted at rate p. */
  private static double logLoss(long positives, long n, double p) {
    double loss = 0;
    if (positives > 0) loss -= positives * Math.log(p);
    if (n - positives > 0) loss -= (n - positives) * Math.log1p(-p);
    return loss;
  }

  private static double ratio(double a, long b) {
    return b == 0 ? Double.NaN : a / (double) b;
  }
}
