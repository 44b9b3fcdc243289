package io.segmenter.topology;

import io.segmenter.evaluation.CustomerEvaluator;
import io.segmenter.evaluation.Decision;
import io.segmenter.evaluation.Decision.TrainingPoint;
import io.segmenter.evaluation.EvaluatorSettings;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentAssigner;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.strategy.CustomerStrategies;
import io.segmenter.strategy.OutcomeWindows;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a customer's step that belongs to the strategies (docs/STRATEGIES.md), around the
 * champion's evaluation: {@link #begin} before it (a promotion not yet carried out for this customer
 * is carried out on the profile; outcome windows that ended are tallied), {@link #finish} after it
 * (each challenger assigns the customer from the same features, with its own model and hysteresis,
 * and takes its training point; the order counts in the customer's window). Everything it writes
 * goes through the task's stores in the same step, so the same transaction, as the champion's change.
 * Only used with challengers: without them nothing here is on the hot path.
 */
final class StrategyStep {
  private final Strategies strategies;
  private final TaskStores stores;
  private final EvaluatorSettings evaluator;
  private final Map<String, Integer> sampleCaps = new HashMap<>();
  /** The strategies these settings run. */
  private final Set<String> runs;
  private final Map<String, ModelSnapshot> restrictedFor = new HashMap<>();
  private final Map<String, Set<Integer>> restricted = new HashMap<>();

  StrategyStep(Strategies strategies, TaskStores stores, TopologySettings settings) {
    this.strategies = strategies;
    this.stores = stores;
    this.evaluator = settings.evaluator();
    for (var s : strategies.settings()) sampleCaps.put(s.name(), s.model().sampleCap());
    runs = Set.copyOf(strategies.names());
  }

  /** One customer's strategy state during a step. */
  static final class Visit {
    final CustomerStrategies state;
    private final byte[] before;
    /** The champion of this step (read once: a promotion arriving mid-step waits for the next). */
    private final String champion;
    /** The segment last emitted under the previous champion, when this step carries out a promotion. */
    int switchedFrom = CustomerEvaluator.NO_SWITCH;
    /** Whether the step's order was counted in the window it closed (it fell before the boundary). */
    private boolean orderCounted;
    /** A promotion waits for the new champion's model here: the step evaluates with no model. */
    boolean deferred;

    private Visit(CustomerStrategies state, byte[] before, String champion) {
      this.state = state;
      this.before = before;
      this.champion = champion;
    }
  }

  /**
   * Before the evaluation, on the profile as stored (null for a customer not seen before).
   *
   * @param champion the champion for this whole step, and {@code model} its model (null before its first)
   * @param now the moment the customer is evaluated at
   * @param event the step's event (an order in the window that ends is counted there), or null
   */
  Visit begin(String customerId, CustomerProfile profile, String champion, ModelSnapshot model, long now,
      Object event, long eventTime) {
    byte[] stored = stores.strategies().read(customerId);
    Visit v = new Visit(stores.strategies().decode(stored), stored, champion);
    CustomerStrategies s = v.state;
    // A challenger taken out of the settings: what the customer's state kept of it goes.
    for (String name : List.copyOf(s.names())) {
      if (!runs.contains(name)) s.forget(name);
    }
    String holds = strategies.holderOf(s.champion(), profile == null ? CustomerProfile.NO_SEGMENT : profile.segmentId());
    Map<String, Integer> held = new HashMap<>();
    for (String name : s.names()) {
      CustomerStrategies.Assignment a = s.assignment(name);
      if (!name.equals(holds) && a != null && a.segment() >= 0) held.put(name, a.segment());
    }
    if (profile != null && profile.segmentId() >= 0) held.put(holds, profile.segmentId());
    // An order of the window that ends now belongs to it, even when the clock is already past its end.
    double amount = placedAmount(event);
    if (!Double.isNaN(amount) && s.windowBegun() && eventTime >= s.windowStart()
        && eventTime < s.windowStart() + OutcomeWindows.WINDOW_MS) {
      OutcomeWindows.onOrder(s, eventTime, amount);
      v.orderCounted = true;
    }
    for (var closed : OutcomeWindows.visit(s, now, held)) stores.outcomes().add(closed);
    if (profile == null || holds.equals(champion)) {
      s.champion(champion);
      return v;
    }
    CustomerStrategies.Assignment own = s.assignment(champion);
    // The new champion has no model on this instance yet, or an older one than the version that
    // placed the customer there (its global store lags): the customer keeps the segment they hold, and
    // is switched at a later evaluation. A customer's model version never goes back.
    if (model == null || own != null && model.version() < own.modelVersion()) {
      s.champion(holds);
      v.deferred = true;
      return v;
    }
    s.put(holds, new CustomerStrategies.Assignment(profile.segmentId(), profile.assignedModelVersion()));
    s.remove(champion);
    s.champion(champion);
    v.switchedFrom = profile.segmentId();
    profile.setSegmentId(own == null ? CustomerProfile.NO_SEGMENT : own.segment());
    profile.setAssignedModelVersion(own == null ? CustomerProfile.NO_MODEL : own.modelVersion());
    return v;
  }

  /**
   * After the evaluation: the challengers' assignments and training points, the order's outcome, and
   * the state written when it changed.
   *
   * @param tick whether this was a re-evaluation (no event): a segment change then is a quiet one
   * @param event the event of the step, or null for a re-evaluation
   * @param panelKey the customer's panel key ({@link io.segmenter.model.CustomerKey})
   */
  void finish(String customerId, Visit v, Decision d, boolean tick, Object event, long eventTime, long panelKey) {
    CustomerStrategies s = v.state;
    // The strategy whose segment the profile holds after this step: the champion, or, while a
    // promotion waits for the new champion's model here, the previous one.
    String holds = s.champion();
    if (tick && d.change() != null && d.change().segmentChanged() && d.change().reason() != ChangeReason.STRATEGY
        && d.change().previousSegment() >= 0) {
      OutcomeWindows.onQuietChange(s, holds);
    }
    CustomerProfile p = d.profile();
    boolean active = p.lastOrderAt() != CustomerProfile.NONE && d.now() - p.lastOrderAt() <= evaluator.activeWindowMs();
    for (String name : strategies.names()) {
      if (name.equals(holds)) continue;
      ModelSnapshot model = strategies.holder(name).current();
      if (model == null) {
        // Before its first version a strategy learns from the same points as everyone (warm-up).
        if (d.point() != null && !name.equals(v.champion)) {
          stores.batch(name).add(new TrainingPoint(d.features(), -1, d.point().time(), evaluator.warmupPoints()), panelKey);
        }
        continue;
      }
      CustomerStrategies.Assignment before = s.assignment(name);
      int previous = before == null ? CustomerProfile.NO_SEGMENT : before.segment();
      // A version older than the one that placed the customer (a global store that lags) is not used.
      if (before != null && model.version() < before.modelVersion()) continue;
      SegmentAssigner.Decision a = SegmentAssigner.decide(previous, model.standardise(d.features()), model.kmeans(),
          evaluator.hysteresisMargin(), active ? Set.of() : recentBuyersOnly(name, model));
      if (a.segmentId() != previous) {
        s.put(name, new CustomerStrategies.Assignment(a.segmentId(), model.version()));
        if (tick && previous >= 0) OutcomeWindows.onQuietChange(s, name);
      }
      if (d.point() != null) {
        stores.batch(name).add(new TrainingPoint(d.features(), a.nearestId(), d.point().time(), sampleCaps.get(name)),
            panelKey);
      }
      if (d.summary() != null) stores.batch(name).offer(d.summary(), d.now());
    }
    double amount = placedAmount(event);
    if (!Double.isNaN(amount) && !v.orderCounted) OutcomeWindows.onOrder(s, eventTime, amount);
    stores.strategies().writeIfChanged(customerId, s, v.before);
  }

  /** The amount of a placed order, NaN for anything else (returns and cancellations are not purchases). */
  private static double placedAmount(Object event) {
    if (event instanceof OrderEvent order && order.getStatus() == OrderStatus.PLACED) {
      return order.getAmount() == null ? 0 : order.getAmount().doubleValue();
    }
    return Double.NaN;
  }

  /** A challenger's Champions-like centres, derived once per version (on the per-event path). */
  private Set<Integer> recentBuyersOnly(String strategy, ModelSnapshot model) {
    if (restrictedFor.get(strategy) != model) {
      restricted.put(strategy, model.recentBuyersOnly());
      restrictedFor.put(strategy, model);
    }
    return restricted.get(strategy);
  }
}
