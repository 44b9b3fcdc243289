package io.segmenter.map;

import io.segmenter.clv.PredictiveSegment;
import io.segmenter.evaluation.Scored;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The predictive mix of one segment as estimated from the customers of a sample: how many were
 * sampled, how many of them could be scored (those with an order, when predictive parameters exist),
 * their mean P(alive), their median CLV, and the share of each predictive segment among the scored.
 * An estimate from a sample of one instance's customers, not a census: the page says from how many.
 *
 * @param pAliveMean NaN when none was scored
 * @param clvMedian NaN when none was scored with a spend model
 * @param predictive share of each predictive segment among the scored (empty when none was)
 */
public record CentreMix(int sampled, int scored, double pAliveMean, double clvMedian,
    Map<PredictiveSegment, Double> predictive) {
  public CentreMix {
    Map<PredictiveSegment, Double> copy = new EnumMap<>(PredictiveSegment.class);
    copy.putAll(predictive);
    predictive = Collections.unmodifiableMap(copy);
  }

  /** Accumulates the sampled customers of one segment. Not thread-safe. */
  public static final class Builder {
    private int sampled;
    private final List<Double> pAlive = new ArrayList<>();
    private final List<Double> clv = new ArrayList<>();
    private final Map<PredictiveSegment, Integer> segments = new EnumMap<>(PredictiveSegment.class);

    /** One sampled customer of the segment; {@code scored} null when they could not be scored. */
    public Builder add(Scored scored) {
      sampled++;
      if (scored == null) return this;
      pAlive.add(scored.prediction().pAlive());
      if (scored.prediction().hasSpend()) clv.add(scored.prediction().clv());
      segments.merge(scored.segment(), 1, Integer::sum);
      return this;
    }

    public CentreMix build() {
      int n = pAlive.size();
      double mean = n == 0 ? Double.NaN : pAlive.stream().mapToDouble(Double::doubleValue).sum() / n;
      Map<PredictiveSegment, Double> shares = new EnumMap<>(PredictiveSegment.class);
      segments.forEach((s, count) -> shares.put(s, (double) count / n));
      return new CentreMix(sampled, n, mean, median(clv), shares);
    }

    private static double median(List<Double> values) {
      if (values.isEmpty()) return Double.NaN;
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      int mid = sorted.size() / 2;
      return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
  }
}
