package io.segmenter.strategy;

import io.segmenter.model.ClusterCountChoice;
import io.segmenter.model.ModelSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * How well a strategy's segments stand apart, as the sum of silhouettes (Rousseeuw 1987, computed by
 * {@link ClusterCountChoice#meanSilhouette(List, int[])}) over the points of samples, and their
 * number. Kept as a sum, not a mean, so that samples of several tasks or rounds add up
 * ({@link #plus}) to the mean over all their points ({@link #mean}).
 *
 * @param silhouetteSum the silhouettes of the points summed
 * @param points the points summed
 */
public record Separation(double silhouetteSum, long points) {
  public static final Separation NONE = new Separation(0, 0);

  public Separation {
    if (points < 0) throw new IllegalArgumentException("points is negative: " + points);
    if (!Double.isFinite(silhouetteSum)) throw new IllegalArgumentException("silhouette sum is not finite: " + silhouetteSum);
  }

  /**
   * The separation of one sample: its points (in the model's standardised space) labelled with their
   * segments. {@link #NONE} for no points or a single segment, where the silhouette says nothing
   * (it would count as 0 and pull the mean of other samples down). Quadratic in the points: pass a
   * sample.
   */
  public static Separation of(List<double[]> points, int[] labels) {
    if (labels.length != points.size()) throw new IllegalArgumentException(labels.length + " labels for " + points.size() + " points");
    boolean twoSegments = false;
    for (int label : labels) {
      if (label != labels[0]) {
        twoSegments = true;
        break;
      }
    }
    if (!twoSegments) return NONE;
    return new Separation(ClusterCountChoice.meanSilhouette(points, labels) * points.size(), points.size());
  }

  /**
   * The separation of a model's partition of customers: their raw features standardised by the
   * model and labelled by the nearest centre (the geometry, not the segment a strategy holds a
   * customer in, so that every strategy is judged on the same points by the same rule).
   */
  public static Separation byNearestCentre(List<double[]> rawFeatures, ModelSnapshot model) {
    if (model.kmeans().centres().isEmpty()) throw new IllegalArgumentException("a model without centres labels nothing");
    List<double[]> zs = new ArrayList<>(rawFeatures.size());
    int[] labels = new int[rawFeatures.size()];
    for (double[] x : rawFeatures) {
      double[] z = model.standardise(x);
      labels[zs.size()] = model.kmeans().nearest(z).centreId();
      zs.add(z);
    }
    return of(zs, labels);
  }

  public Separation plus(Separation o) {
    return new Separation(silhouetteSum + o.silhouetteSum, points + o.points);
  }

  /** The mean silhouette in [-1, 1], NaN without points. */
  public double mean() {
    return points == 0 ? Double.NaN : silhouetteSum / points;
  }
}
