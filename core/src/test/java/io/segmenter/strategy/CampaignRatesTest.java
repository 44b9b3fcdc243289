package io.segmenter.strategy;

import static io.segmenter.events.CampaignOutcomeType.CLICKED;
import static io.segmenter.events.CampaignOutcomeType.CONVERTED;
import static io.segmenter.events.CampaignOutcomeType.DELIVERED;
import static io.segmenter.events.CampaignOutcomeType.OPENED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignRatesTest {
  @Test
  void ratesAreEachStepOverDeliveriesPerStrategySegmentAndCampaign() {
    Map<CampaignKey, Long> counts = new HashMap<>();
    counts.put(new CampaignKey("default", 2, "spring", DELIVERED), 200L);
    counts.put(new CampaignKey("default", 2, "spring", OPENED), 50L);
    counts.put(new CampaignKey("default", 2, "spring", CLICKED), 10L);
    counts.put(new CampaignKey("default", 2, "spring", CONVERTED), 4L);
    counts.put(new CampaignKey("default", 0, "spring", DELIVERED), 100L);
    counts.put(new CampaignKey("k8", 682_000_001, "spring", DELIVERED), 300L);
    counts.put(new CampaignKey("k8", 682_000_001, "spring", CONVERTED), 3L);

    List<CampaignRates> rows = CampaignRates.of(counts);

    assertThat(rows).extracting(CampaignRates::strategy, CampaignRates::segment)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("default", 0), org.assertj.core.groups.Tuple.tuple("default", 2),
            org.assertj.core.groups.Tuple.tuple("k8", 682_000_001));
    CampaignRates two = rows.get(1);
    assertThat(two.delivered()).isEqualTo(200);
    assertThat(two.openRate()).isCloseTo(0.25, within(1e-12));
    assertThat(two.clickRate()).isCloseTo(0.05, within(1e-12));
    assertThat(two.conversionRate()).isCloseTo(0.02, within(1e-12));
    assertThat(rows.get(0).openRate()).as("delivered, none opened").isEqualTo(0.0);
    assertThat(rows.get(2).conversionRate()).isCloseTo(0.01, within(1e-12));
  }

  @Test
  void withoutDeliveriesThereIsNoRate() {
    CampaignRates row = CampaignRates.of(Map.of(new CampaignKey("default", -1, "c", OPENED), 7L)).get(0);
    assertThat(row.opened()).isEqualTo(7);
    assertThat(row.delivered()).isZero();
    assertThat(row.openRate()).isNull();
    assertThat(row.clickRate()).isNull();
    assertThat(row.conversionRate()).isNull();
  }
}
