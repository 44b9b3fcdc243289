package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The metric names {@link PromQlMetricNames} finds in the kinds of expression dashboards and alerts use. */
class PromQlMetricNamesTest {
  @Test
  void aSelectorWithMatchersAndARangeIsItsName() {
    assertThat(PromQlMetricNames.of("rate(segmenter_events_in_total{type=\"click\", outcome=~\"proc.*\"}[5m])"))
        .containsExactly("segmenter_events_in_total");
  }

  @Test
  void groupingsAndVectorMatchingsAreLabelsNotMetrics() {
    String expr = "sum by (job, reason) (rate(segmenter_events_invalid_total[10m])) > 0.1 and on (job) "
        + "(sum without (instance) (rate(a_total[10m])) / ignoring(x) group_left(y) sum(rate(b_total[10m]))) > 0.01";
    assertThat(PromQlMetricNames.of(expr)).containsExactly("a_total", "b_total", "segmenter_events_invalid_total");
  }

  @Test
  void byAfterTheAggregatedExpressionAndGroupLeftWithoutLabels() {
    assertThat(PromQlMetricNames.of("sum(rate(x_total[1m])) by (le) * on (job) group_left max by (job) (y)"))
        .containsExactly("x_total", "y");
  }

  @Test
  void functionsKeywordsNumbersDurationsAndOffsetsAreNotMetrics() {
    String expr = "histogram_quantile(0.99, sum by (le) (rate(lat_seconds_bucket[$__rate_interval]))) > bool 5e-1 "
        + "or (time() - updated_seconds) > 8 * 3600 unless pop offset 1h30m < 0x1F atan2 Inf";
    assertThat(PromQlMetricNames.of(expr)).containsExactly("lat_seconds_bucket", "pop", "updated_seconds");
  }

  @Test
  void stringsInFunctionArgumentsAreSkipped() {
    String expr = "label_replace(up{job=\"a\"}, \"dst\", \"$1\", \"src\", \"(.*) and (.*)\") + count_values('v', some_metric)";
    assertThat(PromQlMetricNames.of(expr)).containsExactly("some_metric", "up");
  }

  @Test
  void subqueriesAndGrafanaVariables() {
    assertThat(PromQlMetricNames.of("max_over_time(deriv(lag{instance=~\"$instance\"}[10m])[1h:${__interval}]) / $scale"))
        .containsExactly("lag");
  }

  @Test
  void grafanasLabelValuesNamesItsMetricNotItsLabel() {
    assertThat(PromQlMetricNames.of("label_values(segmenter_live, instance)")).containsExactly("segmenter_live");
    assertThat(PromQlMetricNames.of("label_values(instance)")).isEmpty();
  }

  @Test
  void namesWithColonsAndDigits() {
    assertThat(PromQlMetricNames.of("job:segmenter_p99:rate5m + segmenter_prediction_expected_purchases_90d_sum"))
        .containsExactly("job:segmenter_p99:rate5m", "segmenter_prediction_expected_purchases_90d_sum");
  }

  @Test
  void aNameOnlyInANameMatcherIsRefused() {
    assertThatThrownBy(() -> PromQlMetricNames.of("{__name__=~\"segmenter_.*\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("__name__");
  }
}
