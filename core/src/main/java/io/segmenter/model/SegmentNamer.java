package io.segmenter.model;

import io.segmenter.model.SegmentName.Bound;
import io.segmenter.model.SegmentName.Family;
import io.segmenter.model.SegmentName.Recency;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Names every centre of one model version, jointly: each centre gets a distinct name of the
 * {@link SegmentName} taxonomy, at the least total cost, under two rules that keep names honest
 * (see {@link SegmentName}). The rules and the reasons for them are in docs/SEGMENT-NAMES.md.
 *
 * <p><b>Cost.</b> A name costs a centre the squared distance, in quintile scores, from the centre to
 * the name's region (0 inside), plus a small term for the distance to the region's middle, so that of
 * two regions a centre lies in, the more typical one wins. A name more than {@link #MAX_COST} away
 * (one quintile) would contradict the numbers and is not offered, except the name the centre had in
 * the previous version, offered up to {@link #KEEP_MAX_COST} (one and a half quintiles) while the hard
 * rules still allow it: hysteresis, so that a centre at the edge of the only name left for it does not
 * merge and split by turns. A centre still inside the region of
 * the name it had in the previous version gets {@link #KEEP_BONUS} off that name: a segment keeps its
 * name until its centre crosses a region boundary (or the rules force a change).
 *
 * <p><b>Search.</b> An exact branch and bound over the names (k is at most a few dozen, the taxonomy
 * has a few more names, and the bound prunes almost everything), not a greedy pass: the greedy
 * choice for one centre can force a contradiction on another.
 *
 * <p><b>Merge.</b> Two centres closer than {@link #MERGE_DISTANCE} are one group. When no assignment meets the rules (say six lapsed buyer centres for five lapsed
 * names, or two centres so alike that whichever gets the higher-tier name contradicts the other),
 * the two centres are too close to deserve two names: the answer is a {@link Merge} of the closest
 * such pair, and the caller merges them into one segment and asks again. Never "At Risk (2)".
 */
public final class SegmentNamer {
  /**
   * Squared score units: a name more than one quintile from a centre is not offered to it (its
   * previous name: {@link #KEEP_MAX_COST}).
   */
  static final double MAX_COST = 1.0;
  /**
   * Squared score units: how far a centre's previous name stays offered to it (one and a half
   * quintiles), against {@link #MAX_COST} for any other name. Hysteresis: a name is given within one
   * quintile and kept within one and a half, so that a centre at the edge of the only name left for it
   * does not force a merge (and the next refresh a split, and so on) each time it drifts a little
   * past the edge and back.
   */
  static final double KEEP_MAX_COST = 2.25;
  /** Taken off the previous name's cost while the centre is still inside that name's region. */
  static final double KEEP_BONUS = 0.5;
  /** Weight of the distance to a region's middle: breaks ties between overlapping regions only. */
  static final double TYPICALITY = 0.01;
  /** The most axes a region bounds (Lost: recency, frequency, monetary). */
  private static final int MOST_BOUNDS = 3;
  /**
   * Centres closer than this (standardised distance over all features) are one group, whatever
   * their names could be: three quarters of a standard deviation across every feature at once.
   */
  static final double MERGE_DISTANCE = 0.75;
  /** Branch-and-bound nodes before the search gives up on finding a better assignment than its best. */
  static final long NODE_BUDGET = 2_000_000;

  /** What {@link #name} decided. */
  public sealed interface Outcome permits Named, Merge { }

  /** Every centre named: centre id -> name, in id order, names distinct. */
  public record Named(Map<Integer, SegmentName> names) implements Outcome {
    public Named {
      names = Collections.unmodifiableMap(new TreeMap<>(names));
    }
  }

  /** No assignment meets the rules: merge centre {@code fromId} into {@code intoId} and ask again. */
  public record Merge(int fromId, int intoId) implements Outcome { }

  private SegmentNamer() {
  }

  /** True for the names that promise recent, frequent buyers (Champions, Loyal). */
  public static boolean isChampionsLike(String label) {
    return SegmentName.ofLabel(label).filter(n -> n == SegmentName.CHAMPIONS || n == SegmentName.LOYAL).isPresent();
  }

  /** True for the least valuable names: buyers in the lowest tier, and every visitor name. */
  public static boolean isLowValue(String label) {
    return SegmentName.ofLabel(label).filter(n -> n.valueTier() <= 1).isPresent();
  }

  /** Names without a previous version (the first version, or a test). */
  public static Outcome name(List<CentreScores> centres) {
    return name(centres, Map.of());
  }

  /**
   * @param previous the names of the previous version by centre id (stability); empty for none
   */
  public static Outcome name(List<CentreScores> centres, Map<Integer, SegmentName> previous) {
    Objects.requireNonNull(centres, "centres");
    List<CentreScores> sorted = new ArrayList<>(centres);
    sorted.sort(Comparator.comparingInt(CentreScores::id));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).id() == sorted.get(i - 1).id()) throw new IllegalArgumentException("duplicate centre id " + sorted.get(i).id());
    }
    if (sorted.isEmpty()) return new Named(Map.of());
    SegmentName[] names = SegmentName.values();
    double[][] cost = new double[sorted.size()][names.length];
    for (int i = 0; i < sorted.size(); i++) {
      CentreScores c = sorted.get(i);
      boolean anyFits = false;
      for (SegmentName n : names) anyFits |= cost(n, c) < Double.POSITIVE_INFINITY;
      for (int n = 0; n < names.length; n++) {
        boolean kept = names[n] == previous.get(c.id());
        double cst = cost(names[n], c, !anyFits ? Double.POSITIVE_INFINITY : kept ? KEEP_MAX_COST : MAX_COST);
        if (kept && gap(names[n], c) == 0) cst -= KEEP_BONUS;
        cost[i][n] = cst;
      }
    }
    Merge tooClose = tooClose(sorted);
    if (tooClose != null) return tooClose;
    int[] best = new Search(sorted, cost).run();
    if (best == null) return closestPair(sorted);
    Map<Integer, SegmentName> out = new TreeMap<>();
    for (int i = 0; i < best.length; i++) out.put(sorted.get(i).id(), names[best[i]]);
    return new Named(out);
  }

  /** What {@code name} costs {@code c}: +Infinity when it may not have it at all. */
  static double cost(SegmentName name, CentreScores c) {
    return cost(name, c, MAX_COST);
  }

  /**
   * @param maxGap names further than this from the centre are not offered (+Infinity); the search
   *     lifts the limit for a centre that no name fits within {@link #MAX_COST}, which the absolute
   *     rules can cause (one-order buyers among visitors who never buy score top on frequency, but
   *     may not be called Champions): it then gets the nearest name it may have.
   */
  static double cost(SegmentName name, CentreScores c, double maxGap) {
    if (!eligible(name, c)) return Double.POSITIVE_INFINITY;
    double gap = gap(name, c);
    if (gap > maxGap) return Double.POSITIVE_INFINITY;
    // Distance to the region's middle in half-widths, and each axis the name says nothing about
    // counts as one: of two regions a centre lies in, the more typical and the more specific wins.
    double typicality = Math.max(0, MOST_BOUNDS - name.region().size() - (name.limitsOrders() ? 1 : 0));
    for (Bound b : name.region()) {
      double d = (c.score(b.axis()) - (b.lo() + b.hi()) / 2) / ((b.hi() - b.lo()) / 2);
      typicality += d * d;
    }
    return gap + TYPICALITY * typicality;
  }

  /** Squared distance from the centre to the name's region, 0 inside. */
  static double gap(SegmentName name, CentreScores c) {
    double g = 0;
    for (Bound b : name.region()) {
      double d = b.gap(c.score(b.axis()));
      g += d * d;
    }
    return g;
  }

  /**
   * The hard rules: the family (buyers' names for centres that order), what the name says about
   * recency (a hard cut at score 2.5, so that every ACTIVE-named centre is more recent than every
   * LAPSED-named one), and what visitor names need to be true at all (a view, a cart addition).
   */
  static boolean eligible(SegmentName name, CentreScores c) {
    if ((name.family() == Family.BUYER) != c.buys()) return false;
    if (!name.allowsOrders(c.orders())) return false;
    double recency = c.score(name.family() == Family.BUYER ? SegmentName.Axis.RECENCY : SegmentName.Axis.VISIT_RECENCY);
    if (name.recency() == Recency.ACTIVE && recency < 2.5) return false;
    if (name.recency() == Recency.LAPSED && recency >= 2.5) return false;
    if (name.family() == Family.VISITOR) {
      boolean browsed = c.views() >= 1;
      if (name == SegmentName.NON_BUYERS) return !browsed;
      if (!browsed) return false;
      if (name == SegmentName.CART_ABANDONERS && c.cartAdds() < 0.5) return false;
    }
    return true;
  }

  /**
   * The value rule for one pair: the centre with the higher-tier name must not have both lower spend
   * and fewer orders than the other.
   */
  static boolean consistent(SegmentName a, CentreScores ca, SegmentName b, CentreScores cb) {
    if (a.valueTier() > b.valueTier()) return !(ca.netSpend() < cb.netSpend() && ca.orders() < cb.orders());
    if (b.valueTier() > a.valueTier()) return !(cb.netSpend() < ca.netSpend() && cb.orders() < ca.orders());
    return true;
  }

  /**
   * The pair to merge when no assignment meets the rules: the closest two centres (standardised
   * distance) that compete for the same names (same family, same side of the recency cut), else the
   * closest two of the same family, else the closest two. The newer id merges into the older one.
   */
  private static Merge closestPair(List<CentreScores> centres) {
    Merge best = null;
    double bestKey = Double.POSITIVE_INFINITY;
    for (int i = 0; i < centres.size(); i++) {
      for (int j = i + 1; j < centres.size(); j++) {
        CentreScores a = centres.get(i);
        CentreScores b = centres.get(j);
        double d = KMeansModel.squaredDistance(a.position(), b.position());
        int rank = a.buys() != b.buys() ? 2 : side(a) != side(b) ? 1 : 0;
        double key = rank * 1e12 + d;
        if (key < bestKey) {
          bestKey = key;
          best = new Merge(Math.max(a.id(), b.id()), Math.min(a.id(), b.id()));
        }
      }
    }
    if (best == null) throw new IllegalStateException("a single centre always has a name");
    return best;
  }

  /** The closest pair nearer than {@link #MERGE_DISTANCE}, or null. */
  private static Merge tooClose(List<CentreScores> centres) {
    Merge found = null;
    double closest = MERGE_DISTANCE * MERGE_DISTANCE;
    for (int i = 0; i < centres.size(); i++) {
      for (int j = i + 1; j < centres.size(); j++) {
        CentreScores a = centres.get(i);
        CentreScores b = centres.get(j);
        double d = KMeansModel.squaredDistance(a.position(), b.position());
        if (d < closest) {
          closest = d;
          found = new Merge(Math.max(a.id(), b.id()), Math.min(a.id(), b.id()));
        }
      }
    }
    return found;
  }

  private static boolean side(CentreScores c) {
    return c.score(c.buys() ? SegmentName.Axis.RECENCY : SegmentName.Axis.VISIT_RECENCY) >= 2.5;
  }

  /** Depth-first branch and bound over centres (most constrained first), names cheapest first. */
  private static final class Search {
    private final List<CentreScores> centres;
    private final double[][] cost;
    private final int[] order;
    private final int[][] candidates;
    private final double[] restBound;
    private final SegmentName[] names = SegmentName.values();
    private final int[] current;
    private int[] best;
    private double bestCost = Double.POSITIVE_INFINITY;
    private long nodes;

    Search(List<CentreScores> centres, double[][] cost) {
      this.centres = centres;
      this.cost = cost;
      int k = centres.size();
      candidates = new int[k][];
      for (int i = 0; i < k; i++) {
        List<Integer> ok = new ArrayList<>();
        for (int n = 0; n < names.length; n++) if (cost[i][n] < Double.POSITIVE_INFINITY) ok.add(n);
        final int row = i;
        ok.sort(Comparator.<Integer>comparingDouble(n -> cost[row][n]).thenComparingInt(n -> n));
        candidates[i] = ok.stream().mapToInt(Integer::intValue).toArray();
      }
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < k; i++) idx.add(i);
      idx.sort(Comparator.<Integer>comparingInt(i -> candidates[i].length).thenComparingInt(i -> i));
      order = idx.stream().mapToInt(Integer::intValue).toArray();
      restBound = new double[k + 1];
      for (int d = k - 1; d >= 0; d--) {
        int i = order[d];
        restBound[d] = restBound[d + 1] + (candidates[i].length == 0 ? Double.POSITIVE_INFINITY : cost[i][candidates[i][0]]);
      }
      current = new int[k];
    }

    int[] run() {
      if (!pigeonholesFit()) return null;
      dfs(0, 0L, 0);
      return best;
    }

    /** Fewer names than centres in one family: no search needed to know there is no assignment. */
    private boolean pigeonholesFit() {
      Set<Integer> reachable = new HashSet<>();
      for (int[] c : candidates) {
        if (c.length == 0) return false;
        for (int n : c) reachable.add(n);
      }
      return reachable.size() >= centres.size();
    }

    private void dfs(int depth, long used, double sofar) {
      if (++nodes > NODE_BUDGET && best != null) return;
      if (sofar + restBound[depth] >= bestCost) return;
      if (depth == order.length) {
        bestCost = sofar;
        best = current.clone();
        return;
      }
      int i = order[depth];
      for (int n : candidates[i]) {
        if ((used & (1L << n)) != 0) continue;
        if (!consistentWithAssigned(depth, i, n)) continue;
        current[i] = n;
        dfs(depth + 1, used | (1L << n), sofar + cost[i][n]);
      }
    }

    private boolean consistentWithAssigned(int depth, int i, int n) {
      for (int d = 0; d < depth; d++) {
        int j = order[d];
        if (!consistent(names[n], centres.get(i), names[current[j]], centres.get(j))) return false;
      }
      return true;
    }
  }
}
