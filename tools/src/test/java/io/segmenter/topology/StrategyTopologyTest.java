package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.SegmentChange;
import io.segmenter.internal.ModelVersion;
import io.segmenter.strategy.CustomerStrategies;
import io.segmenter.strategy.CustomerStrategiesCodec;
import io.segmenter.strategy.OutcomeTally;
import io.segmenter.strategy.StrategySpec;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A champion and a challenger in the real topology (TopologyTestDriver, real RocksDB stores): both
 * strategies get the same hand-built model, the challenger's with its own ids, so that what each
 * assigns is known; a promotion is a record on the control topic, as StrategyControl writes it.
 */
class StrategyTopologyTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final String ALT = "alt";
  private static final int ALT_BASE = StrategySpec.idBase(ALT);
  private TopologyHarness harness;
  private TestInputTopic<String, byte[]> control;

  private TopologyHarness withTwoStrategies() {
    harness = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.MODEL_MIN_BATCH_POINTS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_MAX_INTERVAL_MS, Long.MAX_VALUE,
        SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE,
        SegmenterConfig.STRATEGY_CHALLENGERS, ALT + ": k=4"), NOW);
    harness.publishModel(SeedModels.championsAndAtRisk(NOW));
    String altModelTopic = harness.topic(SegmenterConfig.TOPIC_MODEL) + "." + ALT;
    ModelVersion alt = SeedModels.championsAndAtRisk(NOW, ALT_BASE);
    harness.driver.createInputTopic(altModelTopic, Serdes.String().serializer(), InternalSerdes.modelVersions().serializer())
        .pipeInput(SegmenterTopology.MODEL_KEY, alt, alt.getCreatedAt());
    control = harness.driver.createInputTopic(harness.topic(SegmenterConfig.TOPIC_STRATEGY), Serdes.String().serializer(),
        Serdes.ByteArray().serializer());
    return harness;
  }

  @AfterEach
  void close() {
    if (harness != null) harness.close();
  }

  private CustomerStrategies strategies(String customerId) {
    byte[] b = harness.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.STRATEGY_STORE).get(customerId);
    return b == null ? null : CustomerStrategiesCodec.decode(b);
  }

  private void promote(String name, long epoch) {
    control.pipeInput(ChampionRecords.KEY, ChampionRecords.encode(new Strategies.Champion(name, epoch, "default", "http",
        NOW.toEpochMilli())), NOW);
  }

  @Test
  void theChallengerAssignsTheSameCustomersInItsOwnIdsAndEmitsNothing() {
    TopologyHarness h = withTwoStrategies();
    SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    assertThat(h.profile("c-1").segmentId()).isEqualTo(SeedModels.CHAMPION);
    CustomerStrategies s = strategies("c-1");
    assertThat(s.champion()).isEqualTo(StrategySpec.DEFAULT);
    assertThat(s.assignment(ALT).segment()).as("the challenger's own id for the same centre")
        .isEqualTo(ALT_BASE + SeedModels.CHAMPION);
    assertThat(h.drainChanges()).allSatisfy(c -> assertThat(c.getNewSegment().getId()).isLessThan(ALT_BASE));
    // The challenger's segment names are remembered too (GET /strategies names its retired segments by them).
    String name = h.runtime.strategies().holder(StrategySpec.DEFAULT).current().name(SeedModels.CHAMPION);
    assertThat(h.runtime.segmentNames().name(null, ALT_BASE + SeedModels.CHAMPION)).isEqualTo(name + " (retired)");
  }

  @Test
  void aPromotionMovesEveryCustomerOnceWithAStrategyChangeAndGaplessSequences() {
    TopologyHarness h = withTwoStrategies();
    List<String> customers = List.of("c-1", "c-2", "c-3");
    SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    SeedModels.orders("c-2", 1, 1, NOW.minus(Duration.ofDays(2)), "40").forEach(h::pipe);
    SeedModels.orders("c-3", 2, 30, NOW.minus(Duration.ofDays(200)), "20").forEach(h::pipe);
    Map<String, Long> sequences = new java.util.HashMap<>();
    for (SegmentChange c : h.drainChanges()) sequences.put(c.getCustomerId(), c.getSequence());
    assertThat(sequences).containsOnlyKeys(customers);

    promote(ALT, 2);
    assertThat(h.runtime.strategies().champion()).isEqualTo(ALT);
    // Anyone's next record acts on the new champion: every member of the old champion's segments is due now.
    h.pipe(Events.view("someone-else", "v-1", "s-1", NOW.minus(Duration.ofDays(1)).plusSeconds(120)));

    List<SegmentChange> moved = h.drainChanges().stream().filter(c -> customers.contains(c.getCustomerId())).toList();
    assertThat(moved).as("one change per customer").hasSize(3);
    for (SegmentChange c : moved) {
      assertThat(c.getReason()).isEqualTo(ChangeReason.STRATEGY);
      assertThat(c.getPreviousSegment().getId()).isLessThan(ALT_BASE);
      assertThat(c.getNewSegment().getId()).isEqualTo(c.getPreviousSegment().getId() + ALT_BASE);
      assertThat(c.getPreviousSegment().getName()).as("named by the previous champion's model")
          .isEqualTo(c.getNewSegment().getName()).doesNotStartWith("Segment ");
      assertThat(c.getSequence()).as("gapless").isEqualTo(sequences.get(c.getCustomerId()) + 1);
      assertThat(h.profile(c.getCustomerId()).segmentId()).isEqualTo(c.getNewSegment().getId());
      CustomerStrategies s = strategies(c.getCustomerId());
      assertThat(s.champion()).isEqualTo(ALT);
      assertThat(s.assignment(StrategySpec.DEFAULT).segment()).as("the old champion goes on as a challenger")
          .isEqualTo(c.getPreviousSegment().getId());
    }
    var table = h.segments.readKeyValuesToMap();
    for (String id : customers) assertThat(table.get(id).getSegment().getId()).isGreaterThanOrEqualTo(ALT_BASE);
    // The change counter names the segment left as the previous champion's model does.
    assertThat(h.runtime.metrics().registry().find(SegmenterMetrics.SEGMENT_CHANGES).tag("reason", "STRATEGY").counters())
        .isNotEmpty().allSatisfy(c -> assertThat(c.getId().getTag("from")).doesNotStartWith("Segment "));
    // The meters follow the champion: one population gauge per centre of the challenger's model now,
    // though its version number (1) is not above the previous champion's.
    assertThat(h.runtime.metrics().registry().find(SegmenterMetrics.SEGMENT_POPULATION).gauges())
        .extracting(g -> Integer.parseInt(g.getId().getTag("segment_id")))
        .isNotEmpty().allSatisfy(id -> assertThat(id).isGreaterThanOrEqualTo(ALT_BASE));

    // Their next events change nothing more: the switch happened once.
    h.pipe(Events.view("c-1", "v-2", "s-2", NOW.minus(Duration.ofDays(1)).plusSeconds(300)));
    assertThat(h.drainChanges()).noneMatch(c -> c.getReason() == ChangeReason.STRATEGY);

    // And back: the default strategy takes over again, from the segments it kept assigning meanwhile.
    promote(StrategySpec.DEFAULT, 3);
    h.pipe(Events.view("someone-else", "v-3", "s-3", NOW.minus(Duration.ofDays(1)).plusSeconds(400)));
    List<SegmentChange> back = h.drainChanges().stream().filter(c -> customers.contains(c.getCustomerId())).toList();
    assertThat(back).hasSize(3).allSatisfy(c -> {
      assertThat(c.getReason()).isEqualTo(ChangeReason.STRATEGY);
      assertThat(c.getNewSegment().getId()).isLessThan(ALT_BASE);
    });
  }

  @Test
  void customersWithoutAStrategyStateAreSwitchedByTheRangeOfTheirSegmentId() {
    TopologyHarness h = withTwoStrategies();
    SeedModels.orders("c-1", 20, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    SeedModels.orders("c-2", 1, 1, NOW.minus(Duration.ofDays(2)), "40").forEach(h::pipe);
    h.drainChanges();
    // As for customers last seen before challengers were turned on: no strategy state at all.
    var store = h.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.STRATEGY_STORE);
    store.delete("c-1");
    store.delete("c-2");
    promote(ALT, 2);
    h.pipe(Events.view("someone-else", "v-1", "s-1", NOW.minus(Duration.ofDays(1)).plusSeconds(120)));
    List<SegmentChange> moved = h.drainChanges().stream().filter(c -> !c.getCustomerId().equals("someone-else")).toList();
    assertThat(moved).hasSize(2).allSatisfy(c -> {
      assertThat(c.getReason()).isEqualTo(ChangeReason.STRATEGY);
      assertThat(c.getPreviousSegment().getId()).isLessThan(ALT_BASE);
      assertThat(c.getNewSegment().getId()).isGreaterThanOrEqualTo(ALT_BASE);
    });
  }

  @Test
  void badRecordsOnTheControlTopicOrAChallengersModelTopicAreSkippedAndNothingStops() {
    TopologyHarness h = withTwoStrategies();
    promote("gone", 2);
    control.pipeInput(ChampionRecords.KEY, "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8), NOW);
    assertThat(h.runtime.strategies().champion()).isEqualTo(StrategySpec.DEFAULT);
    // Junk on the challenger's own model topic: skipped like junk on the default one, its version stays.
    h.driver.createInputTopic(h.topic(SegmenterConfig.TOPIC_MODEL) + "." + ALT, Serdes.String().serializer(),
        Serdes.ByteArray().serializer()).pipeInput(SegmenterTopology.MODEL_KEY, new byte[] {1, 2, 3}, NOW);
    assertThat(h.runtime.strategies().holder(ALT).current().version()).isEqualTo(1);
    SeedModels.orders("c-1", 3, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    assertThat(strategies("c-1").assignment(ALT).segment()).isGreaterThanOrEqualTo(ALT_BASE);
    assertThat(h.drainChanges()).isNotEmpty().allSatisfy(c -> assertThat(c.getReason()).isNotEqualTo(ChangeReason.STRATEGY));
  }

  @Test
  void windowsThatEndAreTalliedForEveryStrategyByTheSegmentHeldAtTheirStart() {
    TopologyHarness h = withTwoStrategies();
    // An order every 10 days over 120 days: several 30-day windows begin and end, each with orders.
    SeedModels.orders("c-1", 13, 10, NOW.minus(Duration.ofDays(1)), "50").forEach(h::pipe);
    Map<String, Map<Integer, OutcomeTally>> tallies =
        OutcomeStore.read(h.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.OUTCOMES_STORE));
    assertThat(tallies).containsOnlyKeys(StrategySpec.DEFAULT, ALT);
    long windows = tallies.get(StrategySpec.DEFAULT).values().stream().mapToLong(OutcomeTally::windows).sum();
    assertThat(windows).isBetween(2L, 4L);
    assertThat(tallies.get(ALT).values().stream().mapToLong(OutcomeTally::windows).sum()).isEqualTo(windows);
    assertThat(tallies.get(ALT).values()).allSatisfy(t -> assertThat(t.purchasingWindows()).isEqualTo(t.windows()));
  }

  @Test
  void anErasureDeletesTheCustomersStrategyState() {
    TopologyHarness h = withTwoStrategies();
    SeedModels.orders("c-9", 3, 3, NOW.minus(Duration.ofDays(1)), "120").forEach(h::pipe);
    assertThat(strategies("c-9")).isNotNull();
    h.erase("c-9", NOW);
    assertThat(strategies("c-9")).isNull();
  }
}
