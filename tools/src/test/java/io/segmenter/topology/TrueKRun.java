package io.segmenter.topology;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.profile.ProfileConfig;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.strategy.OutcomeTally;
import io.segmenter.strategy.Separation;
import io.segmenter.strategy.StrategyComparison;
import io.segmenter.strategy.StrategySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The generator's six personas (400 customers, 120 days) through the real topology with the default
 * strategy at k = 3 as champion and a challenger {@code true-k: k=6}, as StrategyComparisonIT runs them
 * on a broker but in one task, so that a seed gives one result: what {@link FixedKStabilityTest} and
 * {@link TrueKComparisonTest} look at. Each seed runs once per test JVM (about 20 s).
 */
record TrueKRun(long seed, List<ModelSnapshot> challengerVersions, double defaultLift, double challengerLift,
    double defaultSeparation, double challengerSeparation, int defaultCentres, int challengerCentres) {
  static final String CHALLENGER = "true-k";
  static final int K = 6;
  private static final Map<Long, TrueKRun> RUNS = new ConcurrentHashMap<>();

  static TrueKRun of(long seed, SchemaRegistryClient registry, String registryUrl) {
    return RUNS.computeIfAbsent(seed, s -> run(s, registry, registryUrl));
  }

  private static TrueKRun run(long seed, SchemaRegistryClient registry, String registryUrl) {
    Instant start = Instant.parse("2026-06-01T00:00:00Z");
    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(400).withSpan(Duration.ofDays(120)).withStart(start).withSeed(seed));
    List<ModelSnapshot> versions = new ArrayList<>();
    try (TopologyHarness h = new TopologyHarness(registry, registryUrl, TopologyHarness.historyReplay(Map.of(
        SegmenterConfig.MODEL_K, 3,
        // As StrategyComparisonIT: version 1 from further into the history than the first 1000 points.
        SegmenterConfig.MODEL_WARMUP_POINTS, 5000,
        SegmenterConfig.STRATEGY_CHALLENGERS, CHALLENGER + ": k=" + K,
        SegmenterConfig.CLV_ENABLED, false)), start)) {
      TestOutputTopic<String, ModelVersion> challengerModels = h.driver.createOutputTopic(
          h.topic(SegmenterConfig.TOPIC_MODEL) + "." + CHALLENGER, Serdes.String().deserializer(),
          InternalSerdes.modelVersions().deserializer());
      long events = 0;
      for (GeneratedEvent e : generator) {
        h.pipe(e.event());
        if (++events % 5000 == 0) {
          h.discardOutputs();
          challengerModels.readValuesToList().forEach(v -> versions.add(ModelCodec.fromAvro(v)));
        }
      }
      challengerModels.readValuesToList().forEach(v -> versions.add(ModelCodec.fromAvro(v)));
      Map<String, Map<Integer, OutcomeTally>> tallies =
          OutcomeStore.read(h.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.OUTCOMES_STORE));
      ModelSnapshot champion = h.runtime.strategies().holder(StrategySpec.DEFAULT).current();
      ModelSnapshot challenger = h.runtime.strategies().holder(CHALLENGER).current();
      List<double[]> raw = features(h, generator.end().toEpochMilli());
      return new TrueKRun(seed, versions, StrategyComparison.lift(tallies.get(StrategySpec.DEFAULT).values()),
          StrategyComparison.lift(tallies.get(CHALLENGER).values()),
          // As GET /strategies computes it (StrategySample), on every customer: 400, fewer than its sample.
          Separation.byNearestCentre(raw, champion).mean(), Separation.byNearestCentre(raw, challenger).mean(),
          champion.kmeans().centres().size(), challenger.kmeans().centres().size());
    }
  }

  /** Every customer's features at the end of the history (400 customers: StrategySample takes them all). */
  private static List<double[]> features(TopologyHarness h, long end) {
    List<double[]> raw = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> all =
        h.driver.<String, byte[]>getKeyValueStore(SegmenterTopology.PROFILES_STORE).all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> kv = all.next();
        raw.add(Features.of(ProfileCodec.decode(kv.value), end, ProfileConfig.defaults()));
      }
    }
    return raw;
  }
}
