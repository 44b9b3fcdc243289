package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.service.StrategyControl;
import io.segmenter.service.TopicSetup;
import io.segmenter.topology.Strategies;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Promotion by setting against a real broker: {@link StrategyControl} writes a record to the control
 * topic only when the segmenter.strategy.champion setting changed since the last record acted on it,
 * so the latest act wins, a setting or an HTTP promotion (whose record it writes too).
 */
class StrategyControlIT {
  @RegisterExtension
  static final SharedKafka KAFKA = new SharedKafka();

  private static SegmenterConfig config(String app, String champion) {
    Map<String, Object> p = new HashMap<>();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://unused:8081");
    p.put(SegmenterConfig.STRATEGY_CHALLENGERS, "k4: k=4");
    p.put(SegmenterConfig.STRATEGY_CHAMPION, champion);
    p.put(SegmenterConfig.TOPICS_PARTITIONS, 1);
    return new SegmenterConfig(p);
  }

  private static StrategyControl control(SegmenterConfig c) {
    StreamsConfig streams = new StreamsConfig(c.streamsProperties());
    return new StrategyControl(c, streams.getProducerConfigs("strategy-control-it"),
        streams.getGlobalConsumerConfigs("strategy-control-it"));
  }

  private static Strategies.Champion reconcile(String app, String champion) throws Exception {
    SegmenterConfig c = config(app, champion);
    try (StrategyControl control = control(c)) {
      control.reconcile(c.strategies().stream().map(s -> s.name()).toList());
      return control.last();
    }
  }

  @Test
  void theSettingPromotesOnlyWhenItChangedAndAnHttpPromotionStandsUntilItDoes() throws Exception {
    String app = SharedKafka.uniqueName("strategy-control");
    TopicSetup.createMissing(config(app, "default"), Map.of("bootstrap.servers", KAFKA.bootstrapServers()));

    Strategies.Champion first = reconcile(app, "default");
    assertThat(first.name()).isEqualTo("default");
    assertThat(first.epoch()).isEqualTo(1);
    assertThat(first.source()).isEqualTo("setting");
    assertThat(reconcile(app, "default")).as("the same setting again writes nothing").isEqualTo(first);

    Strategies.Champion bySetting = reconcile(app, "k4");
    assertThat(bySetting.name()).isEqualTo("k4");
    assertThat(bySetting.epoch()).isEqualTo(2);

    Strategies.Champion byHttp;
    try (StrategyControl control = control(config(app, "k4"))) {
      byHttp = control.promote("default");
    }
    assertThat(byHttp.source()).isEqualTo("http");
    assertThat(byHttp.epoch()).isEqualTo(3);
    assertThat(reconcile(app, "k4")).as("a restart with the setting unchanged keeps the HTTP promotion")
        .isEqualTo(byHttp);
    assertThat(reconcile(app, "default")).as("changing the setting promotes again")
        .satisfies(c -> {
          assertThat(c.name()).isEqualTo("default");
          assertThat(c.epoch()).isEqualTo(4);
          assertThat(c.source()).isEqualTo("setting");
        });
    assertThat(List.of(first.epoch(), bySetting.epoch(), byHttp.epoch())).isSorted();
  }
}
