package io.segmenter.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviour of each persona, measured from the events only (600 customers, 180 days). */
class PersonaBehaviourTest {
  private static final long DAY = 86_400_000L;
  private static SyntheticGenerator generator;
  private static Map<String, Profile> profiles;
  private static long start;
  private static long end;

  /** What an analyst could compute per customer from the two topics. */
  static final class Profile {
    final Persona persona;
    long firstEvent = Long.MAX_VALUE;
    long lastEvent;
    long lastOrder = -1;
    int orders;
    double spend;
    int sessions;
    int views;
    int searches;
    int cartSessions;
    int convertedCartSessions;
    final Set<String> categories = new HashSet<>();
    String session;
    boolean sessionHasCart;
    long sessionLastClick;

    Profile(Persona persona) {
      this.persona = persona;
    }

    double aov() {
      return orders == 0 ? 0 : spend / orders;
    }

    double abandonment() {
      return cartSessions == 0 ? 0 : 1 - convertedCartSessions / (double) cartSessions;
    }
  }

  @BeforeAll
  static void generate() {
    generator = SyntheticGenerator.create(GeneratorConfig.defaults().withCustomers(600));
    start = generator.start().toEpochMilli();
    end = generator.end().toEpochMilli();
    profiles = new LinkedHashMap<>();
    generator.groundTruth().forEach((id, p) -> profiles.put(id, new Profile(p)));
    for (GeneratedEvent e : generator) {
      Profile p = profiles.get(e.customerId());
      p.firstEvent = Math.min(p.firstEvent, e.occurredAtMs());
      p.lastEvent = e.occurredAtMs();
      if (e.event() instanceof ClickEvent c) {
        click(p, c, e.occurredAtMs());
      } else {
        OrderEvent o = (OrderEvent) e.event();
        if (o.getStatus() != OrderStatus.PLACED) continue;
        p.orders++;
        p.spend += o.getAmount().doubleValue();
        p.lastOrder = e.occurredAtMs();
        // An order converts the cart of the session it closes (placed minutes after its last click).
        if (p.sessionHasCart && e.occurredAtMs() - p.sessionLastClick <= 10 * 60_000L) {
          p.convertedCartSessions++;
          p.sessionHasCart = false;
        }
      }
    }
  }

  private static void click(Profile p, ClickEvent c, long at) {
    if (!c.getSessionId().equals(p.session)) {
      p.session = c.getSessionId();
      p.sessions++;
      p.sessionHasCart = false;
    }
    p.sessionLastClick = at;
    if (c.getCategory() != null) p.categories.add(c.getCategory());
    if (c.getType() == ClickType.PRODUCT_VIEW) p.views++;
    if (c.getType() == ClickType.SEARCH) p.searches++;
    if (c.getType() == ClickType.ADD_TO_CART && !p.sessionHasCart) {
      p.sessionHasCart = true;
      p.cartSessions++;
    }
  }

  @Test
  void windowShoppersNeverOrderButBrowseALot() {
    assertThat(of(Persona.WINDOW_SHOPPER)).allSatisfy(p -> assertThat(p.orders).isZero());
    assertThat(median(Persona.WINDOW_SHOPPER, p -> p.sessions)).isGreaterThan(40);
    assertThat(median(Persona.WINDOW_SHOPPER, p -> p.views / (double) p.sessions))
        .isGreaterThan(2 * median(Persona.LOYAL, p -> p.views / (double) p.sessions));
  }

  @Test
  void championsOrderMoreThanThreeTimesAsOftenAsLoyalCustomersAndSpendMore() {
    double champion = median(Persona.CHAMPION, p -> p.orders);
    double loyal = median(Persona.LOYAL, p -> p.orders);
    assertThat(loyal).isPositive();
    assertThat(champion).isGreaterThan(3 * loyal);
    assertThat(median(Persona.CHAMPION, Profile::aov)).isBetween(80.0, 200.0);
    assertThat(median(Persona.LOYAL, Profile::aov)).isBetween(35.0, 70.0);
  }

  @Test
  void championsOrderedInTheLastTwoWeeks() {
    assertThat(of(Persona.CHAMPION)).allSatisfy(p -> assertThat(p.lastOrder).isGreaterThanOrEqualTo(end - 14 * DAY));
  }

  @Test
  void bargainHuntersBuyCheapSearchALotAndAbandonMostCarts() {
    assertThat(median(Persona.BARGAIN_HUNTER, Profile::aov)).isLessThan(25);
    assertThat(median(Persona.BARGAIN_HUNTER, Profile::abandonment)).isGreaterThan(0.5);
    assertThat(median(Persona.BARGAIN_HUNTER, p -> p.searches))
        .isGreaterThan(3 * median(Persona.CHAMPION, p -> p.searches));
    assertThat(median(Persona.BARGAIN_HUNTER, p -> p.categories.size())).isGreaterThanOrEqualTo(8);
    assertThat(median(Persona.LOYAL, p -> p.categories.size())).isLessThanOrEqualTo(4);
  }

  @Test
  void lapsingCustomersFallSilentBeforeSixtyPercentOfTheSpan() {
    long cutoff = start + (long) ((end - start) * 0.6);
    assertThat(of(Persona.LAPSING)).allSatisfy(p -> assertThat(p.lastEvent).isLessThan(cutoff));
    assertThat(median(Persona.LAPSING, p -> p.orders)).isGreaterThanOrEqualTo(4);
  }

  @Test
  void newCustomersAppearInTheLastTwoWeeksAndOrderOnceOrTwice() {
    assertThat(of(Persona.NEW)).allSatisfy(p -> {
      assertThat(p.firstEvent).isGreaterThanOrEqualTo(end - 14 * DAY);
      assertThat(p.orders).isBetween(1, 2);
    });
  }

  @Test
  void kMeansOnBehaviourFeaturesRecoversThePersonas() {
    List<Profile> all = new ArrayList<>(profiles.values());
    double[][] x = new double[all.size()][];
    for (int i = 0; i < x.length; i++) x[i] = features(all.get(i));
    standardise(x);
    List<DoublePoint> points = new ArrayList<>();
    Map<DoublePoint, Integer> row = new IdentityHashMap<>();
    for (int i = 0; i < x.length; i++) {
      DoublePoint point = new DoublePoint(x[i]);
      points.add(point);
      row.put(point, i);
    }
    int[] cluster = bestOfKMeans(points, row, x.length);
    int[] truth = all.stream().mapToInt(p -> p.persona.ordinal()).toArray();
    assertThat(adjustedRandIndex(truth, cluster)).isGreaterThanOrEqualTo(0.8);
  }

  /**
   * The lowest-SSE of 20 k-means++ runs. Not MultiKMeansPlusPlusClusterer: it ranks runs by the sum
   * of cluster variances, which ignores cluster sizes and prefers splitting a large tight persona
   * over separating two smaller ones.
   */
  private static int[] bestOfKMeans(List<DoublePoint> points, Map<DoublePoint, Integer> row, int n) {
    JDKRandomGenerator random = new JDKRandomGenerator();
    random.setSeed(7);
    var kMeans = new KMeansPlusPlusClusterer<DoublePoint>(Persona.values().length, 300, new EuclideanDistance(), random);
    int[] best = null;
    double bestSse = Double.POSITIVE_INFINITY;
    for (int run = 0; run < 20; run++) {
      List<CentroidCluster<DoublePoint>> clusters = kMeans.cluster(points);
      int[] labels = new int[n];
      double sse = 0;
      for (int c = 0; c < clusters.size(); c++) {
        double[] centre = clusters.get(c).getCenter().getPoint();
        for (DoublePoint p : clusters.get(c).getPoints()) {
          labels[row.get(p)] = c;
          double d = new EuclideanDistance().compute(centre, p.getPoint());
          sse += d * d;
        }
      }
      if (sse < bestSse) {
        bestSse = sse;
        best = labels;
      }
    }
    return best;
  }

  private static double[] features(Profile p) {
    double span = end - start;
    return new double[] {
        Math.log1p(p.orders),
        Math.log1p(p.aov()),
        (end - p.lastEvent) / span,
        Math.log1p(p.sessions),
        p.searches / (double) p.sessions,
        p.views / (double) p.sessions,
        p.abandonment(),
        Math.log(p.categories.size()),
    };
  }

  private static void standardise(double[][] x) {
    for (int j = 0; j < x[0].length; j++) {
      double mean = 0;
      for (double[] r : x) mean += r[j] / x.length;
      double var = 0;
      for (double[] r : x) var += (r[j] - mean) * (r[j] - mean) / x.length;
      double sd = var > 0 ? Math.sqrt(var) : 1;
      for (double[] r : x) r[j] = (r[j] - mean) / sd;
    }
  }

  /** Hubert and Arabie's adjusted Rand index: 1 for identical partitions, about 0 for chance. */
  static double adjustedRandIndex(int[] a, int[] b) {
    int ka = Arrays.stream(a).max().orElse(0) + 1;
    int kb = Arrays.stream(b).max().orElse(0) + 1;
    long[][] table = new long[ka][kb];
    for (int i = 0; i < a.length; i++) table[a[i]][b[i]]++;
    double index = 0;
    double[] rows = new double[ka];
    double[] cols = new double[kb];
    for (int i = 0; i < ka; i++) {
      for (int j = 0; j < kb; j++) {
        index += pairs(table[i][j]);
        rows[i] += table[i][j];
        cols[j] += table[i][j];
      }
    }
    double sumRows = Arrays.stream(rows).map(PersonaBehaviourTest::pairs).sum();
    double sumCols = Arrays.stream(cols).map(PersonaBehaviourTest::pairs).sum();
    double expected = sumRows * sumCols / pairs(a.length);
    double max = (sumRows + sumCols) / 2;
    return (index - expected) / (max - expected);
  }

  private static double pairs(double n) {
    return n * (n - 1) / 2;
  }

  @Test
  void adjustedRandIndexIsOneForRelabelledPartitionsAndLowForUnrelatedOnes() {
    assertThat(adjustedRandIndex(new int[] {0, 0, 1, 1, 2, 2}, new int[] {2, 2, 0, 0, 1, 1})).isEqualTo(1.0);
    assertThat(adjustedRandIndex(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1})).isLessThan(0.1);
  }

  private static List<Profile> of(Persona persona) {
    List<Profile> out = profiles.values().stream().filter(p -> p.persona == persona).toList();
    assertThat(out).as(persona.name()).hasSizeGreaterThan(50);
    return out;
  }

  private static double median(Persona persona, ToDoubleFunction<Profile> f) {
    double[] v = of(persona).stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
