package io.segmenter.topology;

import static io.segmenter.events.CampaignOutcomeType.CLICKED;
import static io.segmenter.events.CampaignOutcomeType.CONVERTED;
import static io.segmenter.events.CampaignOutcomeType.DELIVERED;
import static io.segmenter.events.CampaignOutcomeType.OPENED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.CampaignOutcome;
import io.segmenter.events.CampaignOutcomeType;
import io.segmenter.internal.ModelVersion;
import io.segmenter.privacy.Pseudonymiser;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.strategy.CampaignKey;
import io.segmenter.strategy.CampaignRates;
import io.segmenter.strategy.StrategySpec;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaign outcomes (segmenter.topic.outcomes) in the real topology (TopologyTestDriver, real RocksDB
 * stores, the project's Avro serde against the embedded registry): counted under the segment each
 * strategy gives the customer, bad ones dead-lettered with nothing counted, and nothing of it without
 * the setting. The harness has no outcomes topic: each test makes its own.
 */
class CampaignOutcomeTopologyTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final String OUTCOMES = "campaign-outcomes-in";
  private static final String ALT = "alt";
  private static final int ALT_BASE = StrategySpec.idBase(ALT);
  private TopologyHarness harness;
  private TestInputTopic<String, CampaignOutcome> outcomes;

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    if (harness != null) harness.close();
  }

  private TopologyHarness harness(Map<String, Object> extra) {
    Map<String, Object> overrides = new HashMap<>(Map.of(
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE));
    overrides.putAll(extra);
    harness = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), overrides, NOW);
    harness.publishModel(SeedModels.championsAndAtRisk(NOW));
    if (harness.config.outcomesEnabled()) {
      SpecificAvroSerde<CampaignOutcome> serde = new SpecificAvroSerde<>(CampaignOutcome.class, REGISTRY.client());
      serde.configure(harness.config.serdeConfig(), false);
      outcomes = harness.driver.createInputTopic(OUTCOMES, Serdes.String().serializer(), serde.serializer());
    }
    return harness;
  }

  private TopologyHarness withChallenger() {
    TopologyHarness h = harness(Map.of(SegmenterConfig.TOPIC_OUTCOMES, OUTCOMES,
        SegmenterConfig.STRATEGY_CHALLENGERS, ALT + ": k=4"));
    ModelVersion alt = SeedModels.championsAndAtRisk(NOW, ALT_BASE);
    h.driver.createInputTopic(h.topic(SegmenterConfig.TOPIC_MODEL) + "." + ALT, Serdes.String().serializer(),
        InternalSerdes.modelVersions().serializer()).pipeInput(SegmenterTopology.MODEL_KEY, alt, alt.getCreatedAt());
    return h;
  }

  private void outcome(String key, String customer, String campaign, CampaignOutcomeType type, Instant at) {
    outcomes.pipeInput(new TestRecord<>(key, new CampaignOutcome(customer, campaign, type, at), at));
  }

  private void outcome(String customer, String campaign, CampaignOutcomeType type) {
    outcome(customer, customer, campaign, type, NOW.minus(Duration.ofHours(1)));
  }

  private Map<CampaignKey, Long> counts() {
    return CampaignOutcomeStore.read(harness.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.CAMPAIGN_STORE));
  }

  private static CampaignKey key(String strategy, int segment, String campaign, CampaignOutcomeType type) {
    return new CampaignKey(strategy, segment, campaign, type);
  }

  @Test
  void outcomesCountUnderTheChampionsAndTheChallengersSegmentOfTheCustomer() {
    TopologyHarness h = withChallenger();
    SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    SeedModels.orders("c-2", 20, 3, NOW.minus(Duration.ofDays(1)), "110").forEach(h::pipe);
    assertThat(h.profile("c-1").segmentId()).isEqualTo(SeedModels.CHAMPION);
    byte[] profileBefore = h.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.PROFILES_STORE).get("c-1");

    for (String c : List.of("c-1", "c-2")) outcome(c, "spring", DELIVERED);
    outcome("c-1", "spring", OPENED);
    outcome("c-1", "spring", CLICKED);
    outcome("c-2", "spring", DELIVERED); // a second delivery to c-2: counts are counts of records
    outcome("never-seen", "spring", CONVERTED);

    assertThat(counts()).containsOnly(
        entry(key(StrategySpec.DEFAULT, SeedModels.CHAMPION, "spring", DELIVERED), 3L),
        entry(key(StrategySpec.DEFAULT, SeedModels.CHAMPION, "spring", OPENED), 1L),
        entry(key(StrategySpec.DEFAULT, SeedModels.CHAMPION, "spring", CLICKED), 1L),
        entry(key(ALT, ALT_BASE + SeedModels.CHAMPION, "spring", DELIVERED), 3L),
        entry(key(ALT, ALT_BASE + SeedModels.CHAMPION, "spring", OPENED), 1L),
        entry(key(ALT, ALT_BASE + SeedModels.CHAMPION, "spring", CLICKED), 1L),
        entry(key(StrategySpec.DEFAULT, -1, "spring", CONVERTED), 1L),
        entry(key(ALT, -1, "spring", CONVERTED), 1L));
    List<CampaignRates> rates = CampaignRates.of(counts());
    assertThat(rates).filteredOn(r -> r.segment() == SeedModels.CHAMPION).singleElement()
        .satisfies(r -> assertThat(r.openRate()).isEqualTo(1.0 / 3));

    assertThat(h.profile("never-seen")).as("an outcome creates no profile").isNull();
    assertThat(h.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.PROFILES_STORE).get("c-1"))
        .as("nor changes one").isEqualTo(profileBefore);
    assertThat(h.drainChanges()).noneMatch(c -> c.getCustomerId().equals("never-seen"));
    assertThat(h.dlq.isEmpty()).isTrue();
  }

  @Test
  void anInvalidOutcomeGoesToTheDeadLetterTopicAndNothingIsCounted() {
    TopologyHarness h = harness(Map.of(SegmenterConfig.TOPIC_OUTCOMES, OUTCOMES));
    SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    Instant ok = NOW.minus(Duration.ofHours(1));
    outcome("c-1", "c-1", "x".repeat(CampaignKey.MAX_CAMPAIGN_LENGTH + 1), OPENED, ok);
    outcome("c-1", "c-1", " ", OPENED, ok);
    outcome("c-1", "c-1", CampaignKey.OTHER, OPENED, ok);
    outcome("c-1", "c-1", "spring", CampaignOutcomeType.UNKNOWN, ok);
    outcome("someone-else", "c-1", "spring", OPENED, ok);
    outcome("c-1", "c-1", "spring", OPENED, NOW.plus(Duration.ofDays(3)));

    var dead = h.dlq.readRecordsToList();
    assertThat(dead).extracting(r -> new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
        .containsExactly("INVALID_CAMPAIGN_ID", "INVALID_CAMPAIGN_ID", "INVALID_CAMPAIGN_ID", "UNKNOWN_ENUM_SYMBOL",
            "KEY_MISMATCH", "FUTURE_TIMESTAMP");
    assertThat(counts()).as("nothing counted").isEmpty();

    outcome("c-1", "spring", OPENED);
    assertThat(counts()).containsOnly(entry(key(StrategySpec.DEFAULT, SeedModels.CHAMPION, "spring", OPENED), 1L));
  }

  @Test
  void campaignsBeyondTheLimitAreCountedAsOther() {
    TopologyHarness h = harness(Map.of(SegmenterConfig.TOPIC_OUTCOMES, OUTCOMES,
        SegmenterConfig.OUTCOMES_MAX_CAMPAIGNS, 2));
    for (String c : List.of("a", "b", "c", "d", "a")) outcome("c-9", c, DELIVERED);
    assertThat(counts()).containsOnly(
        entry(key(StrategySpec.DEFAULT, -1, "a", DELIVERED), 2L),
        entry(key(StrategySpec.DEFAULT, -1, "b", DELIVERED), 1L),
        entry(key(StrategySpec.DEFAULT, -1, CampaignKey.OTHER, DELIVERED), 2L));
  }

  @Test
  void withPseudonymisationTheCustomerIsLookedUpUnderThePseudonym() throws Exception {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    Path keyFile = Files.write(dir.resolve("key"), secret);
    TopologyHarness h = harness(Map.of(SegmenterConfig.TOPIC_OUTCOMES, OUTCOMES,
        SegmenterConfig.PSEUDONYMISE_KEY_FILE, keyFile.toString()));
    SeedModels.orders("alice", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    assertThat(h.profile(Pseudonymiser.hmac(secret).pseudonymise("alice")).segmentId()).isEqualTo(SeedModels.CHAMPION);
    outcome("alice", "spring", OPENED);
    assertThat(counts()).containsOnly(entry(key(StrategySpec.DEFAULT, SeedModels.CHAMPION, "spring", OPENED), 1L));
  }

  @Test
  void withoutTheSettingTheTopologyHasNoOutcomesSourceNorStore() {
    TopologyHarness without = harness(Map.of());
    String description = SegmenterTopology.build(without.config, REGISTRY.client()).describe().toString();
    assertThat(without.driver.getKeyValueStore(SegmenterTopology.CAMPAIGN_STORE)).isNull();
    assertThat(description).doesNotContain("outcomes-source").doesNotContain(SegmenterTopology.CAMPAIGN_STORE);
    without.close();
    harness = null;

    TopologyHarness with = harness(Map.of(SegmenterConfig.TOPIC_OUTCOMES, OUTCOMES));
    assertThat(with.driver.getKeyValueStore(SegmenterTopology.CAMPAIGN_STORE)).isNotNull();
    String withDescription = SegmenterTopology.build(with.config, REGISTRY.client()).describe().toString();
    assertThat(withDescription).contains("outcomes-source").contains(SegmenterTopology.CAMPAIGN_STORE);
  }
}
