package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.SegmentChange;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 22, item 6: {@code segmenter_event_to_emit_latency_seconds} as Prometheus scrapes it, on the
 * real topology and the registry the service uses. First a replay of a month of generated history
 * that ended a year ago (as a replay of the Online Retail II file would be; the demo's 90 days ending
 * now are the same in kind): before the mend each change recorded the history's age into a
 * Micrometer Timer whose Prometheus sum is a long of nanoseconds (at most 292 years in all), so a
 * few hundred such observations made {@code _sum} negative, every one of them in +Inf. Now those events
 * are stale: counted in {@code segmenter_event_to_emit_stale_total}, not in the histogram. Then live
 * events, emitted 1.5 s after they happened: in the histogram, with that latency.
 */
class NewcomerLatencyMetricTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  /** The wall clock of the test driver: "now", at which the history ends. */
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private static final Duration HISTORY = Duration.ofDays(30);
  /** How long ago the history ended: a replay of last year's orders, as of the Online Retail II file. */
  private static final Duration HISTORY_ENDED = Duration.ofDays(365);
  private static final Duration LIVE_AGE = Duration.ofMillis(1500);
  private static final int LIVE_CUSTOMERS = 25;
  private static final Pattern SAMPLE = Pattern.compile("^(segmenter_event_to_emit_\\w+?)(\\{le=\"([^\"]+)\"})? (\\S+)$",
      Pattern.MULTILINE);

  @Test
  void aReplayOfHistoryIsCountedAsStaleAndLiveEventsMeasureTheLatency() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SegmenterRuntime runtime = new SegmenterRuntime(prometheus);
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_WARMUP_POINTS, 100,
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, 200L,
        SegmenterConfig.MODEL_DELTA_POINTS, 50), NOW, runtime)) {
      // 1. The history, a year old: every EVENT change is far older than the live bound at emission.
      SyntheticGenerator history = SyntheticGenerator.create(GeneratorConfig.defaults()
          .withCustomers(300).withSpan(HISTORY).withSeed(22).withStart(NOW.minus(HISTORY_ENDED).minus(HISTORY)));
      List<SegmentChange> changes = new ArrayList<>();
      long events = 0;
      for (GeneratedEvent e : history) {
        h.pipe(e.event());
        if (++events % 5000 == 0) changes.addAll(h.drainChanges());
      }
      changes.addAll(h.drainChanges());
      List<Long> historyAges = eventAges(changes);
      BigInteger nanos = historyAges.stream().map(ms -> BigInteger.valueOf(ms).multiply(BigInteger.valueOf(1_000_000)))
          .reduce(BigInteger.ZERO, BigInteger::add);
      System.out.printf("NewcomerLatencyMetricTest: history of %d events, %d EVENT changes, their ages sum to %.3e s"
          + " (a long of nanoseconds holds %.3e s)%n", events, historyAges.size(), nanos.doubleValue() / 1e9, Long.MAX_VALUE / 1e9);
      assertThat(nanos).as("the replay is long enough to overflow a sum of nanoseconds in a long")
          .isGreaterThan(BigInteger.valueOf(Long.MAX_VALUE));

      Map<String, Double> afterHistory = scrape(prometheus);
      System.out.printf("NewcomerLatencyMetricTest: after the history %s%n", afterHistory);
      assertSane(afterHistory);
      assertThat(afterHistory.get("segmenter_event_to_emit_stale_total")).isEqualTo((double) historyAges.size());
      assertThat(afterHistory.get("segmenter_event_to_emit_latency_seconds_count")).isZero();

      // 2. Live traffic: new customers' first orders, emitted 1.5 s after they happened.
      Instant at = NOW.minus(LIVE_AGE);
      for (int i = 0; i < LIVE_CUSTOMERS; i++) {
        h.pipe(Events.order(String.format("live-%03d", i), "live-o-" + i, at, "25"));
      }
      List<Long> liveAges = eventAges(h.drainChanges());
      assertThat(liveAges).as("every live customer got a first segment at its event").hasSize(LIVE_CUSTOMERS)
          .containsOnly(LIVE_AGE.toMillis());

      Map<String, Double> afterLive = scrape(prometheus);
      System.out.printf("NewcomerLatencyMetricTest: after %d live events %s%n", LIVE_CUSTOMERS, afterLive);
      assertSane(afterLive);
      assertThat(afterLive.get("segmenter_event_to_emit_latency_seconds_count")).isEqualTo(LIVE_CUSTOMERS);
      assertThat(afterLive.get("segmenter_event_to_emit_latency_seconds_sum"))
          .isCloseTo(LIVE_CUSTOMERS * LIVE_AGE.toMillis() / 1000.0, within(1e-6));
      assertThat(afterLive.get("segmenter_event_to_emit_latency_seconds_bucket{le=1.0}")).isZero();
      assertThat(afterLive.get("segmenter_event_to_emit_latency_seconds_bucket{le=2.5}")).isEqualTo(LIVE_CUSTOMERS);
      assertThat(afterLive.get("segmenter_event_to_emit_stale_total")).as("unchanged by live events")
          .isEqualTo(afterHistory.get("segmenter_event_to_emit_stale_total"));
    }
  }

  /** Wall clock at emission minus occurredAt, in ms, of every EVENT change. */
  private static List<Long> eventAges(List<SegmentChange> changes) {
    return changes.stream().filter(c -> c.getReason() == ChangeReason.EVENT)
        .map(c -> c.getProcessingTime().toEpochMilli() - c.getEventTime().toEpochMilli()).toList();
  }

  /** A histogram ops can alert on: a non-negative sum, cumulative buckets, +Inf = _count. */
  private static void assertSane(Map<String, Double> m) {
    assertThat(m.get("segmenter_event_to_emit_latency_seconds_sum")).isNotNegative();
    double previous = 0;
    for (Map.Entry<String, Double> e : m.entrySet()) {
      if (!e.getKey().startsWith("segmenter_event_to_emit_latency_seconds_bucket")) continue;
      assertThat(e.getValue()).as(e.getKey()).isGreaterThanOrEqualTo(previous);
      previous = e.getValue();
    }
    assertThat(m.get("segmenter_event_to_emit_latency_seconds_bucket{le=+Inf}"))
        .isEqualTo(m.get("segmenter_event_to_emit_latency_seconds_count"));
  }

  /** The event-to-emit samples of a scrape, buckets in the order printed (ascending le). */
  private static Map<String, Double> scrape(PrometheusMeterRegistry prometheus) {
    Map<String, Double> m = new LinkedHashMap<>();
    Matcher s = SAMPLE.matcher(prometheus.scrape());
    while (s.find()) {
      m.put(s.group(1) + (s.group(3) == null ? "" : "{le=" + s.group(3) + "}"), Double.parseDouble(s.group(4)));
    }
    return m;
  }
}
