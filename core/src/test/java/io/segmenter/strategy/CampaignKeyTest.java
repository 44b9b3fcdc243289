package io.segmenter.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.events.CampaignOutcomeType;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignKeyTest {
  @Test
  void aKeyReadsBackAsWrittenEvenWhenTheCampaignHoldsSlashes() {
    CampaignKey key = new CampaignKey("k8", 682_000_003, "spring/2026/a", CampaignOutcomeType.CLICKED);
    assertThat(key.encode()).isEqualTo("k8/682000003/spring/2026/a/CLICKED");
    assertThat(CampaignKey.parse(key.encode())).isEqualTo(key);
    CampaignKey none = new CampaignKey("default", -1, CampaignKey.OTHER, CampaignOutcomeType.DELIVERED);
    assertThat(CampaignKey.parse(none.encode())).isEqualTo(none);
  }

  @Test
  void keysThatAreNotOnesAreRefused() {
    for (String bad : List.of("default/3/OPENED", "default/x/c/OPENED", "default/3/c/SEEN", "/3/c/OPENED",
        "default/3/c/UNKNOWN", "default/-2/c/OPENED")) {
      assertThatThrownBy(() -> CampaignKey.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void campaignIdsAreBoundedAndPrintableAndOtherIsReserved() {
    assertThat(CampaignKey.checkCampaign("x".repeat(CampaignKey.MAX_CAMPAIGN_LENGTH))).isNull();
    assertThat(CampaignKey.checkCampaign("x".repeat(CampaignKey.MAX_CAMPAIGN_LENGTH + 1))).contains("at most 64");
    assertThat(CampaignKey.checkCampaign(" ")).contains("blank");
    assertThat(CampaignKey.checkCampaign(null)).contains("blank");
    assertThat(CampaignKey.checkCampaign("a\nb")).contains("control character");
    assertThat(CampaignKey.checkCampaign(CampaignKey.OTHER)).contains("reserved");
    assertThatThrownBy(() -> new CampaignKey("default", 1, "y".repeat(65), CampaignOutcomeType.OPENED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CampaignKey("default", 1, "c", CampaignOutcomeType.UNKNOWN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pastTheLimitNewCampaignsAreCountedAsOtherAndKnownOnesKeepTheirName() {
    CampaignNames names = new CampaignNames(2, List.of("known", CampaignKey.OTHER));
    assertThat(names.countedAs("known")).isEqualTo("known");
    assertThat(names.countedAs("second")).isEqualTo("second");
    assertThat(names.countedAs("third")).isEqualTo(CampaignKey.OTHER);
    assertThat(names.countedAs("known")).isEqualTo("known");
    assertThat(names.countedAs("second")).isEqualTo("second");
    assertThat(names.size()).isEqualTo(2);
  }
}
