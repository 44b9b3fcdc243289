package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.events.SegmentChange;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Centre;
import io.segmenter.model.Features;
import io.segmenter.model.KMeansModel;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** segmenter's own meters, read from a SimpleMeterRegistry behind the real topology. */
class SegmenterMetricsTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Set<String> CUSTOMERS = Set.of("w-1", "w-2", "c-1", "c-2", "c-3");

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final SegmenterRuntime runtime = new SegmenterRuntime(meters);
  private TopologyHarness harness;

  /** The seed-model harness of SegmenterTopologyTest (the model never updates by itself), with our runtime. */
  private TopologyHarness harness() {
    harness = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE), NOW, runtime);
    return harness;
  }

  @AfterEach
  void close() {
    if (harness != null) harness.close();
  }

  @Test
  void eventsChangesPopulationsDistancesAndLatencyMatchWhatTheTopologyDid() {
    TopologyHarness h = harness();
    assertThat(gauge(SegmenterMetrics.MODEL_VERSION)).as("no model yet").isEqualTo(-1);

    // Before any model: two customers wait under the pseudo segment.
    h.pipe(Events.view("w-1", "w1-v", "w1-s", NOW.minus(Duration.ofDays(100))));
    h.pipe(Events.order("w-2", "w2-o", NOW.minus(Duration.ofDays(100)), "30"));
    assertThat(runtime.populations().unassigned()).isEqualTo(2);
    assertThat(gauge(SegmenterMetrics.UNASSIGNED)).isEqualTo(2);
    assertThat(runtime.populations().snapshot()).isEmpty();
    assertThat(meters.find(SegmenterMetrics.SEGMENT_POPULATION).gauges()).isEmpty();
    assertThat(summary(SegmenterMetrics.ASSIGNMENT_DISTANCE).count()).as("nothing assigned without a model").isZero();
    double processedBeforeModel = processed("click") + processed("order");
    double reevaluatedBeforeModel = counter(SegmenterMetrics.REEVALUATIONS);

    ModelVersion seed = SeedModels.championsAndAtRisk(NOW);
    h.publishModel(seed);
    assertThat(gauge(SegmenterMetrics.MODEL_VERSION)).isEqualTo(seed.getVersion());
    Map<String, String> gaugeTags = new TreeMap<>();
    for (Gauge g : meters.find(SegmenterMetrics.SEGMENT_POPULATION).gauges()) {
      gaugeTags.put(g.getId().getTag("segment_id"), g.getId().getTag("segment"));
    }
    Map<String, String> expectedTags = new TreeMap<>();
    seed.getCentres().forEach(c -> expectedTags.put(Integer.toString(c.getId()), c.getName()));
    assertThat(gaugeTags).as("one population gauge per centre, tagged with its name").isEqualTo(expectedTags);

    // A champion, a newcomer, a hibernating customer; browsing; retries; impossible events.
    List<OrderEvent> champion = SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120");
    champion.forEach(h::pipe);
    h.pipe(Events.order("c-2", "c2-o", NOW.minus(Duration.ofDays(2)), "40"));
    int clicks = 5;
    for (int i = 0; i < clicks; i++) {
      h.pipe(Events.view("c-2", "c2-v" + i, "c2-s", NOW.minus(Duration.ofDays(2)).plusSeconds(60 + i)));
    }
    List<OrderEvent> sleeper = SeedModels.orders("c-3", 2, 30, NOW.minus(Duration.ofDays(200)), "20");
    sleeper.forEach(h::pipe);
    // Retries of recent events (ids are remembered for the dedup TTL of event time).
    h.pipe(champion.get(19));
    h.pipe(Events.view("c-2", "c2-v4", "c2-s", NOW.minus(Duration.ofDays(2)).plusSeconds(64)));
    h.pipe(Events.order("c-2", "c2-bad1", NOW.minus(Duration.ofDays(2)), "-5"));
    h.pipe(Events.order("c-2", "c2-bad2", NOW.minus(Duration.ofDays(2)), "10", OrderStatus.PLACED, "USD"));
    h.pipe(Events.view("c-3", "", "c3-s", NOW.minus(Duration.ofDays(2))));
    assertThat(h.dlq.readRecordsToList()).hasSize(3);

    // The waiting customers get their segment at the next punctuation; then a long silence.
    h.driver.advanceWallClockTime(Duration.ofMinutes(2));
    assertThat(runtime.populations().unassigned()).isZero();
    h.driver.advanceWallClockTime(Duration.ofDays(100));

    // Events by type and outcome.
    int orders = champion.size() + 1 + sleeper.size() + 1;
    assertThat(processed("order")).isEqualTo(orders);
    assertThat(processed("click")).isEqualTo(clicks + 1);
    assertThat(eventsIn("order", "duplicate")).isEqualTo(1);
    assertThat(eventsIn("click", "duplicate")).isEqualTo(1);
    assertThat(eventsIn("order", "invalid")).isEqualTo(2);
    assertThat(eventsIn("click", "invalid")).isEqualTo(1);
    assertThat(invalid("NEGATIVE_AMOUNT")).isEqualTo(1);
    assertThat(invalid("FOREIGN_CURRENCY")).isEqualTo(1);
    assertThat(invalid("MISSING_EVENT_ID")).isEqualTo(1);

    // Changes: exactly the emitted ones, by previous and new segment name and reason.
    List<SegmentChange> emitted = h.drainChanges();
    Map<String, Long> expected = emitted.stream().collect(Collectors.groupingBy(c -> String.join(" | ",
        c.getPreviousSegment() == null ? SegmenterMetrics.NO_SEGMENT : c.getPreviousSegment().getName(),
        c.getNewSegment().getName(), c.getReason().name()), TreeMap::new, Collectors.counting()));
    Map<String, Long> counted = new TreeMap<>();
    for (Counter c : meters.find(SegmenterMetrics.SEGMENT_CHANGES).counters()) {
      counted.put(String.join(" | ", c.getId().getTag("from"), c.getId().getTag("to"), c.getId().getTag("reason")),
          (long) c.count());
    }
    assertThat(counted).isEqualTo(expected);
    Set<ChangeReason> reasons = emitted.stream().map(SegmentChange::getReason).collect(Collectors.toSet());
    assertThat(reasons).as("the scenario exercises every kind of change")
        .contains(ChangeReason.EVENT, ChangeReason.INACTIVITY, ChangeReason.MODEL);
    assertThat(counted).containsKey("Champions | At Risk | INACTIVITY");

    // Latency: one record per EVENT change, wall clock at emission minus occurredAt, in the histogram
    // when the event was live (at most the live bound old), else counted as stale.
    List<SegmentChange> byEvent = emitted.stream().filter(c -> c.getReason() == ChangeReason.EVENT).toList();
    List<Long> ages = byEvent.stream()
        .map(c -> c.getProcessingTime().toEpochMilli() - c.getEventTime().toEpochMilli()).toList();
    List<Long> live = ages.stream().filter(a -> a <= SegmenterMetrics.DEFAULT_LIVE_MAX_AGE_MS).toList();
    DistributionSummary latency = summary(SegmenterMetrics.EVENT_TO_EMIT);
    assertThat(latency.count()).isEqualTo(live.size());
    assertThat(latency.totalAmount()).isCloseTo(live.stream().mapToLong(Long::longValue).sum() / 1000.0, within(0.001));
    assertThat(counter(SegmenterMetrics.EVENT_TO_EMIT_STALE)).isEqualTo(ages.size() - live.size());

    // Re-evaluations happened, and every evaluation with a model recorded its distance.
    double reevaluated = counter(SegmenterMetrics.REEVALUATIONS);
    assertThat(reevaluated).isGreaterThanOrEqualTo(
        emitted.stream().filter(c -> c.getReason() != ChangeReason.EVENT).count());
    assertThat(reevaluated).isPositive();
    DistributionSummary distance = summary(SegmenterMetrics.ASSIGNMENT_DISTANCE);
    assertThat((double) distance.count()).isEqualTo(
        processed("click") + processed("order") - processedBeforeModel + reevaluated - reevaluatedBeforeModel);
    assertThat(distance.totalAmount()).isPositive();

    // Populations: as the membership index says, one per assigned customer, and as the gauges say.
    Map<Integer, Long> populations = runtime.populations().snapshot();
    assertThat(populations).isEqualTo(membersByStore(h));
    long assigned = 0;
    try (KeyValueIterator<String, byte[]> it = h.driver.<String, byte[]>getKeyValueStore(
        SegmenterTopology.PROFILES_STORE).all()) {
      while (it.hasNext()) {
        CustomerProfile p = ProfileCodec.decode(it.next().value);
        if (p.segmentId() >= 0) assigned++;
      }
    }
    assertThat(assigned).isEqualTo(CUSTOMERS.size());
    assertThat(populations.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(assigned);
    assertThat(populations.get(SeedModels.AT_RISK)).as("the quiet champion").isPositive();
    for (Gauge g : meters.find(SegmenterMetrics.SEGMENT_POPULATION).gauges()) {
      int id = Integer.parseInt(g.getId().getTag("segment_id"));
      assertThat(g.value()).as("gauge of segment %d", id).isEqualTo((double) populations.getOrDefault(id, 0L));
    }

    assertNoCustomerIdInAnyTag();
  }

  @Test
  void aNewModelVersionRecordsDriftOnceAndMovesThePopulationGauges() {
    TopologyHarness h = harness();
    ModelVersion seed = SeedModels.championsAndAtRisk(NOW);
    h.publishModel(seed);
    SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    assertThat(summary(SegmenterMetrics.CENTRE_DRIFT).count()).as("nothing to compare the first version with").isZero();
    assertThat(runtime.metrics().lastUpdateMaxDrift()).isNaN();

    // Version 2: centre 0 moves by 1.0, centre 1 stays, centre 2 moves by 0.5 and is renamed,
    // centre 3 is gone, centre 4 is new.
    ModelSnapshot v1 = ModelCodec.fromAvro(seed);
    List<Centre> centres = new ArrayList<>();
    centres.add(moved(v1.kmeans().centre(0), 0.6, 0.8));
    centres.add(moved(v1.kmeans().centre(1), 0, 0));
    centres.add(moved(v1.kmeans().centre(2), 0.3, 0.4));
    double[] far = new double[Features.DIMENSION];
    java.util.Arrays.fill(far, 5);
    centres.add(new Centre(4, far, 1, 2, 2, 3));
    String renamed = v1.name(2).equals("Lost") ? "Promising" : "Lost";
    Map<Integer, String> names = new HashMap<>(v1.names());
    names.remove(3);
    names.put(2, renamed);
    names.put(4, "Window Shoppers");
    ModelSnapshot v2 = new ModelSnapshot(new KMeansModel(2, Features.DIMENSION, centres, 5, 0.95), v1.scaler(), names,
        NOW.toEpochMilli());
    h.publishModel(ModelCodec.toAvro(v2));

    assertThat(gauge(SegmenterMetrics.MODEL_VERSION)).isEqualTo(2);
    DistributionSummary drift = summary(SegmenterMetrics.CENTRE_DRIFT);
    assertThat(drift.count()).as("one per surviving centre").isEqualTo(3);
    assertThat(drift.totalAmount()).isCloseTo(1.0 + 0.0 + 0.5, within(1e-9));
    assertThat(gauge(SegmenterMetrics.UPDATE_MAX_DRIFT)).isCloseTo(1.0, within(1e-9));
    assertThat(runtime.metrics().lastUpdateMaxDrift()).isCloseTo(1.0, within(1e-9));

    Map<String, String> tags = new TreeMap<>();
    for (Gauge g : meters.find(SegmenterMetrics.SEGMENT_POPULATION).gauges()) {
      tags.put(g.getId().getTag("segment_id"), g.getId().getTag("segment"));
    }
    assertThat(tags).isEqualTo(new TreeMap<>(Map.of("0", v1.name(0), "1", v1.name(1), "2", renamed,
        "4", "Window Shoppers")));
    Gauge champions = meters.get(SegmenterMetrics.SEGMENT_POPULATION).tag("segment_id", "0").gauge();
    assertThat(champions.value()).as("the champion is still counted").isEqualTo(1);

    // The same version again, or an older one: nothing is recorded twice, nothing moves back.
    h.publishModel(ModelCodec.toAvro(v2));
    h.publishModel(seed);
    assertThat(summary(SegmenterMetrics.CENTRE_DRIFT).count()).isEqualTo(3);
    assertThat(gauge(SegmenterMetrics.MODEL_VERSION)).isEqualTo(2);
    assertThat(meters.find(SegmenterMetrics.SEGMENT_POPULATION).gauges()).hasSize(4);

    // The page's model history: each version once, newest first, with the same drift as the meters.
    List<io.segmenter.model.ModelVersions.Entry> versions = runtime.modelVersions().newestFirst();
    assertThat(versions).extracting(io.segmenter.model.ModelVersions.Entry::version).containsExactly(2L, seed.getVersion());
    assertThat(versions.get(0).k()).isEqualTo(4);
    assertThat(versions.get(0).maxDrift()).isCloseTo(1.0, within(1e-9));
    assertThat(versions.get(0).meanDrift()).isCloseTo(0.5, within(1e-9));
    assertThat(versions.get(1).maxDrift()).as("the first version seen has nothing to drift from").isNaN();
  }

  @Test
  void theFlowsCountEveryChangeOfSegmentByTheMinuteOfItsEmission() {
    TopologyHarness h = harness();
    h.publishModel(SeedModels.championsAndAtRisk(NOW));
    SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    h.pipe(Events.order("c-2", "c2-o", NOW.minus(Duration.ofDays(2)), "40"));
    h.driver.advanceWallClockTime(Duration.ofMinutes(3));
    SeedModels.orders("c-3", 2, 30, NOW.minus(Duration.ofDays(200)), "20").forEach(h::pipe);
    h.driver.advanceWallClockTime(Duration.ofHours(2));
    List<SegmentChange> emitted = h.drainChanges().stream()
        .filter(c -> c.getPreviousSegment() == null || c.getPreviousSegment().getId() != c.getNewSegment().getId())
        .toList();
    assertThat(emitted).hasSizeGreaterThanOrEqualTo(3);
    long last = emitted.stream().mapToLong(c -> c.getProcessingTime().toEpochMilli()).max().orElseThrow();
    io.segmenter.flows.FlowWindow day = runtime.flows().lastDay(last);
    Map<String, Long> expected = emitted.stream().collect(Collectors.groupingBy(c ->
        (c.getPreviousSegment() == null ? -1 : c.getPreviousSegment().getId()) + "->" + c.getNewSegment().getId(),
        TreeMap::new, Collectors.counting()));
    Map<String, Long> counted = new TreeMap<>();
    day.flows().forEach(f -> counted.put(f.from() + "->" + f.to(), f.count()));
    assertThat(counted).isEqualTo(expected);
    // By minute of emission: the last hour holds exactly the changes emitted in it.
    long hourStart = Math.floorDiv(last, 60_000L) * 60_000L - 59 * 60_000L;
    assertThat(runtime.flows().lastHour(last).changes())
        .isEqualTo(emitted.stream().filter(c -> c.getProcessingTime().toEpochMilli() >= hourStart).count());
  }

  @Test
  void aClosedTaskIsNoLongerCountedByThisInstance() {
    TopologyHarness h = harness();
    h.publishModel(SeedModels.championsAndAtRisk(NOW));
    SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    h.pipe(Events.order("c-2", "c2-o", NOW.minus(Duration.ofDays(2)), "40"));
    assertThat(runtime.populations().tasks()).isEqualTo(1);
    assertThat(runtime.populations().snapshot().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);

    h.close();
    harness = null;
    assertThat(runtime.populations().tasks()).isZero();
    assertThat(runtime.populations().snapshot()).isEmpty();
    for (Gauge g : meters.find(SegmenterMetrics.SEGMENT_POPULATION).gauges()) assertThat(g.value()).isZero();
  }

  @Test
  void prometheusShowsEveryMeterUnderItsDocumentedName() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SegmenterRuntime promRuntime = new SegmenterRuntime(prometheus);
    harness = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE), NOW, promRuntime);
    ModelVersion seed = SeedModels.championsAndAtRisk(NOW);
    harness.publishModel(seed);
    SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(harness::pipe);
    harness.pipe(Events.view("c-1", "v-1", "s-1", NOW));
    harness.pipe(Events.order("c-2", "o-x", NOW, "-1"));
    ModelSnapshot v1 = ModelCodec.fromAvro(seed);
    harness.publishModel(ModelCodec.toAvro(new ModelSnapshot(new KMeansModel(2, Features.DIMENSION,
        v1.kmeans().centres(), v1.kmeans().nextCentreId(), 0.95), v1.scaler(), v1.names(), NOW.toEpochMilli())));
    harness.driver.advanceWallClockTime(Duration.ofDays(100));

    String scrape = prometheus.scrape();
    assertThat(scrape).contains(
        "segmenter_events_in_total{outcome=\"processed\",type=\"order\"} 20",
        "segmenter_events_in_total{outcome=\"processed\",type=\"click\"} 1",
        "segmenter_events_in_total{outcome=\"invalid\",type=\"order\"} 1",
        "segmenter_events_invalid_total{reason=\"NEGATIVE_AMOUNT\"} 1",
        "segmenter_segment_changes_total{from=\"none\",reason=\"EVENT\",to=\"",
        // Re-evaluated first under version 2: reason MODEL (the quiet champion of the other tests).
        "segmenter_segment_changes_total{from=\"Champions\",reason=\"MODEL\",to=\"At Risk\"} 1",
        "segmenter_segment_population{segment=\"At Risk\",segment_id=\"1\"} 1",
        "segmenter_segment_population{segment=\"Champions\",segment_id=\"0\"} 0",
        "segmenter_customers_unassigned 0",
        "segmenter_model_version 2",
        "segmenter_model_centre_drift_count 4",
        "segmenter_model_update_max_drift 0",
        "segmenter_assignment_distance_count ",
        "segmenter_assignment_distance_sum ",
        "segmenter_event_to_emit_latency_seconds_bucket{le=\"0.01\"} ",
        "segmenter_event_to_emit_latency_seconds_bucket{le=\"300.0\"} ",
        "segmenter_event_to_emit_stale_total ",
        "segmenter_event_to_emit_latency_seconds_count ",
        "segmenter_inactivity_reevaluations_total ");
    assertThat(scrape).doesNotContain("c-1", "c-2");
  }

  private static Centre moved(Centre c, double d0, double d1) {
    double[] p = c.position();
    p[0] += d0;
    p[1] += d1;
    return new Centre(c.id(), p, c.weight(), c.createdInVersion(), 2, c.replacesId());
  }

  private static Map<Integer, Long> membersByStore(TopologyHarness h) {
    KeyValueStore<Bytes, byte[]> members = h.driver.getKeyValueStore(SegmenterTopology.MEMBERS_STORE);
    Map<Integer, Long> out = new TreeMap<>();
    try (KeyValueIterator<Bytes, byte[]> it = members.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        int id = java.nio.ByteBuffer.wrap(kv.key.get(), 0, 4).getInt();
        if (id != io.segmenter.evaluation.MemberLists.UNASSIGNED) out.merge(id, 1L, Long::sum);
      }
    }
    return out;
  }

  private void assertNoCustomerIdInAnyTag() {
    List<String> offending = new ArrayList<>();
    for (Meter m : meters.getMeters()) {
      for (Tag t : m.getId().getTags()) {
        if (CUSTOMERS.contains(t.getValue()) || t.getValue().startsWith("c-") || t.getValue().startsWith("w-")) {
          offending.add(m.getId().toString());
        }
      }
    }
    assertThat(offending).isEmpty();
    assertThat(meters.getMeters()).as("the meters are there to be checked").hasSizeGreaterThan(10);
  }

  private double gauge(String name) {
    return meters.get(name).gauge().value();
  }

  private double counter(String name) {
    return meters.get(name).counter().count();
  }

  private DistributionSummary summary(String name) {
    return meters.get(name).summary();
  }

  private double processed(String type) {
    return eventsIn(type, "processed");
  }

  private double eventsIn(String type, String outcome) {
    return meters.get(SegmenterMetrics.EVENTS_IN).tags("type", type, "outcome", outcome).counter().count();
  }

  private double invalid(String reason) {
    return meters.get(SegmenterMetrics.EVENTS_INVALID).tag("reason", reason).counter().count();
  }
}
