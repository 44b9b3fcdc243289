package io.segmenter.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Immutable online mini-batch K-means model (Sculley 2010) with a forgetting factor (as Spark's
 * StreamingKMeans {@code decayFactor}).
 *
 * <p>Update, per centre with n new points summing to S: {@code w' = decay*w + n},
 * {@code c' = (decay*w*c + S) / w'}. With decay = 1 this equals Sculley's sequential per-point
 * update with learning rate 1/count. Centres with no points still decay their weight. Applying a
 * batch returns a NEW model with version + 1.
 *
 * <p><b>Dead-centre re-seed rule.</b> After the update to version v, a centre with
 * {@code v - lastUpdatedInVersion > deadAfterVersions} is dead. It is replaced by a centre with a
 * FRESH id ({@code nextCentreId++}; ids are never reused, unlike Spark which reuses the dead index),
 * {@code replacesId} = the dead id, weight {@link #RESEED_WEIGHT}, positioned at a point chosen by
 * D^2 sampling (distance to the nearest surviving centre) from the candidate sample given with the
 * batch, using a SplittableRandom seeded from v so replays are deterministic. Dead centres are
 * handled in id order. With no usable candidates (empty, or all at distance 0) the dead centre is
 * kept as is.
 */
public final class KMeansModel {
  /** Default number of segments: six readable personas (Champions, Loyal, New, At Risk, Hibernating, Window Shoppers). */
  public static final int DEFAULT_K = 6;
  /** A re-seeded centre starts light so the next real points move it quickly. */
  public static final double RESEED_WEIGHT = 1.0;

  private final long version;
  private final int dimension;
  private final List<Centre> centres;
  private final int nextCentreId;
  private final double decayFactor;

  public KMeansModel(long version, int dimension, List<Centre> centres, int nextCentreId, double decayFactor) {
    if (centres.isEmpty()) throw new IllegalArgumentException("a model needs at least one centre");
    if (!(decayFactor > 0 && decayFactor <= 1)) throw new IllegalArgumentException("decayFactor must be in (0,1]: " + decayFactor);
    List<Centre> sorted = new ArrayList<>(centres);
    sorted.sort(Comparator.comparingInt(Centre::id));
    for (int i = 0; i < sorted.size(); i++) {
      Centre c = sorted.get(i);
      if (c.position().length != dimension) throw new IllegalArgumentException("centre " + c.id() + " has wrong dimension");
      if (c.id() >= nextCentreId) throw new IllegalArgumentException("centre id " + c.id() + " >= nextCentreId " + nextCentreId);
      if (i > 0 && sorted.get(i - 1).id() == c.id()) throw new IllegalArgumentException("duplicate centre id " + c.id());
    }
    this.version = version;
    this.dimension = dimension;
    this.centres = List.copyOf(sorted);
    this.nextCentreId = nextCentreId;
    this.decayFactor = decayFactor;
  }

  /**
   * k-means++ (Arthur and Vassilvitskii 2007): first centre uniformly, then D^2 sampling.
   * Same sample + seed gives the same centres. Ids 0..k-1, version 1, weight 0.
   */
  public static KMeansModel kMeansPlusPlus(List<double[]> sample, int k, long seed, double decayFactor) {
    if (k < 1) throw new IllegalArgumentException("k must be >= 1: " + k);
    if (sample.isEmpty()) throw new IllegalArgumentException("empty warm-up sample");
    long distinct = distinctPoints(sample);
    if (distinct < k) throw new IllegalArgumentException(
        "warm-up sample has " + distinct + " distinct points, fewer than k = " + k);
    return kMeansPlusPlus(FlatPoints.of(sample, sample.get(0).length), k, seed, decayFactor);
  }

  /**
   * {@link #kMeansPlusPlus(List, int, long, double)} on flattened points, for callers that run it
   * several times on one sample and have checked it: k >= 1, and at least k distinct points.
   */
  static KMeansModel kMeansPlusPlus(FlatPoints sample, int k, long seed, double decayFactor) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int dim = sample.dimension();
    double[] chosen = new double[k * dim];
    int first = rnd.nextInt(sample.size());
    System.arraycopy(sample.point(first), 0, chosen, 0, dim);
    double[] d2 = new double[sample.size()];
    for (int i = 0; i < d2.length; i++) d2[i] = sample.squaredDistance(i, chosen, 0);
    for (int c = 1; c < k; c++) {
      int idx = sampleProportional(d2, rnd);
      System.arraycopy(sample.point(idx), 0, chosen, c * dim, dim);
      for (int i = 0; i < d2.length; i++) d2[i] = Math.min(d2[i], sample.squaredDistance(i, chosen, c * dim));
    }
    List<Centre> centres = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      centres.add(new Centre(i, java.util.Arrays.copyOfRange(chosen, i * dim, (i + 1) * dim), 0.0, 1, 1, null));
    }
    return new KMeansModel(1, dim, centres, k, decayFactor);
  }

  /**
   * The same model with every centre id moved up by {@code base} (and the next id with them): a
   * strategy's first version takes ids from its own range, so that the segments of two strategies
   * running side by side never share an id (a customer moved by a promotion changes id, visibly).
   */
  public KMeansModel renumberedFrom(int base) {
    if (base == 0) return this;
    List<Centre> moved = new ArrayList<>(centres.size());
    for (Centre c : centres) {
      moved.add(new Centre(c.id() + base, c.position(), c.weight(), c.createdInVersion(), c.lastUpdatedInVersion(),
          c.replacesId() == null ? null : c.replacesId() + base));
    }
    return new KMeansModel(version, dimension, moved, nextCentreId + base, decayFactor);
  }

  /** How many different points {@code sample} holds (k-means++ needs at least k). */
  public static long distinctPoints(List<double[]> sample) {
    // Compared by content, hashed on every bit of every value: DoubleBuffer's hash casts each value
    // to int, so standardised features near 0 all collided into tree bins (this runs in every
    // k-means++ start, on the aggregator's stream thread).
    java.util.Set<PointKey> seen = new java.util.HashSet<>();
    for (double[] p : sample) seen.add(new PointKey(p));
    return seen.size();
  }

  /** A point as a hash key by content. */
  private record PointKey(double[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof PointKey k && java.util.Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(values);
    }
  }

  /** Sum of squared distances of {@code points} to their nearest centre. */
  public double inertia(List<double[]> points) {
    return inertia(FlatPoints.of(points, dimension));
  }

  /** {@link #inertia(List)} of flattened points. */
  double inertia(FlatPoints points) {
    return new LloydKernel(points, centres.size()).load(this).inertia();
  }

  /**
   * Lloyd iterations on a sample, keeping ids and version: k-means++ seeds are good starting points
   * but rough; a few batch iterations on the warm-up sample give the online model a better start
   * (scikit-learn's MiniBatchKMeans does the same on its init sample). A centre that gets no point
   * keeps its position. Weights become the cluster sizes of the last iteration. Runs on flat arrays
   * ({@link LloydKernel}, which says why and how the results stay the same).
   */
  public KMeansModel refine(List<double[]> sample, int maxIterations) {
    if (maxIterations <= 0) return this;
    return new LloydKernel(FlatPoints.of(sample, dimension), centres.size()).refine(this, maxIterations);
  }

  /** This model with each centre at the position {@code other} gives its id (weights and lineage kept). */
  public KMeansModel withCentres(KMeansModel other) {
    List<Centre> moved = new ArrayList<>(centres.size());
    for (Centre c : centres) {
      Centre there = other.centre(c.id());
      moved.add(new Centre(c.id(), there != null ? there.position() : c.position(), c.weight(), c.createdInVersion(),
          c.lastUpdatedInVersion(), c.replacesId()));
    }
    return new KMeansModel(version, dimension, moved, nextCentreId, decayFactor);
  }

  /** Same model with every centre moved by {@code move} (ids, weights and lineage kept). */
  public KMeansModel withPositions(java.util.function.UnaryOperator<double[]> move) {
    List<Centre> moved = new ArrayList<>(centres.size());
    for (Centre c : centres) {
      moved.add(new Centre(c.id(), move.apply(c.position()), c.weight(), c.createdInVersion(),
          c.lastUpdatedInVersion(), c.replacesId()));
    }
    return new KMeansModel(version, dimension, moved, nextCentreId, decayFactor);
  }

  /** Index drawn with probability proportional to weights[i]; -1 if all weights are 0. */
  private static int sampleProportional(double[] weights, SplittableRandom rnd) {
    double total = 0;
    for (double w : weights) total += w;
    if (!(total > 0)) return -1;
    double r = rnd.nextDouble() * total;
    double acc = 0;
    int last = -1;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] <= 0) continue;
      acc += weights[i];
      last = i;
      if (r < acc) return i;
    }
    return last; // rounding at the top end
  }

  /** Euclidean distance between two points of the same dimension. */
  public static double distance(double[] a, double[] b) {
    return Math.sqrt(squaredDistance(a, b));
  }

  static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return s;
  }

  /** Nearest centre by Euclidean distance; ties go to the lower id (centres are in id order). */
  public Assignment nearest(double[] point) {
    if (point.length != dimension) throw new IllegalArgumentException("dimension " + point.length + " != " + dimension);
    int best = -1;
    double bestD = Double.POSITIVE_INFINITY;
    double second = Double.POSITIVE_INFINITY;
    for (Centre c : centres) {
      double d = 0;
      for (int i = 0; i < dimension; i++) {
        double x = point[i] - c.coordinate(i);
        d += x * x;
      }
      if (d < bestD) {
        second = bestD;
        bestD = d;
        best = c.id();
      } else if (d < second) {
        second = d;
      }
    }
    return new Assignment(best, Math.sqrt(bestD),
        centres.size() > 1 ? Math.sqrt(second) : Double.NaN);
  }

  /** Applies a batch without re-seeding. */
  public KMeansModel apply(MiniBatchStatistics stats) {
    return apply(stats, List.of(), Long.MAX_VALUE).model();
  }

  /**
   * Applies the statistics of a mini-batch, then re-seeds dead centres (see class Javadoc).
   *
   * @param candidates points to re-seed from (e.g. the batch's points or a reservoir)
   * @param deadAfterVersions a centre more than this many versions without points is dead
   */
  public ModelUpdate apply(MiniBatchStatistics stats, List<double[]> candidates, long deadAfterVersions) {
    if (stats.dimension() != dimension) throw new IllegalArgumentException("dimension mismatch");
    for (int id : stats.counts().keySet()) {
      if (centre(id) == null) throw new IllegalArgumentException("statistics for unknown centre " + id);
    }
    long newVersion = version + 1;
    List<Centre> updated = new ArrayList<>(centres.size());
    for (Centre c : centres) {
      long n = stats.count(c.id());
      double decayedWeight = decayFactor * c.weight();
      if (n == 0) {
        updated.add(new Centre(c.id(), c.position(), decayedWeight, c.createdInVersion(),
            c.lastUpdatedInVersion(), c.replacesId()));
        continue;
      }
      double[] s = stats.sum(c.id());
      double w = decayedWeight + n;
      double[] pos = new double[dimension];
      for (int i = 0; i < dimension; i++) pos[i] = (decayedWeight * c.coordinate(i) + s[i]) / w;
      updated.add(new Centre(c.id(), pos, w, c.createdInVersion(), newVersion, c.replacesId()));
    }
    return reseedDead(updated, newVersion, candidates, deadAfterVersions);
  }

  private ModelUpdate reseedDead(List<Centre> updated, long newVersion, List<double[]> candidates, long deadAfterVersions) {
    List<Reseed> reseeds = new ArrayList<>();
    int next = nextCentreId;
    // Seed derived from the version only: a replay of the same inputs re-seeds identically.
    SplittableRandom rnd = new SplittableRandom(0x5EED_0000_0000L ^ newVersion);
    for (int i = 0; i < updated.size(); i++) {
      Centre c = updated.get(i);
      if (newVersion - c.lastUpdatedInVersion() <= deadAfterVersions || candidates.isEmpty()) continue;
      double[] d2 = new double[candidates.size()];
      for (int j = 0; j < d2.length; j++) {
        double best = Double.POSITIVE_INFINITY;
        for (int m = 0; m < updated.size(); m++) {
          if (m == i) continue;
          best = Math.min(best, squaredDistance(candidates.get(j), updated.get(m).position()));
        }
        d2[j] = updated.size() == 1 ? 1.0 : best;
      }
      int idx = sampleProportional(d2, rnd);
      if (idx < 0) continue;
      int newId = next++;
      updated.set(i, new Centre(newId, candidates.get(idx), RESEED_WEIGHT, newVersion, newVersion, c.id()));
      reseeds.add(new Reseed(c.id(), newId, newVersion));
    }
    return new ModelUpdate(new KMeansModel(newVersion, dimension, updated, next, decayFactor), reseeds);
  }

  /**
   * The same model with centre {@code fromId} folded into {@code intoId}: one centre at their
   * weight-weighted mean (the midpoint when both weigh nothing), with both weights, {@code intoId}'s
   * id and lineage. Same version: a merge happens while a version is being made.
   */
  public KMeansModel merged(int fromId, int intoId) {
    Centre from = centre(fromId);
    Centre into = centre(intoId);
    if (from == null || into == null || fromId == intoId) {
      throw new IllegalArgumentException("cannot merge centre " + fromId + " into " + intoId);
    }
    double w = from.weight() + into.weight();
    double share = w > 0 ? from.weight() / w : 0.5;
    double[] pos = new double[dimension];
    for (int i = 0; i < dimension; i++) pos[i] = (1 - share) * into.coordinate(i) + share * from.coordinate(i);
    List<Centre> kept = new ArrayList<>(centres.size() - 1);
    for (Centre c : centres) {
      if (c.id() == fromId) continue;
      kept.add(c.id() != intoId ? c : new Centre(intoId, pos, w, into.createdInVersion(),
          Math.max(into.lastUpdatedInVersion(), from.lastUpdatedInVersion()), into.replacesId()));
    }
    return new KMeansModel(version, dimension, kept, nextCentreId, decayFactor);
  }

  public Centre centre(int id) {
    for (Centre c : centres) if (c.id() == id) return c;
    return null;
  }

  public long version() { return version; }
  public int dimension() { return dimension; }
  public List<Centre> centres() { return centres; }
  public int nextCentreId() { return nextCentreId; }
  public double decayFactor() { return decayFactor; }
}
