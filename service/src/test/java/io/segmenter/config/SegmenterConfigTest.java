package io.segmenter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class SegmenterConfigTest {
  private static Map<String, Object> minimal() {
    Map<String, Object> p = new HashMap<>();
    p.put(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
    return p;
  }

  @Test
  void defaultsAreExactlyOnceWithTheDeadLetterTopicAndStreamsSettingsPassThrough() {
    Map<String, Object> p = minimal();
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 3);
    p.put(SegmenterConfig.TOPIC_DLQ, "bad-input");
    Properties streams = new SegmenterConfig(p).streamsProperties();
    assertThat(streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(streams.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("bad-input");
    assertThat(streams.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(3);
    assertThat(streams).doesNotContainKey(SegmenterConfig.MODEL_K);
  }

  @Test
  void theModelSettingsComeFromTheKeys() {
    Map<String, Object> p = minimal();
    p.put(SegmenterConfig.MODEL_K, 8);
    p.put(SegmenterConfig.MODEL_REFRESH_EVERY, 0);
    var model = new SegmenterConfig(p).modelSettings();
    assertThat(model.k()).isEqualTo(8);
    assertThat(model.refreshEvery()).isZero();
    assertThat(model.sampleCap()).as("without refresh only re-seed candidates travel").isEqualTo(64);
  }

  @Test
  void aBadSettingFailsAtStartUpNamingTheKey() {
    Map<String, Object> tooBig = minimal();
    tooBig.put(SegmenterConfig.MODEL_REFRESH_SAMPLE, 10_000);
    assertThatThrownBy(() -> new SegmenterConfig(tooBig)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.MODEL_REFRESH_SAMPLE);

    Map<String, Object> fewWarmup = minimal();
    fewWarmup.put(SegmenterConfig.MODEL_K, 10);
    fewWarmup.put(SegmenterConfig.MODEL_WARMUP_POINTS, 5);
    assertThatThrownBy(() -> new SegmenterConfig(fewWarmup)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.MODEL_WARMUP_POINTS);

    Map<String, Object> clock = minimal();
    clock.put(SegmenterConfig.CLOCK, "sundial");
    assertThatThrownBy(() -> new SegmenterConfig(clock)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.CLOCK);

    Map<String, Object> noRegistry = minimal();
    noRegistry.remove(SegmenterConfig.SCHEMA_REGISTRY_URL);
    assertThatThrownBy(() -> new SegmenterConfig(noRegistry)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.SCHEMA_REGISTRY_URL);
  }

  @Test
  void theModelTopicsAreNamedAfterTheApplicationIdUnlessSet() {
    SegmenterConfig byDefault = new SegmenterConfig(minimal());
    assertThat(byDefault.getString(SegmenterConfig.TOPIC_MODEL)).isEqualTo("segmenter-model");
    assertThat(byDefault.getString(SegmenterConfig.TOPIC_MODEL_DELTAS)).isEqualTo("segmenter-model-deltas");
    assertThat(byDefault.streamsProperties().get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("segmenter");

    Map<String, Object> second = minimal();
    second.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-eu");
    SegmenterConfig eu = new SegmenterConfig(second);
    assertThat(eu.getString(SegmenterConfig.TOPIC_MODEL)).isEqualTo("segmenter-eu-model");
    assertThat(eu.getString(SegmenterConfig.TOPIC_MODEL_DELTAS)).isEqualTo("segmenter-eu-model-deltas");

    Map<String, Object> explicit = minimal();
    explicit.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-eu");
    explicit.put(SegmenterConfig.TOPIC_MODEL, "shared-model");
    SegmenterConfig set = new SegmenterConfig(explicit);
    assertThat(set.getString(SegmenterConfig.TOPIC_MODEL)).as("an explicit setting wins").isEqualTo("shared-model");
    assertThat(set.getString(SegmenterConfig.TOPIC_MODEL_DELTAS)).isEqualTo("segmenter-eu-model-deltas");
    assertThat(set.streamsProperties()).as("segmenter's own settings stay out of Kafka Streams")
        .doesNotContainKey(SegmenterConfig.TOPIC_MODEL);

    Map<String, Object> control = minimal();
    control.put(SegmenterConfig.TOPIC_MODEL, "mo\u0007del");
    assertThatThrownBy(() -> new SegmenterConfig(control)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.TOPIC_MODEL);
  }

  @Test
  void theThreadReplacementBackoffMustNotEndBelowItsStart() {
    Map<String, Object> p = minimal();
    p.put(SegmenterConfig.THREAD_BACKOFF_INITIAL_MS, 5_000L);
    p.put(SegmenterConfig.THREAD_BACKOFF_MAX_MS, 1_000L);
    assertThatThrownBy(() -> new SegmenterConfig(p)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.THREAD_BACKOFF_MAX_MS);

    SegmenterConfig defaults = new SegmenterConfig(minimal());
    assertThat(defaults.getLong(SegmenterConfig.THREAD_BACKOFF_INITIAL_MS)).isEqualTo(1_000L);
    assertThat(defaults.getLong(SegmenterConfig.THREAD_BACKOFF_MAX_MS)).isEqualTo(60_000L);
    assertThat(defaults.getInt(SegmenterConfig.THREAD_FAILURES_MAX)).isEqualTo(5);
    assertThat(defaults.getLong(SegmenterConfig.THREAD_FAILURES_WINDOW_MS)).isEqualTo(600_000L);
  }
}
