package io.segmenter.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Periodic re-anchoring of the online model on a sample of recent points. Mini-batch k-means only
 * ever moves centres locally: if its k-means++ start came from early data (when a future champion
 * still looks like a new customer), two centres can end up sharing one true group while two groups
 * share one centre, for good. Every few versions the aggregator therefore runs batch k-means
 * (k-means++ then Lloyd, best of a few seeded runs) on the sample of the batch it is merging; when
 * that is clearly tighter on the same sample than the current centres, the centres jump to the
 * batch solution. Ids stay: the new positions are matched to the existing centres by a minimum-cost
 * assignment ({@link OptimalMatching}, total squared distance), so a segment keeps its id and,
 * usually, its name. {@link #match} and {@link #reanchor} also handle a batch solution with a
 * different number of centres (a new k chosen by {@link ClusterCountChoice}).
 *
 * <p>Why optimal rather than greedy (closest pair first, as before): greedy can give away a centre's
 * natural partner to save a little on one pair and then pay a lot on another. Existing centres at 0
 * and 2 with new positions 1.1 and 3 (one dimension): greedy takes the closest pair (2, 1.1) and then
 * must move 0 to 3 (total 0.81 + 9 = 9.81); the optimum moves 0 to 1.1 and 2 to 3 (1.21 + 1 = 2.21).
 * A centre that jumps across the space keeps its id but not its meaning, and its members would
 * change segment without changing behaviour.
 */
public final class ModelRefresh {
  /** Seeded k-means++ runs per refresh; the tightest wins. */
  static final int RUNS = 5;
  static final int LLOYD_ITERATIONS = 50;
  /** The batch solution must cut the sample's inertia by at least this fraction to be adopted. */
  static final double MIN_GAIN = 0.05;

  private ModelRefresh() { }

  /**
   * {@link #improve(KMeansModel, List, int, long, UnaryOperator)} with the model's own number of
   * centres and nothing done to the batch solution before it is compared.
   */
  public static Optional<KMeansModel> improve(KMeansModel model, List<double[]> sample, long seed) {
    return improve(model, sample, model.centres().size(), seed, UnaryOperator.identity());
  }

  /**
   * @param model the model after this version's online update (ids, weights, lineage are kept)
   * @param sample recent points in the model's standardised space
   * @param k centres of the batch solution: the configured k of a fixed-k model, which may be more
   *     than the model has now (centres the naming merged come back once it no longer merges them);
   *     while the sample is too small for k (fewer than 10 k points or k distinct ones), the model's
   *     own number of centres
   * @param seed a seed derived from the version, so a replay refreshes identically
   * @param beforeComparing applied to the batch solution, once matched to the model's ids
   *     ({@link #reanchor}: the model's weights for the centres it takes over, as the version will
   *     have them), before it is compared (the naming's merges, so that a refresh does not bring back
   *     a centre only for it to merge again)
   * @return the re-anchored model, or empty when the batch solution is not clearly better or has
   *     fewer centres than the model after {@code beforeComparing} (then, when k is more than the
   *     model has, the solution with the model's own number of centres is tried instead); a model
   *     with more than k centres always takes the k-centre solution
   */
  public static Optional<KMeansModel> improve(KMeansModel model, List<double[]> sample, int k, long seed,
      UnaryOperator<KMeansModel> beforeComparing) {
    int current = model.centres().size();
    long distinct = KMeansModel.distinctPoints(sample);
    if (k > current && (sample.size() < 10L * k || distinct < k)) {
      // Too little data for k yet: re-anchor the centres the model has, as before the configured k.
      k = current;
    }
    if (sample.size() < 10L * k || distinct < k) return Optional.empty();
    // One flat copy of the sample for all runs (LloydKernel: same results as refine and inertia);
    // k-means++'s check for k distinct points is the one just made.
    FlatPoints flat = FlatPoints.of(sample, model.dimension());
    LloydKernel kernel = new LloydKernel(flat, k);
    KMeansModel best = null;
    double bestInertia = Double.POSITIVE_INFINITY;
    for (int run = 0; run < RUNS; run++) {
      KMeansModel candidate = kernel.refine(KMeansModel.kMeansPlusPlus(flat, k, seed + run, model.decayFactor()),
          LLOYD_ITERATIONS);
      double inertia = kernel.inertia();
      if (inertia < bestInertia) {
        best = candidate;
        bestInertia = inertia;
      }
    }
    if (best == null) return Optional.empty(); // no run had a finite inertia: nothing to compare
    // Matched to the model's ids first, so that what is done to it (the naming, with the names those
    // ids have now) sees the centres as the version will.
    KMeansModel fresh = beforeComparing.apply(reanchor(model, positions(best)));
    // A model with more centres than k (k was lowered in the settings) takes the k-centre solution
    // whatever it costs in inertia: fewer centres are never tighter, and the user asked for k.
    boolean kLowered = current > k;
    if (kLowered) return Optional.of(fresh);
    // Otherwise a refresh re-anchors and restores centres, it does not remove them: a solution that
    // the naming merged below the model's count is not taken (the versions merge when their own
    // centres can no longer be named apart; a refresh that merged would undo its own split). With
    // more centres than the model has, the model's own count is tried instead, so that a model
    // is still re-anchored when its k cannot be named.
    if (fresh.centres().size() < current) {
      return k > current ? improve(model, sample, current, seed, beforeComparing) : Optional.empty();
    }
    if (!(fresh.inertia(flat) < (1 - MIN_GAIN) * model.inertia(flat))) return Optional.empty();
    return Optional.of(fresh);
  }

  /**
   * Matches new centre positions to existing ones, minimising the total squared Euclidean distance
   * over the matched pairs ({@link OptimalMatching}; its tie rule applies, with the smaller of the two
   * lists as rows). When the counts differ, min(existing, fresh) pairs are matched: with more fresh
   * positions the rest are new centres; with fewer, the existing centres left over are dropped.
   *
   * @param existing positions of the current centres, in the model's order (id order)
   * @param fresh the new positions, of the same dimension (finite)
   * @return for each fresh position (same order), the index in {@code existing} of the centre it takes
   *     over, or -1 for a new centre; each existing index appears at most once
   */
  public static int[] match(List<double[]> existing, List<double[]> fresh) {
    int[] out = new int[fresh.size()];
    java.util.Arrays.fill(out, -1);
    if (existing.isEmpty() || fresh.isEmpty()) return out;
    int dim = existing.get(0).length;
    for (List<double[]> list : List.of(existing, fresh)) {
      for (double[] p : list) if (p.length != dim) throw new IllegalArgumentException("dimension " + p.length + " != " + dim);
    }
    boolean freshAreRows = fresh.size() <= existing.size();
    List<double[]> rows = freshAreRows ? fresh : existing;
    List<double[]> cols = freshAreRows ? existing : fresh;
    double[][] cost = new double[rows.size()][cols.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < cols.size(); j++) cost[i][j] = KMeansModel.squaredDistance(rows.get(i), cols.get(j));
    }
    int[] columnOfRow = OptimalMatching.assign(cost)
        .orElseThrow(() -> new IllegalArgumentException("positions must be finite"));
    for (int i = 0; i < columnOfRow.length; i++) {
      if (freshAreRows) out[i] = columnOfRow[i];
      else out[columnOfRow[i]] = i;
    }
    return out;
  }

  /**
   * The model with its centres moved to {@code fresh}, matched by {@link #match}: a fresh position
   * that takes over an existing centre keeps that centre's id, weight and lineage (as a plain
   * refresh does); any other fresh position becomes a new centre with a fresh id ({@code
   * nextCentreId}, in the order of {@code fresh}), weight {@link KMeansModel#RESEED_WEIGHT} (it starts
   * light, like a re-seeded centre, so the next real points move it quickly), created and last
   * updated in the model's version, replacing nothing; existing centres left unmatched are dropped.
   * Version and decay factor are the model's.
   *
   * @param fresh at least one position, each of the model's dimension
   */
  public static KMeansModel reanchor(KMeansModel model, List<double[]> fresh) {
    if (fresh.isEmpty()) throw new IllegalArgumentException("a model needs at least one centre");
    for (double[] p : fresh) {
      if (p.length != model.dimension()) throw new IllegalArgumentException("dimension " + p.length + " != " + model.dimension());
    }
    int[] takesOver = match(positions(model), fresh);
    List<Centre> centres = new ArrayList<>(fresh.size());
    int next = model.nextCentreId();
    for (int i = 0; i < fresh.size(); i++) {
      if (takesOver[i] >= 0) {
        Centre c = model.centres().get(takesOver[i]);
        centres.add(new Centre(c.id(), fresh.get(i), c.weight(), c.createdInVersion(), c.lastUpdatedInVersion(), c.replacesId()));
      } else {
        centres.add(new Centre(next++, fresh.get(i), KMeansModel.RESEED_WEIGHT, model.version(), model.version(), null));
      }
    }
    return new KMeansModel(model.version(), model.dimension(), centres, next, model.decayFactor());
  }

  private static List<double[]> positions(KMeansModel m) {
    List<double[]> out = new ArrayList<>();
    for (Centre c : m.centres()) out.add(c.position());
    return out;
  }
}
