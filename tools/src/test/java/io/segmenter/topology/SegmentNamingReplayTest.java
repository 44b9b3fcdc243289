package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.events.SegmentStatus;
import io.segmenter.explain.Rule;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Centre;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentEvent;
import io.segmenter.model.SegmentName;
import io.segmenter.model.SegmentNames;
import io.segmenter.model.SegmentName.Family;
import io.segmenter.model.SegmentName.Recency;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileConfig;
import io.segmenter.testing.ClusteringMetrics;
import io.segmenter.testing.EmbeddedRegistryFixture;
import io.segmenter.testing.Rees46Clicks;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The promises of docs/SEGMENT-NAMES.md over whole replays through the real topology, on the
 * generator's personas and on two real data sets: distinct names in every version after the third,
 * names that never contradict the numbers in any version, rules of the final model with a fidelity
 * of at least 0.9, few renames once the model has settled, and the catalog carrying it all. The
 * clock is event time; the driver runs every sub-topology in one task.
 */
class SegmentNamingReplayTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final Map<String, Object> EVENT_CLOCK = Map.of(
      SegmenterConfig.CLOCK, SegmenterConfig.CLOCK_EVENT,
      SegmenterConfig.INACTIVITY_MAX_PER_TICK, 100_000,
      // Mock wall clock before the data: see OnlineRetailReplay.
      SegmenterConfig.MAX_FUTURE_MS, Long.MAX_VALUE / 4, SegmenterConfig.CLOCK_MAX_AHEAD_MS, Long.MAX_VALUE / 4);

  /** What a replay left behind. */
  record Run(List<ModelSnapshot> versions, Map<String, CustomerSegment> table, List<SegmentCatalogEntry> catalog,
      Map<String, CustomerProfile> profiles, long end) {
    ModelSnapshot last() {
      return versions.get(versions.size() - 1);
    }
  }

  @Test
  void generatorPersonas() {
    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(600).withSpan(Duration.ofDays(120)).withSeed(7));
    List<SpecificRecord> events = new ArrayList<>();
    for (GeneratedEvent e : generator) events.add(e.event());
    Run run = replay("generator personas", events, GeneratorConfig.defaults().start(), Map.of());
    checkEveryVersion(run);
    checkFinal("generator personas", run);
  }

  @Test
  void onlineRetailII() {
    // The replay with EVENT_CLOCK's settings and the file's currency, made once per test JVM and
    // shared with OnlineRetailReplayTest: see OnlineRetailReplay.
    OnlineRetailReplay.Result replay = OnlineRetailReplay.get(REGISTRY);
    List<ModelSnapshot> versions = replay.versions().stream().map(ModelCodec::fromAvro).toList();
    assertThat(versions).as("model versions of Online Retail II").hasSizeGreaterThan(3);
    Run run = new Run(versions, replay.table(), replay.catalog(), replay.profiles(), replay.end());
    System.out.printf("%nOnline Retail II: %,d events, %,d customers, %d model versions, %d catalog entries%n",
        replay.data().orders().size(), run.table().size(), versions.size(), run.catalog().size());
    checkEveryVersion(run);
    checkFinal("Online Retail II", run);
    checkRenamesCrossBoundaries(run);
    checkAgainstBatchKMeans(run);
    // Nothing in the file is a visit: no segment may claim browsing behaviour.
    for (String name : run.last().names().values()) {
      SegmentName n = SegmentName.ofLabel(name).orElseThrow();
      assertThat(n == SegmentName.NON_BUYERS || n.family() == Family.BUYER).as(name).isTrue();
    }
  }

  @Test
  void rees46MostlyClicks() {
    Instant shift = Instant.parse("2019-10-01T00:00:00Z");
    List<ClickEvent> clicks = Rees46Clicks.read(Rees46Clicks.defaultLocation(), Rees46Clicks.Options.defaults());
    List<SpecificRecord> events = new ArrayList<>();
    int n = 0;
    for (ClickEvent c : clicks) {
      events.add(c);
      if (c.getType() == io.segmenter.events.ClickType.CHECKOUT_START && c.getPrice() != null) {
        // The file's purchase rows are orders: one each, at the product's price.
        events.add(OrderEvent.newBuilder().setOrderId("rees46-order-" + (++n)).setCustomerId(c.getCustomerId())
            .setStatus(OrderStatus.PLACED).setAmount(c.getPrice().max(BigDecimal.ONE)).setCurrency("EUR").setItemCount(1)
            .setCategories(c.getCategory() == null ? List.of() : List.of(c.getCategory()))
            .setOccurredAt(c.getOccurredAt().plusMillis(1)).build());
      }
    }
    Run run = replay("REES46 (clicks, a few orders)", events, shift,
        // The file spans the first hours of one day: a training point per customer per 10 minutes
        // (not per day), and smaller batches, so that the model sees browsing unfold.
        Map.of(SegmenterConfig.CURRENCY, "EUR", SegmenterConfig.MODEL_WARMUP_POINTS, 500,
            SegmenterConfig.MODEL_MIN_BATCH_POINTS, 500L, SegmenterConfig.MODEL_SAMPLE_INTERVAL_MS, 600_000L));
    checkEveryVersion(run);
    ModelSnapshot last = run.last();
    long buyers = run.profiles().values().stream().filter(p -> p.orders() > 0).count();
    System.out.printf("REES46: %d customers, %d with an order%n", run.profiles().size(), buyers);
    assertThat(buyers).as("most customers only click").isLessThan(run.profiles().size() / 10);
    Map<String, Integer> populations = populations(run);
    for (var e : last.names().entrySet()) {
      SegmentName name = SegmentName.ofLabel(e.getValue()).orElseThrow();
      double orders = last.centreInOriginalUnits(e.getKey())[Features.ORDERS];
      assertThat(name.family() == Family.VISITOR).as("%s (centre orders %.2f)", name, orders).isEqualTo(orders < 0.5);
    }
    long nonBuyersInVisitorSegments = run.table().values().stream()
        .filter(s -> run.profiles().get(s.getCustomerId()).orders() == 0)
        .filter(s -> SegmentName.ofLabel(s.getSegment().getName()).map(x -> x.family() == Family.VISITOR).orElse(false))
        .count();
    System.out.printf("non-buyers in a visitor segment: %d of %d%n", nonBuyersInVisitorSegments,
        run.profiles().size() - buyers);
    assertThat(nonBuyersInVisitorSegments).isGreaterThan((long) (0.9 * (run.profiles().size() - buyers)));
    checkFinal("REES46", run);
    assertThat(populations).isNotEmpty();
  }

  private static Run replay(String what, List<SpecificRecord> events, Instant wallStart, Map<String, Object> extra) {
    Map<String, Object> settings = new HashMap<>(EVENT_CLOCK);
    settings.putAll(extra);
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), settings, wallStart)) {
      List<ModelSnapshot> versions = new ArrayList<>();
      Map<String, CustomerSegment> table = new HashMap<>();
      List<SegmentCatalogEntry> catalog = new ArrayList<>();
      long end = Long.MIN_VALUE;
      int n = 0;
      for (SpecificRecord e : events) {
        h.pipe(e);
        end = Math.max(end, occurredAt(e));
        if (++n % 1000 == 0) drain(h, versions, table, catalog);
      }
      // The last re-evaluations: one punctuation sees every due customer.
      h.driver.advanceWallClockTime(Duration.ofMinutes(2));
      drain(h, versions, table, catalog);
      assertThat(versions).as("model versions of %s", what).hasSizeGreaterThan(3);
      Map<String, CustomerProfile> profiles = new HashMap<>();
      for (String id : table.keySet()) profiles.put(id, h.profile(id));
      System.out.printf("%n%s: %,d events, %,d customers, %d model versions, %d catalog entries%n", what, events.size(),
          table.size(), versions.size(), catalog.size());
      return new Run(versions, table, catalog, profiles, end);
    }
  }

  private static long occurredAt(SpecificRecord e) {
    return e instanceof OrderEvent o ? o.getOccurredAt().toEpochMilli() : ((ClickEvent) e).getOccurredAt().toEpochMilli();
  }

  private static void drain(TopologyHarness h, List<ModelSnapshot> versions, Map<String, CustomerSegment> table,
      List<SegmentCatalogEntry> catalog) {
    for (ModelVersion v : h.models.readValuesToList()) versions.add(ModelCodec.fromAvro(v));
    table.putAll(h.segments.readKeyValuesToMap());
    catalog.addAll(h.catalog.readValuesToList());
    h.changes.readRecordsToList();
    h.deltasOut.readRecordsToList();
  }

  /** Distinct names after the third version; the value and recency rules in every version. */
  private static void checkEveryVersion(Run run) {
    for (ModelSnapshot v : run.versions()) {
      if (v.version() > 3) {
        assertThat(new HashSet<>(v.names().values())).as("distinct names in v%d: %s", v.version(), v.names())
            .hasSize(v.names().size());
      }
      for (Centre a : v.kmeans().centres()) {
        SegmentName na = v.segmentName(a.id()).orElseThrow(() -> new AssertionError("outside the taxonomy: " + v.names()));
        double[] ca = v.centreInOriginalUnits(a.id());
        for (Centre b : v.kmeans().centres()) {
          SegmentName nb = v.segmentName(b.id()).orElseThrow();
          double[] cb = v.centreInOriginalUnits(b.id());
          if (na.valueTier() > nb.valueTier()) {
            assertThat(ca[Features.NET_SPEND] < cb[Features.NET_SPEND] && ca[Features.ORDERS] < cb[Features.ORDERS])
                .as("v%d: %s spends less and orders less than %s", v.version(), na, nb).isFalse();
          }
          if (na.family() == nb.family() && na.recency() == Recency.ACTIVE && nb.recency() == Recency.LAPSED) {
            int f = na.family() == Family.BUYER ? Features.RECENCY_DAYS : Features.DAYS_SINCE_VISIT;
            assertThat(ca[f]).as("v%d: %s is less recent than %s", v.version(), na, nb).isLessThan(cb[f]);
          }
        }
      }
    }
  }

  /** Prints the final segments with their rules; the tree's fidelity is at least 0.9; the catalog agrees. */
  private static void checkFinal(String what, Run run) {
    ModelSnapshot last = run.last();
    Map<String, Integer> populations = populations(run);
    var explanation = last.notes().explanation();
    assertThat(explanation).as("explanation of the final model").isNotNull();
    System.out.printf("%s, final model v%d, k=%d%s, explanation fidelity %.3f on %d panel customers%n", what,
        last.version(), last.kmeans().centres().size(),
        last.notes().clusterCount() == null ? "" : String.format(" (chose k=%d, silhouette %.3f)",
            last.notes().clusterCount().k(), last.notes().clusterCount().silhouette()),
        explanation.fidelity(), explanation.sampleSize());
    for (Centre c : last.kmeans().centres()) {
      double[] o = last.centreInOriginalUnits(c.id());
      System.out.printf("  %2d %-20s %6d customers  recency %6.1f d  orders %5.2f  spend %9.2f  views %6.1f%n", c.id(),
          last.name(c.id()), populations.getOrDefault(last.name(c.id()), 0), o[Features.RECENCY_DAYS], o[Features.ORDERS],
          o[Features.NET_SPEND], o[Features.VIEWS]);
      for (Rule r : explanation.rulesFor(c.id())) {
        System.out.printf("       if %s  (%d customers, %.0f %% of them here)%n", r.text(), r.support(), 100 * r.precision());
      }
    }
    assertThat(explanation.fidelity()).as("decision-tree fidelity").isGreaterThanOrEqualTo(0.9);
    // The catalog's latest entry per segment agrees with the final model.
    Map<Integer, SegmentCatalogEntry> latest = new TreeMap<>();
    for (SegmentCatalogEntry e : run.catalog()) latest.put(e.getSegmentId(), e);
    for (Centre c : last.kmeans().centres()) {
      SegmentCatalogEntry e = latest.get(c.id());
      assertThat(e).as("catalog entry of segment %d", c.id()).isNotNull();
      assertThat(e.getStatus()).isEqualTo(SegmentStatus.ACTIVE);
      assertThat(e.getName()).isEqualTo(last.name(c.id()));
    }
    // Every rename and merge of every version is on the catalog.
    long renames = 0;
    long merges = 0;
    for (ModelSnapshot v : run.versions()) {
      for (SegmentEvent ev : v.notes().events()) {
        if (ev.kind() == SegmentEvent.Kind.RENAMED) {
          renames++;
          assertThat(run.catalog()).anyMatch(e -> e.getSegmentId() == ev.centreId() && e.getModelVersion() == v.version()
              && ev.fromName().equals(e.getRenamedFrom()) && ev.toName().equals(e.getName()));
        }
        if (ev.kind() == SegmentEvent.Kind.MERGED) {
          merges++;
          assertThat(run.catalog()).anyMatch(e -> e.getSegmentId() == ev.centreId() && e.getModelVersion() == v.version()
              && e.getStatus() == SegmentStatus.MERGED && ev.intoCentre().equals(e.getMergedInto()));
        }
      }
    }
    System.out.printf("renames %d and merges %d over %d versions, each on the catalog%n", renames, merges,
        run.versions().size());
  }

  /** Customers per segment name in the final table. */
  private static Map<String, Integer> populations(Run run) {
    Map<String, Integer> out = new TreeMap<>();
    for (CustomerSegment s : run.table().values()) out.merge(run.last().name(s.getSegment().getId()), 1, Integer::sum);
    return out;
  }

  /**
   * Renames per segment id over the last half of the versions; and a segment keeps its name while its
   * centre stays inside the name's region: every rename there comes with the centre outside it.
   */
  private static void checkRenamesCrossBoundaries(Run run) {
    List<ModelSnapshot> v = run.versions();
    Map<Integer, Integer> renames = new TreeMap<>();
    List<String> stillInside = new ArrayList<>();
    for (ModelSnapshot s : v.subList(v.size() / 2, v.size())) {
      for (SegmentEvent e : s.notes().events()) {
        if (e.kind() != SegmentEvent.Kind.RENAMED) continue;
        renames.merge(e.centreId(), 1, Integer::sum);
        SegmentName old = SegmentName.ofLabel(e.fromName()).orElseThrow();
        if (SegmentNames.distanceToRegion(s, e.centreId(), old) == 0) {
          stillInside.add("v" + s.version() + " " + e.centreId() + " " + e.fromName() + " -> " + e.toName());
        }
      }
    }
    System.out.printf("renames per segment id over the last %d versions: %s; with the centre still inside its old region: %s%n",
        v.size() - v.size() / 2, renames, stillInside);
    assertThat(stillInside).as("renames of a centre that had not crossed its name's boundary").isEmpty();
  }

  /**
   * The final model against batch k-means++ (best of 10, Commons Math) on the customers' final
   * feature vectors, standardised as the model does: the inertia ratio and the adjusted Rand index.
   */
  private static void checkAgainstBatchKMeans(Run run) {
    ModelSnapshot last = run.last();
    List<double[]> points = new ArrayList<>();
    for (CustomerProfile p : run.profiles().values()) points.add(last.standardise(Features.of(p, run.end(), ProfileConfig.defaults())));
    List<double[]> centres = new ArrayList<>();
    for (Centre c : last.kmeans().centres()) centres.add(c.position());
    double online = ClusteringMetrics.inertia(points, centres);
    ClusteringMetrics.BatchResult batch = ClusteringMetrics.batchKMeansBestOf(points, centres.size(), 10, 1);
    int[] a = new int[points.size()];
    int[] b = new int[points.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = nearest(points.get(i), centres);
      b[i] = nearest(points.get(i), batch.centres());
    }
    double ratio = online / batch.inertia();
    System.out.printf("final vectors of %d customers: inertia %.1f vs batch k-means++ best of 10 %.1f: ratio %.3f "
        + "(must be <= 1.05); adjusted Rand index against it %.3f%n", points.size(), online, batch.inertia(), ratio,
        ClusteringMetrics.adjustedRandIndex(a, b));
    assertThat(ratio).isLessThanOrEqualTo(1.05);
  }

  private static int nearest(double[] p, List<double[]> centres) {
    int best = 0;
    for (int c = 1; c < centres.size(); c++) {
      if (ClusteringMetrics.squaredDistance(p, centres.get(c)) < ClusteringMetrics.squaredDistance(p, centres.get(best))) best = c;
    }
    return best;
  }
}
