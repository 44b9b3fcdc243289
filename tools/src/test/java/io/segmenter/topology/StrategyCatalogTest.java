package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.events.SegmentEventKind;
import io.segmenter.events.SegmentStatus;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.model.Centre;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.strategy.StrategySpec;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The segment catalog through a promotion (issue 21: "the catalog updated"): both strategies learn
 * their models from generator data in the real topology; halfway through, the challenger is promoted
 * by a record on the control topic. The catalog describes the segments customers are given, so before
 * the promotion it holds only the default's segments; after both have cut a version since, every
 * segment of the new champion is ACTIVE in it and every one of the old champion's is RETIRED.
 */
class StrategyCatalogTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final String ALT = "alt";

  @Test
  void aPromotionPublishesTheNewChampionsSegmentsAndRetiresTheOldOnes() {
    Instant start = Instant.parse("2026-06-01T00:00:00Z");
    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(150).withSpan(Duration.ofDays(40)).withStart(start).withSeed(3));
    long promoteAt = start.plus(Duration.ofDays(20)).toEpochMilli();
    int base = StrategySpec.idBase(ALT);
    Map<Integer, SegmentCatalogEntry> latest = new HashMap<>();
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.CLOCK, SegmenterConfig.CLOCK_EVENT,
        // Mock wall clock at the start, future check off: see OnlineRetailReplayTest.
        SegmenterConfig.MAX_FUTURE_MS, Long.MAX_VALUE / 4, SegmenterConfig.CLOCK_MAX_AHEAD_MS, Long.MAX_VALUE / 4,
        SegmenterConfig.MODEL_K, 3,
        SegmenterConfig.STRATEGY_CHALLENGERS, ALT + ": k=4",
        SegmenterConfig.CLV_ENABLED, false), start)) {
      TestInputTopic<String, byte[]> control = h.driver.createInputTopic(h.topic(SegmenterConfig.TOPIC_STRATEGY),
          Serdes.String().serializer(), Serdes.ByteArray().serializer());
      boolean promoted = false;
      long events = 0;
      for (GeneratedEvent e : generator) {
        if (!promoted && e.occurredAtMs() >= promoteAt) {
          assertThat(latest).as("catalog before the promotion").isNotEmpty()
              .allSatisfy((id, entry) -> assertThat(id).as("the champion's segments only").isLessThan(base));
          assertThat(h.runtime.strategies().holder(ALT).current()).as("a model of %s", ALT).isNotNull();
          control.pipeInput(ChampionRecords.KEY, ChampionRecords.encode(new Strategies.Champion(ALT, 2,
              StrategySpec.DEFAULT, "http", promoteAt)), Instant.ofEpochMilli(promoteAt));
          assertThat(h.runtime.strategies().champion()).isEqualTo(ALT);
          promoted = true;
        }
        h.pipe(e.event());
        if (++events % 2000 == 0) drain(h, latest);
      }
      drain(h, latest);
      assertThat(promoted).isTrue();

      ModelSnapshot champion = h.runtime.strategies().holder(ALT).current();
      for (Centre c : champion.kmeans().centres()) {
        assertThat(latest.get(c.id())).as("catalog entry of the new champion's segment %d", c.id()).isNotNull()
            .satisfies(entry -> {
              assertThat(entry.getStatus()).isEqualTo(SegmentStatus.ACTIVE);
              assertThat(entry.getName()).isEqualTo(champion.name(c.id()));
            });
      }
      Map<Integer, SegmentCatalogEntry> oldChampions = new HashMap<>();
      latest.forEach((id, entry) -> {
        if (id < base) oldChampions.put(id, entry);
      });
      assertThat(oldChampions).as("the old champion's entries").isNotEmpty().allSatisfy((id, entry) -> {
        assertThat(entry.getStatus()).as("segment %d of the old champion", id).isIn(SegmentStatus.RETIRED,
            SegmentStatus.MERGED);
        assertThat(entry.getCentre()).isEmpty();
      });
      assertThat(oldChampions.values()).as("retired with their strategy, the RETIRED event in their history")
          .anySatisfy(entry -> assertThat(entry.getHistory().get(entry.getHistory().size() - 1).getKind())
              .isEqualTo(SegmentEventKind.RETIRED));
      System.out.printf("StrategyCatalogTest: %d segments of %s ACTIVE, %d of the default RETIRED or MERGED%n",
          champion.kmeans().centres().size(), ALT, oldChampions.size());
    }
  }

  /** Reads the outputs (a TopologyTestDriver keeps them until read); the catalog's latest entry per segment. */
  private static void drain(TopologyHarness h, Map<Integer, SegmentCatalogEntry> latest) {
    h.drainChanges();
    h.segments.readValuesToList();
    h.models.readValuesToList();
    h.catalog.readKeyValuesToList().forEach(kv -> latest.put(Integer.parseInt(kv.key), kv.value));
  }
}
