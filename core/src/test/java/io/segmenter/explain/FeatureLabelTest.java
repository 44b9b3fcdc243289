package io.segmenter.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FeatureLabelTest {
  private static final double NONE_BELOW = Double.NEGATIVE_INFINITY;
  private static final double NONE_ABOVE = Double.POSITIVE_INFINITY;

  @Test
  void countsPrintTheWholeNumberBoundThatTheSplitMeans() {
    FeatureLabel orders = FeatureLabel.count("orders");
    assertThat(orders.describe(NONE_BELOW, 3.5)).isEqualTo("orders ≤ 3");
    assertThat(orders.describe(3.5, NONE_ABOVE)).isEqualTo("orders ≥ 4");
    assertThat(orders.describe(3.5, 9.5)).isEqualTo("4 ≤ orders ≤ 9");
    assertThat(orders.describe(3.5, 4.5)).isEqualTo("orders = 4");
    assertThat(orders.describe(0.5, 3)).as("a threshold on a whole number").isEqualTo("1 ≤ orders ≤ 3");
    assertThat(orders.describe(-0.5, NONE_ABOVE)).isEqualTo("orders ≥ 0");
    assertThat(orders.describe(3.2, 3.7)).as("no whole number in between").isEqualTo("3.20 < orders ≤ 3.70");
  }

  @Test
  void daysAreWholeDays() {
    FeatureLabel days = FeatureLabel.days("days since last order");
    assertThat(days.describe(NONE_BELOW, 21.5)).isEqualTo("days since last order ≤ 21");
    assertThat(days.describe(21.5, NONE_ABOVE)).isEqualTo("days since last order ≥ 22");
    assertThat(days.describe(6.5, 30.5)).isEqualTo("7 ≤ days since last order ≤ 30");
  }

  @Test
  void moneyHasNoDecimalsAndAnOptionalCurrency() {
    FeatureLabel spend = FeatureLabel.money("net spend", "GBP");
    assertThat(spend.describe(249.75, NONE_ABOVE)).isEqualTo("net spend ≥ 250 GBP");
    assertThat(spend.describe(NONE_BELOW, 249.75)).isEqualTo("net spend < 250 GBP");
    assertThat(spend.describe(99.5, 1000.25)).isEqualTo("100 GBP ≤ net spend < 1000 GBP");
    assertThat(FeatureLabel.money("average order value", null).describe(40.5, NONE_ABOVE))
        .isEqualTo("average order value ≥ 41");
    assertThat(FeatureLabel.money("net spend", " ").describe(NONE_BELOW, 12_345.4))
        .isEqualTo("net spend < 12345");
  }

  @Test
  void ratiosArePercentages() {
    FeatureLabel abandonment = FeatureLabel.percent("cart abandonment");
    assertThat(abandonment.describe(0.595, NONE_ABOVE)).isEqualTo("cart abandonment ≥ 60 %");
    assertThat(abandonment.describe(NONE_BELOW, 0.595)).isEqualTo("cart abandonment < 60 %");
    assertThat(abandonment.describe(0.2, 0.6)).isEqualTo("20 % ≤ cart abandonment < 60 %");
  }

  @Test
  void moreDecimalsWhereRoundingWouldHideABound() {
    FeatureLabel spend = FeatureLabel.money("net spend", "GBP");
    assertThat(spend.describe(249.6, 250.3)).isEqualTo("249.6 GBP ≤ net spend < 250.3 GBP");
    FeatureLabel refunds = FeatureLabel.percent("refund rate");
    assertThat(refunds.describe(0.004, NONE_ABOVE)).isEqualTo("refund rate ≥ 0.4 %");
    assertThat(refunds.describe(NONE_BELOW, 0.0)).as("a true zero stays 0").isEqualTo("refund rate < 0 %");
  }

  @Test
  void otherNumbersUseTheirDecimalsAndIgnoreBinaryNoiseInMidpoints() {
    FeatureLabel petal = FeatureLabel.number("petal length", 1);
    assertThat(petal.describe(2.45, NONE_ABOVE)).isEqualTo("petal length ≥ 2.5");
    // A midpoint may carry binary noise (4.949999999999999 for 4.95): the bound is still 5.0, the
    // first value of the sample above it.
    assertThat(petal.describe((4.9 + 5.0) / 2, NONE_ABOVE)).isEqualTo("petal length ≥ 5.0");
    assertThat(petal.describe(4.949999999999999, NONE_ABOVE)).isEqualTo("petal length ≥ 5.0");
    assertThat(FeatureLabel.number("score", 2).describe(-0.001, NONE_ABOVE)).isEqualTo("score ≥ -0.001");
  }

  @Test
  void rejectsConditionsWithoutABoundOrValue() {
    FeatureLabel orders = FeatureLabel.count("orders");
    assertThatThrownBy(() -> orders.describe(NONE_BELOW, NONE_ABOVE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> orders.describe(5, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FeatureLabel.number(" ", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FeatureLabel("orders", FeatureLabel.Kind.COUNT, 2, ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
