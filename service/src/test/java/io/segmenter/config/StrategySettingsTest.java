package io.segmenter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.service.TopicSetup;
import io.segmenter.strategy.StrategySpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** segmenter.strategy.*: the strategies a deployment runs, read and checked at start-up. */
class StrategySettingsTest {
  private static SegmenterConfig with(String challengers, String champion) {
    Map<String, Object> p = new HashMap<>();
    p.put(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "shop");
    p.put(SegmenterConfig.MODEL_K, "3");
    if (challengers != null) p.put(SegmenterConfig.STRATEGY_CHALLENGERS, challengers);
    if (champion != null) p.put(SegmenterConfig.STRATEGY_CHAMPION, champion);
    return new SegmenterConfig(p);
  }

  @Test
  void withoutChallengersTheDefaultStrategyAloneKeepsThePlainModelTopics() {
    List<StrategySettings> s = with(null, null).strategies();
    assertThat(s).hasSize(1);
    assertThat(s.get(0).name()).isEqualTo(StrategySpec.DEFAULT);
    assertThat(s.get(0).idBase()).isZero();
    assertThat(s.get(0).modelTopic()).isEqualTo("shop-model");
    assertThat(s.get(0).model().k()).isEqualTo(3);
    assertThat(TopicSetup.topics(with(null, null)).stream().map(NewTopic::name)).doesNotContain("shop-strategy");
  }

  @Test
  void aChallengerOverridesTheModelSettingsAndHasTopicsAndIdsOfItsOwn() {
    SegmenterConfig c = with("wide: k.min=4 k.max=9 decay.factor=0.8", "wide");
    StrategySettings wide = c.strategies().get(1);
    assertThat(wide.name()).isEqualTo("wide");
    assertThat(wide.model().kMin()).isEqualTo(4);
    assertThat(wide.model().k()).isEqualTo(9);
    assertThat(wide.model().decayFactor()).isEqualTo(0.8);
    assertThat(wide.model().seed()).isEqualTo(c.strategies().get(0).model().seed());
    assertThat(wide.idBase()).isEqualTo(StrategySpec.idBase("wide")).isPositive();
    assertThat(wide.deltasTopic()).isEqualTo("shop-model-deltas.wide");
    assertThat(wide.modelTopic()).isEqualTo("shop-model.wide");
    assertThat(c.championSetting()).isEqualTo("wide");
    assertThat(TopicSetup.topics(c).stream().map(NewTopic::name))
        .contains("shop-model.wide", "shop-model-deltas.wide", "shop-strategy");
  }

  @Test
  void aBadSpecOrAChampionThatIsNoStrategyFailsAtStartUpSayingWhatToFix() {
    assertThatThrownBy(() -> with("k4: k=4; k8: k=8; k9: k=9", null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.STRATEGY_CHALLENGERS);
    assertThatThrownBy(() -> with("k4: kk=4", null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("kk");
    assertThatThrownBy(() -> with("odd: k.min=9 k.max=4", null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("k.min");
    assertThatThrownBy(() -> with("k4: k=4", "k5")).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.STRATEGY_CHAMPION).hasMessageContaining("k5");
  }
}
