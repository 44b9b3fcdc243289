package io.segmenter.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.config.SegmenterConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * segmenter.topic.outcomes: an optional input, created and checked like the others when set, and
 * absent from the topics otherwise. The check works on partition counts as the admin client
 * described them; run against a broker it is exercised by the integration tests' start-ups.
 */
class OutcomesTopicSetupTest {
  private static SegmenterConfig with(String outcomes, String clicks) {
    Map<String, Object> p = new HashMap<>();
    p.put(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "shop");
    p.put(SegmenterConfig.TOPICS_PARTITIONS, 6);
    if (outcomes != null) p.put(SegmenterConfig.TOPIC_OUTCOMES, outcomes);
    if (clicks != null) p.put(SegmenterConfig.TOPIC_CLICKS, clicks);
    return new SegmenterConfig(p);
  }

  @Test
  void whenSetItIsCreatedWithTheInputsPartitionCountOtherwiseNot() {
    assertThat(with(null, null).outcomesEnabled()).isFalse();
    assertThat(TopicSetup.topics(with(null, null)).stream().map(NewTopic::name)).doesNotContain("campaign-outcomes");
    assertThat(TopicSetup.topics(with("campaign-outcomes", null))).filteredOn(t -> t.name().equals("campaign-outcomes"))
        .singleElement().satisfies(t -> assertThat(t.numPartitions()).isEqualTo(6));
  }

  @Test
  void anOutcomesTopicPartitionedOtherwiseIsAProblemNamingTheSetting() {
    SegmenterConfig c = with("campaign-outcomes", null);
    Map<String, Integer> counts = new HashMap<>(Map.of("clicks", 6, "orders", 6, "erasure-requests", 6,
        "campaign-outcomes", 6));
    assertThat(TopicSetup.coPartitioningProblems(c, counts)).isEmpty();
    counts.put("campaign-outcomes", 3);
    assertThat(TopicSetup.coPartitioningProblems(c, counts)).singleElement().asString()
        .contains("topic campaign-outcomes has 3 partitions", "as many as clicks (6)", SegmenterConfig.TOPIC_OUTCOMES);
    assertThat(TopicSetup.coPartitioningProblems(with(null, null), Map.of("clicks", 6, "orders", 6,
        "erasure-requests", 6))).as("not set: not checked").isEmpty();
  }

  @Test
  void theOutcomesTopicMustBeAnotherTopicThanTheOtherInputs() {
    assertThatThrownBy(() -> with("clicks", null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SegmenterConfig.TOPIC_OUTCOMES).hasMessageContaining("must be different topics");
  }
}
