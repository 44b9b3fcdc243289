package io.segmenter.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.strategy.OutcomeTally;
import io.segmenter.strategy.Separation;
import io.segmenter.topology.OutcomeStore;
import io.segmenter.topology.SegmenterTopology;
import io.segmenter.topology.Strategies;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's part of the strategies' comparison: the outcome tallies of its tasks (read from the
 * strategy-outcomes store at each call: a few keys per segment) and the separation of each strategy on
 * a sample of its customers (one scan of the profiles, kept {@value #SAMPLE_MS} ms, since a scan reads
 * every local profile and the populations round asks for this part each time). Also this instance's
 * strategy metrics, labelled by strategy only (at most three).
 */
final class StrategyBoard {
  static final long SAMPLE_MS = 30_000;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StrategyBoard.class);
  /** How long a metrics read of the tallies serves the other gauges of the same scrape. */
  private static final long METRICS_MEMO_MS = 1_000;

  /** The local stores by name; throws {@link InvalidStateStoreException} while they cannot be read. */
  interface Stores {
    ReadOnlyKeyValueStore<String, byte[]> keyValue(String name);

    /** The active tasks' stores of these streams (not the standbys'). */
    static Stores of(KafkaStreams streams) {
      return name -> streams.store(StoreQueryParameters.fromNameAndType(name,
          QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }
  }

  private final OpsContext ctx;
  private final Stores stores;
  private final ApplicationClock clock;
  private final LongSupplier wall;
  /** Per process, as the segment map's: which customers are sampled is not guessable from their ids. */
  private final long salt = new SecureRandom().nextLong();
  private Sampled sampled;
  private volatile Memo memo;

  private record Sampled(long atMs, Map<String, Separation> separations) { }

  private record Memo(long atMs, Map<String, OutcomeTally> totals) { }

  StrategyBoard(OpsContext ctx, Stores stores, ApplicationClock clock, LongSupplier wall) {
    this.ctx = ctx;
    this.stores = stores;
    this.clock = clock;
    this.wall = wall;
  }

  Strategies strategies() {
    return ctx.runtime().strategies();
  }

  /** Whether challengers run here (otherwise there is nothing to compare: /strategies is 404). */
  boolean comparing() {
    return strategies().comparing();
  }

  /**
   * This instance's figures; null without challengers, or while its stores cannot be read
   * (rebalancing), or when reading them failed: the populations round carries this part beside
   * /segments' populations, which must not fail with it.
   */
  StrategyFigures local() {
    if (!comparing()) return null;
    try {
      return new StrategyFigures(OutcomeStore.read(stores.keyValue(SegmenterTopology.OUTCOMES_STORE)), separations());
    } catch (InvalidStateStoreException e) {
      return null;
    } catch (RuntimeException e) {
      LOG.warn("this instance's strategy figures could not be read: {}", e.toString());
      return null;
    }
  }

  /** The separations of the cached sample, or of a new one when it is {@value #SAMPLE_MS} ms old. */
  private synchronized Map<String, Separation> separations() {
    long now = wall.getAsLong();
    if (sampled != null && now - sampled.atMs() < SAMPLE_MS) return sampled.separations();
    Map<String, ModelSnapshot> models = new LinkedHashMap<>();
    for (String name : strategies().names()) {
      ModelSnapshot m = strategies().holder(name).current();
      if (m != null) models.put(name, m);
    }
    // The application clock follows the champion's model (the versions the tasks assign with).
    ModelSnapshot reference = ctx.runtime().model().current();
    try (KeyValueIterator<String, byte[]> all = stores.keyValue(SegmenterTopology.PROFILES_STORE).all()) {
      sampled = new Sampled(now, StrategySample.separations(all, models, ctx.config().evaluatorSettings().profile(),
          p -> clock.nowFor(p, reference, now), StrategySample.SIZE, salt));
    }
    return sampled.separations();
  }

  /**
   * segmenter_strategy_champion{strategy} and this instance's share of the outcome tallies per
   * strategy (sums over its tasks: they move with the tasks, hence gauges).
   */
  void bindMetrics(MeterRegistry meters) {
    if (!comparing()) return;
    for (String name : strategies().names()) {
      Gauge.builder("segmenter.strategy.champion", this, b -> b.strategies().champion().equals(name) ? 1 : 0)
          .tag("strategy", name).description("1 for the strategy whose segments are emitted, 0 for a challenger")
          .register(meters);
      gauge(meters, "segmenter.strategy.outcome.windows", name, OutcomeTally::windows,
          "Closed 30-day customer-windows tallied for the strategy, in the tasks this instance runs");
      gauge(meters, "segmenter.strategy.outcome.purchasing.windows", name, OutcomeTally::purchasingWindows,
          "Of those windows, the ones with at least one order");
      gauge(meters, "segmenter.strategy.outcome.orders", name, OutcomeTally::orders, "Orders in those windows");
      gauge(meters, "segmenter.strategy.outcome.revenue", name, OutcomeTally::revenue, "Revenue of those windows");
      gauge(meters, "segmenter.strategy.outcome.quiet.changes", name, OutcomeTally::quietChanges,
          "Moves of those windows' customers at a re-check without an event (model drift)");
    }
  }

  private void gauge(MeterRegistry meters, String metric, String strategy, ToDoubleFunction<OutcomeTally> figure,
      String description) {
    Gauge.builder(metric, this, b -> figure.applyAsDouble(b.totals().getOrDefault(strategy, OutcomeTally.ZERO)))
        .tag("strategy", strategy).description(description).register(meters);
  }

  /** Per strategy, this instance's tallies summed over segments; empty while the store cannot be read. */
  private Map<String, OutcomeTally> totals() {
    long now = wall.getAsLong();
    Memo m = memo;
    if (m != null && now - m.atMs() < METRICS_MEMO_MS) return m.totals();
    Map<String, OutcomeTally> totals = new LinkedHashMap<>();
    try {
      OutcomeStore.read(stores.keyValue(SegmenterTopology.OUTCOMES_STORE)).forEach((strategy, segments) ->
          totals.put(strategy, segments.values().stream().reduce(OutcomeTally.ZERO, OutcomeTally::plus)));
    } catch (InvalidStateStoreException e) {
      // Not running or rebalancing: nothing of this instance to report now.
    }
    memo = new Memo(now, totals);
    return totals;
  }
}
