package io.segmenter.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Gives each k-means centre of one model version a marketer-readable name from its RFM profile.
 * The full rule set, and why it looks the way it does, is in docs/SEGMENT-NAMES.md; keep the two in
 * step.
 *
 * <p>Names are recomputed for every model version (a centre that moves may change name) while the
 * centre id stays stable, so anything that must survive a model update keys on the id, never on
 * the name.
 */
public final class SegmentNamer {
  public static final String CHAMPIONS = "Champions";
  public static final String LOYAL = "Loyal";
  public static final String POTENTIAL_LOYALIST = "Potential Loyalist";
  public static final String NEW = "New";
  public static final String PROMISING = "Promising";
  public static final String NEED_ATTENTION = "Need Attention";
  public static final String ABOUT_TO_SLEEP = "About to Sleep";
  public static final String AT_RISK = "At Risk";
  public static final String CANT_LOSE_THEM = "Can't Lose Them";
  public static final String HIBERNATING = "Hibernating";
  public static final String LOST = "Lost";
  public static final String WINDOW_SHOPPERS = "Window Shoppers";

  /**
   * Quintile boundaries of the standard normal (Phi^-1 of 0.2/0.8 and 0.4/0.6). The model only
   * carries each feature's mean and variance, not its distribution, so population quintiles are
   * approximated by assuming the log-transformed feature is normal.
   */
  static final double OUTER_QUINTILE_Z = 0.8416;
  static final double INNER_QUINTILE_Z = 0.2533;

  /** Below half an order per customer, a centre is a group of people who essentially never buy. */
  static final double MIN_ORDERS = 0.5;

  private static final Set<String> LOW_VALUE = Set.of(HIBERNATING, LOST, ABOUT_TO_SLEEP, WINDOW_SHOPPERS);
  private static final Set<String> CHAMPIONS_LIKE = Set.of(CHAMPIONS, LOYAL);

  /** Names the biggest-spending segment must never carry (see the top-spender guard). */
  private static final Set<String> NOT_FOR_TOP_SPENDER =
      Set.of(HIBERNATING, LOST, ABOUT_TO_SLEEP, NEED_ATTENTION, PROMISING, NEW, WINDOW_SHOPPERS);

  private static final Pattern QUALIFIER = Pattern.compile(" \\([1-9][0-9]*\\)$");

  /** Most valuable first: higher monetaryZ, ties broken by the lower (older) id for determinism. */
  private static final Comparator<CentreRfm> BY_VALUE =
      Comparator.comparingDouble(CentreRfm::monetaryZ).reversed().thenComparingInt(CentreRfm::centreId);

  private SegmentNamer() {
  }

  /** Quintile scores 1..5 (5 best); recency is reversed because a high recencyZ means long ago. */
  public static RfmScore score(CentreRfm c) {
    return new RfmScore(6 - ascendingQuintile(c.recencyZ()), ascendingQuintile(c.frequencyZ()),
        ascendingQuintile(c.monetaryZ()));
  }

  /**
   * Names every centre of one model version: centreId -> name, iterating in centreId order.
   * Deterministic, and unique within the version.
   */
  public static Map<Integer, String> name(List<CentreRfm> centres) {
    Objects.requireNonNull(centres, "centres");
    Map<Integer, String> base = new LinkedHashMap<>();
    for (CentreRfm c : centres) {
      if (base.put(c.centreId(), baseName(c)) != null) {
        throw new IllegalArgumentException("duplicate centre id " + c.centreId());
      }
    }
    applyTopSpenderGuard(centres, base);
    stepDownSharedTopNames(centres, base);
    return Collections.unmodifiableMap(qualify(centres, base));
  }

  /** True for Hibernating, Lost, About to Sleep and Window Shoppers, with or without " (n)". */
  public static boolean isLowValue(String name) {
    return LOW_VALUE.contains(stripQualifier(name));
  }

  /** True for Champions and Loyal, with or without " (n)". */
  public static boolean isChampionsLike(String name) {
    return CHAMPIONS_LIKE.contains(stripQualifier(name));
  }

  /** The rule table of docs/SEGMENT-NAMES.md for one centre on its own; first match wins. */
  static String baseName(CentreRfm c) {
    if (c.orders() < MIN_ORDERS) {
      // Scores say nothing useful here: their F and M are near the bottom by construction. Browsing
      // must be clearly above the middle (score 4 or 5), not merely "not below": without clickstream
      // data (e.g. an orders-only source) every browsing z is 0, and customers whose only orders were
      // cancelled are not window shoppers.
      return c.browsingZ() >= INNER_QUINTILE_Z ? WINDOW_SHOPPERS : HIBERNATING;
    }
    RfmScore s = score(c);
    int r = s.r();
    int f = s.f();
    int m = s.m();
    int fm = s.fm();
    if (r >= 4 && fm >= 4) return CHAMPIONS;
    if (r >= 3 && fm >= 4) return LOYAL;
    if (r >= 4 && f <= 1) return NEW;
    if (r >= 4 && fm <= 2) return PROMISING;
    if (r >= 3 && fm == 3) return POTENTIAL_LOYALIST;
    if (r == 3 && fm <= 2) return NEED_ATTENTION;
    // The brief's "r <= 2 and f == 5 and r == 1" reduces to this.
    if (r == 1 && f == 5) return CANT_LOSE_THEM;
    if (r <= 2 && fm >= 3) return AT_RISK;
    if (r == 2 && fm <= 2) return ABOUT_TO_SLEEP;
    // Only r == 1 with fm <= 2 is left (every r >= 2 case returned above).
    return f == 1 && m == 1 ? LOST : HIBERNATING;
  }

  /** 1 below -0.8416, 2 below -0.2533, 3 below 0.2533, 4 below 0.8416, else 5. */
  static int ascendingQuintile(double z) {
    if (z < -OUTER_QUINTILE_Z) return 1;
    if (z < -INNER_QUINTILE_Z) return 2;
    if (z < INNER_QUINTILE_Z) return 3;
    if (z < OUTER_QUINTILE_Z) return 4;
    return 5;
  }

  /**
   * The absolute rules can give the biggest-spending ordering centre a low-value name (e.g. all
   * centres sit below the population median, or a big-spend one-order group scores "New"), which
   * would tell marketers their best segment is their worst. Scores are relative to the population,
   * so no absolute rule can prevent it; this relative rule does. When every centre shares the
   * name there is no ranking to contradict, so the name is left alone.
   */
  private static void applyTopSpenderGuard(List<CentreRfm> centres, Map<Integer, String> base) {
    CentreRfm top = centres.stream()
        .filter(c -> c.orders() >= MIN_ORDERS)
        .min(BY_VALUE)
        .orElse(null);
    if (top == null) return;
    String topName = base.get(top.centreId());
    if (!NOT_FOR_TOP_SPENDER.contains(topName)) return;
    if (new HashSet<>(base.values()).size() == 1) return;
    // Still recent enough: the best prospect to grow. Slipping: the segment to win back first.
    base.put(top.centreId(), score(top).r() >= 3 ? POTENTIAL_LOYALIST : AT_RISK);
  }

  /**
   * Several centres that all earn Champions (common: champions, loyal customers and bargain hunters
   * all buy recently and often) are ranked by spend instead of numbered: the biggest spender keeps
   * Champions, the next take Loyal, then Potential Loyalist, each only if no centre earned that name
   * by itself. Analysts get three different words for three different groups; the rest get " (n)".
   */
  private static void stepDownSharedTopNames(List<CentreRfm> centres, Map<Integer, String> base) {
    List<CentreRfm> champions = new ArrayList<>();
    for (CentreRfm c : centres) if (CHAMPIONS.equals(base.get(c.centreId()))) champions.add(c);
    champions.sort(BY_VALUE);
    List<String> ladder = new ArrayList<>();
    for (String step : List.of(LOYAL, POTENTIAL_LOYALIST)) if (!base.containsValue(step)) ladder.add(step);
    for (int i = 1; i < champions.size() && i - 1 < ladder.size(); i++) {
      base.put(champions.get(i).centreId(), ladder.get(i - 1));
    }
  }

  /** Same base name: the bigger spender keeps it plain, the rest get " (2)", " (3)", ... */
  private static SortedMap<Integer, String> qualify(List<CentreRfm> centres, Map<Integer, String> base) {
    List<CentreRfm> byValue = new ArrayList<>(centres);
    byValue.sort(BY_VALUE);
    Map<String, Integer> seen = new LinkedHashMap<>();
    SortedMap<Integer, String> named = new TreeMap<>();
    for (CentreRfm c : byValue) {
      String name = base.get(c.centreId());
      int rank = seen.merge(name, 1, Integer::sum);
      named.put(c.centreId(), rank == 1 ? name : name + " (" + rank + ")");
    }
    return named;
  }

  private static String stripQualifier(String name) {
    Objects.requireNonNull(name, "name");
    return QUALIFIER.matcher(name).replaceFirst("");
  }
}
