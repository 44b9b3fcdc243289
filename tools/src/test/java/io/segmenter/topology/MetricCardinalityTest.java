package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.SegmentName;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The number of time series segmenter exports does not grow with the number of customers: every
 * label takes its values from a set fixed by the code or the model (event type, outcome, rejection
 * reason, change reason, segment id and name), never a customer id. Shown on the real topology and
 * the Prometheus registry the service uses: one population of generated customers, then a second,
 * equally large one with new ids, with invalid events and retries among them.
 */
class MetricCardinalityTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final int CUSTOMERS = 300;
  private static final int K = 6;
  private static final Duration SPAN = Duration.ofDays(2);
  private static final Instant START = GeneratorConfig.defaults().start();
  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? \\S+.*$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern CUSTOMER_ID = Pattern.compile("cust-[0-9]+");
  /** EventValidator's and SegmentingProcessor's reasons, and SegmenterMetrics' fallback for none. */
  private static final Set<String> INVALID_REASONS = Set.of("MISSING_EVENT_ID", "NEGATIVE_PRICE", "MISSING_ORDER_ID",
      "NEGATIVE_AMOUNT", "FOREIGN_CURRENCY", "MISSING_CUSTOMER_ID", "KEY_MISMATCH", "FUTURE_TIMESTAMP", "UNEXPECTED_TYPE",
      "UNKNOWN", "ABSURD_AMOUNT", "TIMESTAMP_TOO_OLD", "UNKNOWN_ENUM_SYMBOL", "NEGATIVE_ITEM_COUNT", "INVALID_CUSTOMER_ID",
      "INVALID_CAMPAIGN_ID", "BAD_MAGIC_BYTE", "TRUNCATED", "UNKNOWN_SCHEMA_ID", "CORRUPT_PAYLOAD", "INCOMPATIBLE_SCHEMA",
      "UNDESERIALIZABLE");
  /** The 14 service-level objectives of the event-to-emit histogram, and +Inf. */
  private static final int LATENCY_BUCKETS = 15;

  @Test
  void theNumberOfTimeSeriesIsBoundedByTheLabelSetsNotByTheCustomers() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Set<String> customerIds = new HashSet<>();
    List<ModelVersion> models = new ArrayList<>();
    long events = 0;
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_K, K,
        SegmenterConfig.MODEL_WARMUP_POINTS, 200,
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, 400L,
        SegmenterConfig.MODEL_DELTA_POINTS, 100,
        // Event time only, the mock wall clock at the start of the history: see ClusteringQualityTest.
        SegmenterConfig.CLOCK, SegmenterConfig.CLOCK_EVENT,
        SegmenterConfig.MAX_FUTURE_MS, Long.MAX_VALUE / 4, SegmenterConfig.CLOCK_MAX_AHEAD_MS, Long.MAX_VALUE / 4), START, new SegmenterRuntime(prometheus))) {
      events += feed(h, 0, customerIds, models);
      long firstEvents = events;
      Series first = Series.of(prometheus.scrape());
      int firstCustomers = customerIds.size();

      events += feed(h, CUSTOMERS, customerIds, models);
      // Time passes: re-evaluations (INACTIVITY changes) and what the model does with them.
      h.driver.advanceWallClockTime(Duration.ofDays(30));
      models.addAll(h.models.readValuesToList());
      String scrape = prometheus.scrape();
      Series end = Series.of(scrape);

      assertThat(customerIds).hasSize(2 * CUSTOMERS);
      assertThat(models).as("the model learnt (segment labels are exercised)").isNotEmpty();
      assertThat(end.count("segmenter_segment_changes_total")).as("segment changes counted").isPositive();
      assertThat(end.count("segmenter_events_invalid_total")).as("invalid events counted").isPositive();

      // 1. Every label value comes from a set fixed by the code or the model.
      Set<String> names = models.stream().flatMap(m -> m.getCentres().stream()).map(c -> c.getName())
          .collect(Collectors.toCollection(TreeSet::new));
      Set<String> ids = models.stream().flatMap(m -> m.getCentres().stream()).map(c -> Integer.toString(c.getId()))
          .collect(Collectors.toCollection(TreeSet::new));
      Set<String> vocabulary = namerVocabulary();
      assertThat(names).allSatisfy(n -> assertThat(isVocabularyName(n, vocabulary)).as(n).isTrue());
      Set<String> fromNames = new HashSet<>(names);
      fromNames.add(SegmenterMetrics.NO_SEGMENT);
      Set<String> changeReasons = Arrays.stream(ChangeReason.values()).map(Enum::name).collect(Collectors.toSet());
      Map<String, Map<String, Set<String>>> domains = new LinkedHashMap<>();
      domains.put("segmenter_erasures_total", Map.of("outcome", Set.of("erased", "unknown")));
      domains.put("segmenter_events_in_total", Map.of("type", Set.of("click", "order", "erasure", "outcome", "other"),
          "outcome", Set.of("processed", "duplicate", "invalid")));
      domains.put("segmenter_events_invalid_total", Map.of("reason", INVALID_REASONS));
      domains.put("segmenter_segment_changes_total", Map.of("from", fromNames, "to", names, "reason", changeReasons));
      domains.put("segmenter_segment_population", Map.of("segment_id", ids, "segment", names));
      Set<String> predictive = Arrays.stream(io.segmenter.clv.PredictiveSegment.values()).map(Enum::name)
          .collect(Collectors.toSet());
      Set<String> fromPredictive = new HashSet<>(predictive);
      fromPredictive.add(SegmenterMetrics.NO_SEGMENT);
      domains.put("segmenter_predictive_segment_population", Map.of("predictive_segment", predictive));
      Set<String> rejectReasons = Arrays.stream(RejectedRecord.Reason.values()).map(Enum::name).collect(Collectors.toSet());
      domains.put("segmenter_internal_records_rejected_total", Map.of(
          "topic", Set.of("model", "model-deltas", "aggregator-state"), "reason", rejectReasons));
      domains.put("segmenter_predictive_segment_changes_total", Map.of("from", fromPredictive, "to", predictive));
      Set<String> pAliveBuckets = Set.of("0.1", "0.3", "0.5", "0.7", "0.9", "+Inf");
      for (String score : List.of("segmenter_prediction_p_alive", "segmenter_prediction_clv",
          "segmenter_prediction_expected_purchases_90d")) {
        for (String suffix : List.of("_count", "_sum", "_max")) domains.put(score + suffix, Map.of("segment", names));
      }
      domains.put("segmenter_prediction_p_alive_bucket", Map.of("segment", names, "le", pAliveBuckets));
      for (Series.Sample s : end.samples) {
        Map<String, Set<String>> domain = domains.get(s.name());
        if (s.name().equals("segmenter_event_to_emit_latency_seconds_bucket")
            || s.name().equals("segmenter_model_delta_wait_seconds_bucket")) {
          assertThat(s.labels().keySet()).as(s.line()).containsExactly("le");
        } else if (domain == null) {
          assertThat(s.labels()).as("a segmenter meter without labels: %s", s.line()).isEmpty();
        } else {
          assertThat(s.labels().keySet()).as(s.line()).isEqualTo(domain.keySet());
          s.labels().forEach((label, value) -> assertThat(domain.get(label)).as("%s: label %s", s.line(), label)
              .contains(value));
        }
      }
      assertThat(end.distinctLabelValues("segmenter_event_to_emit_latency_seconds_bucket", "le"))
          .hasSizeLessThanOrEqualTo(LATENCY_BUCKETS);
      assertThat(end.distinctLabelValues("segmenter_model_delta_wait_seconds_bucket", "le"))
          .hasSizeLessThanOrEqualTo(LATENCY_BUCKETS);

      // 2. Hence a bound that does not depend on the number of customers.
      int unlabelled = end.unlabelled();
      long bound = 4 * 3 + INVALID_REASONS.size() + (long) fromNames.size() * names.size() * changeReasons.size()
          + (long) ids.size() * names.size() + LATENCY_BUCKETS + unlabelled
          + predictive.size() + (long) fromPredictive.size() * predictive.size()
          + (long) names.size() * (3 * 3 + pAliveBuckets.size());
      assertThat(unlabelled).as("meters without labels are fixed by the code").isEqualTo(first.unlabelled());
      assertThat((long) end.samples.size()).isLessThanOrEqualTo(bound);

      // 3. Twice the customers, (almost) the same series: a per-customer label would add 300 or more.
      int added = end.samples.size() - first.samples.size();
      assertThat(added).as("series added by %d more customers", CUSTOMERS).isLessThan(CUSTOMERS / 4);

      // 4. No customer id anywhere in what Prometheus scrapes.
      assertThat(CUSTOMER_ID.matcher(scrape).find()).as("a customer id in the scrape").isFalse();
      for (Series.Sample s : end.samples) {
        assertThat(s.labels().values()).as(s.line()).doesNotContainAnyElementsOf(customerIds);
      }

      System.out.printf("MetricCardinalityTest: %,d customers, %,d events -> %d segmenter series; %,d customers, %,d "
              + "events -> %d series (+%d); bound from the label sets %,d; %d model versions, %d segment names, "
              + "%d centre ids; per metric: %s%n", firstCustomers, firstEvents, first.samples.size(), customerIds.size(),
          events, end.samples.size(), added, bound, models.size(), names.size(), ids.size(), end.perMetric());
    }
  }

  /**
   * Pipes one population of generated customers (ids shifted by {@code offset}, so that the second
   * population is new people), plus invalid events for every 100th customer, several reasons each.
   */
  private static long feed(TopologyHarness h, int offset, Set<String> customerIds, List<ModelVersion> models) {
    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(CUSTOMERS).withSpan(SPAN).withSeed(11 + offset).withStart(START).withDuplicateRate(0.02));
    long events = 0;
    Set<String> spoilt = new HashSet<>();
    for (GeneratedEvent e : generator) {
      String id = shifted(e.customerId(), offset);
      customerIds.add(id);
      SpecificRecord event = withCustomer(e.event(), id);
      h.pipe(event);
      events++;
      if (Integer.parseInt(id.substring("cust-".length())) % 100 == 0 && spoilt.add(id)) events += invalid(h, id, e);
      if (events % 5000 == 0) drain(h, models);
    }
    drain(h, models);
    return events;
  }

  private static int invalid(TopologyHarness h, String id, GeneratedEvent e) {
    Instant at = Instant.ofEpochMilli(e.occurredAtMs());
    h.pipe(Events.order(id, id + "-neg", at, "-5"));
    h.pipe(Events.order(id, id + "-usd", at, "10", io.segmenter.events.OrderStatus.PLACED, "USD"));
    h.pipe(Events.view(id, "", id + "-s", at));
    ClickEvent foreign = Events.view(id, id + "-k", id + "-s", at);
    h.clicks.pipeInput(new TestRecord<>(id + "-other-key", foreign, at));
    return 4;
  }

  private static String shifted(String customerId, int offset) {
    int n = Integer.parseInt(customerId.substring("cust-".length())) + offset;
    return String.format("cust-%06d", n);
  }

  private static SpecificRecord withCustomer(SpecificRecord event, String id) {
    // Ids of events and orders are made unique too: the de-duplication ids are kept per customer, so equal ids would be dropped.
    if (event instanceof ClickEvent c) {
      return ClickEvent.newBuilder(c).setCustomerId(id).setEventId(id + "/" + c.getEventId()).build();
    }
    OrderEvent o = (OrderEvent) event;
    return OrderEvent.newBuilder(o).setCustomerId(id).setOrderId(id + "/" + o.getOrderId()).build();
  }

  /** The driver keeps every output until read: keep the model versions, drop the rest. */
  private static void drain(TopologyHarness h, List<ModelVersion> models) {
    h.changes.readRecordsToList();
    h.segments.readRecordsToList();
    h.deltasOut.readRecordsToList();
    h.dlq.readRecordsToList();
    models.addAll(h.models.readValuesToList());
  }

  /** SegmentNamer's base names (its public String constants). */
  /** Every name of the taxonomy (docs/SEGMENT-NAMES.md), plus what a centre unknown to a version is called. */
  private static Set<String> namerVocabulary() {
    Set<String> names = new TreeSet<>();
    for (SegmentName n : SegmentName.values()) names.add(n.label());
    return names;
  }

  private static boolean isVocabularyName(String name, Set<String> vocabulary) {
    return vocabulary.contains(name);
  }

  /** The segmenter_* time series of one Prometheus scrape (one per sample line). */
  private record Series(List<Sample> samples) {
    record Sample(String line, String name, Map<String, String> labels) { }

    static Series of(String scrape) {
      List<Sample> samples = new ArrayList<>();
      for (String line : scrape.split("\n")) {
        if (!line.startsWith("segmenter_")) continue;
        Matcher m = LINE.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        Map<String, String> labels = new TreeMap<>();
        if (m.group(3) != null) {
          Matcher l = LABEL.matcher(m.group(3));
          while (l.find()) labels.put(l.group(1), l.group(2));
        }
        samples.add(new Sample(line, m.group(1), labels));
      }
      return new Series(samples);
    }

    long count(String name) {
      return samples.stream().filter(s -> s.name().equals(name)).count();
    }

    int unlabelled() {
      return (int) samples.stream().filter(s -> s.labels().isEmpty()).count();
    }

    Set<String> distinctLabelValues(String name, String label) {
      return samples.stream().filter(s -> s.name().equals(name)).map(s -> s.labels().get(label))
          .collect(Collectors.toSet());
    }

    Map<String, Long> perMetric() {
      return samples.stream().filter(s -> !s.labels().isEmpty())
          .collect(Collectors.groupingBy(Sample::name, TreeMap::new, Collectors.counting()));
    }
  }
}
