package io.segmenter.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which features weigh most in a customer's assignment: the nearest centre wins over the runner-up
 * because the squared distance to it is smaller, and that difference is a sum over features,
 * {@code sum_i (z_i - r_i)^2 - (z_i - n_i)^2} (n the nearest centre, r the runner-up). Each term is
 * how much feature i pulls the customer to its segment rather than to the next one; the largest
 * terms are the reasons. An exact decomposition, not a model of the model.
 */
public final class FeatureWeights {
  /** One feature's pull towards the segment (in squared standardised units). */
  public record Weight(int feature, double weight) { }

  private FeatureWeights() { }

  /** The {@code n} features that pull hardest towards the nearest centre; empty for a one-centre model. */
  public static List<Weight> top(ModelSnapshot model, double[] z, int n) {
    if (model.kmeans().centres().size() < 2) return List.of();
    int nearest = model.kmeans().nearest(z).centreId();
    double[] c = model.kmeans().centre(nearest).position();
    double[] runnerUp = null;
    double best = Double.POSITIVE_INFINITY;
    for (Centre other : model.kmeans().centres()) {
      if (other.id() == nearest) continue;
      double d = KMeansModel.squaredDistance(z, other.position());
      if (d < best) {
        best = d;
        runnerUp = other.position();
      }
    }
    List<Weight> all = new ArrayList<>();
    for (int i = 0; i < z.length; i++) {
      double toRunnerUp = z[i] - runnerUp[i];
      double toNearest = z[i] - c[i];
      all.add(new Weight(i, toRunnerUp * toRunnerUp - toNearest * toNearest));
    }
    all.sort(Comparator.comparingDouble(Weight::weight).reversed().thenComparingInt(Weight::feature));
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }
}
