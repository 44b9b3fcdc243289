package io.segmenter.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Periodic re-anchoring of the online model on a sample of recent points. Mini-batch k-means only
 * ever moves centres locally: if its k-means++ start came from early data (when a future champion
 * still looks like a new customer), two centres can end up sharing one true group while two groups
 * share one centre, for good. Every few versions the aggregator therefore runs batch k-means
 * (k-means++ then Lloyd, best of a few seeded runs) on the sample of the batch it is merging; when
 * that is clearly tighter on the same sample than the current centres, the centres jump to the
 * batch solution. Ids stay: each new position goes to the existing centre nearest to it (greedy
 * matching, closest pairs first), so a segment keeps its id and, usually, its name.
 */
public final class ModelRefresh {
  /** Seeded k-means++ runs per refresh; the tightest wins. */
  static final int RUNS = 5;
  static final int LLOYD_ITERATIONS = 50;
  /** The batch solution must cut the sample's inertia by at least this fraction to be adopted. */
  static final double MIN_GAIN = 0.05;

  private ModelRefresh() { }

  /**
   * @param model the model after this version's online update (ids, weights, lineage are kept)
   * @param sample recent points in the model's standardised space
   * @param seed a seed derived from the version, so a replay refreshes identically
   * @return the re-anchored model, or empty when the batch solution is not clearly better
   */
  public static Optional<KMeansModel> improve(KMeansModel model, List<double[]> sample, long seed) {
    int k = model.centres().size();
    if (sample.size() < 10L * k) return Optional.empty();
    if (KMeansModel.distinctPoints(sample) < k) return Optional.empty();
    KMeansModel best = null;
    double bestInertia = Double.POSITIVE_INFINITY;
    for (int run = 0; run < RUNS; run++) {
      KMeansModel candidate = KMeansModel.kMeansPlusPlus(sample, k, seed + run, model.decayFactor())
          .refine(sample, LLOYD_ITERATIONS);
      double inertia = candidate.inertia(sample);
      if (inertia < bestInertia) {
        best = candidate;
        bestInertia = inertia;
      }
    }
    if (!(bestInertia < (1 - MIN_GAIN) * model.inertia(sample))) return Optional.empty();
    double[][] matched = matchToExisting(positions(model), positions(best));
    List<Centre> moved = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      Centre c = model.centres().get(i);
      moved.add(new Centre(c.id(), matched[i], c.weight(), c.createdInVersion(), c.lastUpdatedInVersion(), c.replacesId()));
    }
    return Optional.of(new KMeansModel(model.version(), model.dimension(), moved, model.nextCentreId(), model.decayFactor()));
  }

  /** matched[i] = the new position given to existing centre i: closest (existing, new) pairs first. */
  static double[][] matchToExisting(List<double[]> existing, List<double[]> fresh) {
    int k = existing.size();
    double[][] out = new double[k][];
    boolean[] used = new boolean[k];
    for (int round = 0; round < k; round++) {
      int bestI = -1;
      int bestJ = -1;
      double bestD = Double.POSITIVE_INFINITY;
      for (int i = 0; i < k; i++) {
        if (out[i] != null) continue;
        for (int j = 0; j < k; j++) {
          if (used[j]) continue;
          double d = KMeansModel.squaredDistance(existing.get(i), fresh.get(j));
          if (d < bestD) {
            bestD = d;
            bestI = i;
            bestJ = j;
          }
        }
      }
      out[bestI] = fresh.get(bestJ).clone();
      used[bestJ] = true;
    }
    return out;
  }

  private static List<double[]> positions(KMeansModel m) {
    List<double[]> out = new ArrayList<>();
    for (Centre c : m.centres()) out.add(c.position());
    return out;
  }
}
