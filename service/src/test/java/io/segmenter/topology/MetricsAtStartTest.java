package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segmenter.model.ModelSnapshot;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Series that dashboards and alerts read exist from the start, before anything happened: a counter
 * born at its first increment makes {@code rate()} blind to that increment and leaves panels empty.
 */
class MetricsAtStartTest {
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SegmenterRuntime runtime = new SegmenterRuntime(meters);

  @Test
  void everyKnownDeadLetterReasonIsCountedAtZeroBeforeTheFirstBadRecord() {
    String scrape = meters.scrape();
    for (InvalidEventException.Reason r : InvalidEventException.Reason.values()) {
      assertThat(scrape).contains("segmenter_events_invalid_total{reason=\"" + r.name() + "\"} 0.0");
    }
    assertThat(scrape).contains("segmenter_events_invalid_total{reason=\"BAD_MAGIC_BYTE\"} 0.0",
        "segmenter_events_invalid_total{reason=\"CORRUPT_PAYLOAD\"} 0.0",
        "segmenter_events_invalid_total{reason=\"UNDESERIALIZABLE\"} 0.0");
    // The counters registered at start are the ones incremented later, not look-alikes.
    runtime.metrics().invalidEvent("order", "NEGATIVE_AMOUNT");
    Counter c = meters.get(SegmenterMetrics.EVENTS_INVALID).tag("reason", "NEGATIVE_AMOUNT").counter();
    assertThat(c.count()).isEqualTo(1.0);
  }

  @Test
  void everyInternalTopicAndRejectionReasonIsCountedAtZero() {
    assertThat(meters.find(SegmenterMetrics.INTERNAL_REJECTED).counters())
        .hasSize(SegmenterMetrics.INTERNAL_TOPICS.size() * RejectedRecord.Reason.values().length)
        .allSatisfy(c -> assertThat(c.count()).isZero());
    runtime.metrics().internalRecordRejected("model", RejectedRecord.Reason.CORRUPT);
    assertThat(meters.get(SegmenterMetrics.INTERNAL_REJECTED).tags("topic", "model", "reason", "CORRUPT").counter()
        .count()).isEqualTo(1.0);
  }

  @Test
  void theModelUpdateTimeIsNaNBeforeTheFirstVersionAndTheWallClockWhenOneIsTakenIn() {
    assertThat(meters.scrape()).contains("segmenter_model_updated_timestamp_seconds NaN");
    double before = System.currentTimeMillis() / 1000.0;
    ModelSnapshot model = ModelCodec.fromAvro(SeedModels.championsAndAtRisk(Instant.parse("2026-06-01T00:00:00Z")));
    runtime.metrics().onModel(model);
    double after = System.currentTimeMillis() / 1000.0;
    double taken = meters.get(SegmenterMetrics.MODEL_UPDATED).gauge().value();
    assertThat(taken).isBetween(before, after);
  }
}
