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
 * The segment catalog through promotions (issue 21: "the catalog updated"): both strategies learn
 * their models from generator data in the real topology; on day 15 the challenger is promoted by a
 * record on the control topic, on day 28 the default is promoted back. The catalog describes the
 * segments customers are given, so before the first promotion it holds only the default's segments;
 * once both have cut a version after a promotion, every segment of the new champion is ACTIVE in it
 * and every one of the old champion's RETIRED, once each; segments promoted back are ACTIVE again
 * with a CREATED event.
 */
class StrategyCatalogTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final String ALT = "alt";
  private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void aPromotionPublishesTheNewChampionsSegmentsAndRetiresTheOldOnes() {
    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(150).withSpan(Duration.ofDays(40)).withStart(START).withSeed(3));
    long toAlt = START.plus(Duration.ofDays(15)).toEpochMilli();
    long back = START.plus(Duration.ofDays(28)).toEpochMilli();
    int base = StrategySpec.idBase(ALT);
    Map<Integer, SegmentCatalogEntry> latest = new HashMap<>();
    Map<Integer, Integer> retiredRecords = new HashMap<>();
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(),
        TopologyHarness.historyReplay(Map.of(SegmenterConfig.MODEL_K, 3, SegmenterConfig.STRATEGY_CHALLENGERS, ALT + ": k=4",
            SegmenterConfig.CLV_ENABLED, false)), START)) {
      TestInputTopic<String, byte[]> control = h.driver.createInputTopic(h.topic(SegmenterConfig.TOPIC_STRATEGY),
          Serdes.String().serializer(), Serdes.ByteArray().serializer());
      int promotions = 0;
      long events = 0;
      for (GeneratedEvent e : generator) {
        if (promotions == 0 && e.occurredAtMs() >= toAlt) {
          drain(h, latest, retiredRecords);
          assertThat(latest).as("catalog before the promotion").isNotEmpty()
              .allSatisfy((id, entry) -> assertThat(id).as("the champion's segments only").isLessThan(base));
          assertThat(h.runtime.strategies().holder(ALT).current()).as("a model of %s", ALT).isNotNull();
          promote(h, control, ALT, 2, toAlt);
          promotions++;
        } else if (promotions == 1 && e.occurredAtMs() >= back) {
          drain(h, latest, retiredRecords);
          assertCatalogOf(h, ALT, StrategySpec.DEFAULT, latest, retiredRecords);
          retiredRecords.clear();
          promote(h, control, StrategySpec.DEFAULT, 3, back);
          promotions++;
        }
        h.pipe(e.event());
        if (++events % 2000 == 0) drain(h, latest, retiredRecords);
      }
      drain(h, latest, retiredRecords);
      assertThat(promotions).isEqualTo(2);
      assertCatalogOf(h, StrategySpec.DEFAULT, ALT, latest, retiredRecords);
      ModelSnapshot again = h.runtime.strategies().holder(StrategySpec.DEFAULT).current();
      assertThat(again.kmeans().centres()).as("the default's segments, promoted back")
          .anySatisfy(c -> assertThat(last(latest.get(c.id()))).isEqualTo(SegmentEventKind.CREATED));
    }
  }

  private static void promote(TopologyHarness h, TestInputTopic<String, byte[]> control, String name, long epoch, long at) {
    String from = h.runtime.strategies().champion();
    control.pipeInput(ChampionRecords.KEY, ChampionRecords.encode(new Strategies.Champion(name, epoch, from, "http", at)),
        Instant.ofEpochMilli(at));
    assertThat(h.runtime.strategies().champion()).isEqualTo(name);
  }

  /**
   * Every segment of the champion's model ACTIVE under its name; every one of the demoted strategy's
   * RETIRED (or MERGED) without a centre, each retired by one record since the promotion.
   */
  private static void assertCatalogOf(TopologyHarness h, String champion, String demoted,
      Map<Integer, SegmentCatalogEntry> latest, Map<Integer, Integer> retiredRecords) {
    ModelSnapshot model = h.runtime.strategies().holder(champion).current();
    for (Centre c : model.kmeans().centres()) {
      assertThat(latest.get(c.id())).as("catalog entry of %s's segment %d", champion, c.id()).isNotNull()
          .satisfies(entry -> {
            assertThat(entry.getStatus()).isEqualTo(SegmentStatus.ACTIVE);
            assertThat(entry.getName()).isEqualTo(model.name(c.id()));
          });
    }
    int base = StrategySpec.idBase(demoted);
    Map<Integer, SegmentCatalogEntry> old = new HashMap<>();
    latest.forEach((id, entry) -> {
      if (id >= base && id < base + StrategySpec.ID_RANGE) old.put(id, entry);
    });
    assertThat(old).as("%s's entries", demoted).isNotEmpty().allSatisfy((id, entry) -> {
      assertThat(entry.getStatus()).as("segment %d of %s", id, demoted).isIn(SegmentStatus.RETIRED, SegmentStatus.MERGED);
      assertThat(entry.getCentre()).isEmpty();
    });
    assertThat(old.values()).as("retired with their strategy, the RETIRED event in their history")
        .anySatisfy(entry -> assertThat(last(entry)).isEqualTo(SegmentEventKind.RETIRED));
    assertThat(retiredRecords).as("RETIRED records since the promotion, per segment (one scan, not one per version)")
        .allSatisfy((id, n) -> assertThat(n).as("segment %d", id).isEqualTo(1));
    System.out.printf("StrategyCatalogTest: %s champion, %d segments ACTIVE; %d of %s RETIRED or MERGED%n", champion,
        model.kmeans().centres().size(), old.size(), demoted);
  }

  private static SegmentEventKind last(SegmentCatalogEntry entry) {
    return entry.getHistory().get(entry.getHistory().size() - 1).getKind();
  }

  /** Reads the outputs (a TopologyTestDriver keeps them until read): the catalog's latest entry per segment. */
  private static void drain(TopologyHarness h, Map<Integer, SegmentCatalogEntry> latest,
      Map<Integer, Integer> retiredRecords) {
    h.discardOutputs();
    h.catalog.readKeyValuesToList().forEach(kv -> {
      int id = Integer.parseInt(kv.key);
      latest.put(id, kv.value);
      if (kv.value.getStatus() == SegmentStatus.RETIRED) retiredRecords.merge(id, 1, Integer::sum);
    });
  }
}
