package io.segmenter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** segmenter.history.max.changes: 20 by default, 0 turns the history off, anything else outside 0..1000 fails at start-up. */
class HistorySettingTest {
  private static Map<String, Object> with(Object maxChanges) {
    Map<String, Object> p = new HashMap<>();
    p.put(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
    if (maxChanges != null) p.put(SegmenterConfig.HISTORY_MAX_CHANGES, maxChanges);
    return p;
  }

  @Test
  void twentyChangesByDefaultAndZeroIsAllowed() {
    assertThat(new SegmenterConfig(with(null)).getInt(SegmenterConfig.HISTORY_MAX_CHANGES)).isEqualTo(20);
    assertThat(new SegmenterConfig(with("0")).getInt(SegmenterConfig.HISTORY_MAX_CHANGES)).isZero();
    assertThat(new SegmenterConfig(with("1000")).getInt(SegmenterConfig.HISTORY_MAX_CHANGES)).isEqualTo(1000);
  }

  @Test
  void aBadValueFailsAtStartUpNamingTheSettingAndWhatItAccepts() {
    assertThatThrownBy(() -> new SegmenterConfig(with("-1"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.HISTORY_MAX_CHANGES).hasMessageContaining("at least 0");
    assertThatThrownBy(() -> new SegmenterConfig(with("1001"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.HISTORY_MAX_CHANGES).hasMessageContaining("1000");
    assertThatThrownBy(() -> new SegmenterConfig(with("twenty"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.HISTORY_MAX_CHANGES).hasMessageContaining("twenty");
  }
}
