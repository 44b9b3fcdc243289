package io.segmenter.topology;

import io.segmenter.evaluation.CustomerEvaluator;
import io.segmenter.evaluation.Decision;
import io.segmenter.evaluation.MemberLists;
import io.segmenter.model.CustomerKey;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;

/**
 * The punctuator's work: re-evaluates the customers whose check is due, oldest first, at most
 * {@code maxPerTick} of them per tick, and books extra re-evaluations when a new model version
 * calls for them. Only the due entries and the members concerned are read, never every profile.
 */
final class InactivityCheck {
  private final TopologySettings settings;
  private final CustomerEvaluator evaluator;
  private final TaskStores stores;
  private final DecisionApplier applier;
  /** The model version this task last looked at, to notice a new one. */
  private ModelSnapshot seenModel;
  /** Whether customers seen before any model (list UNASSIGNED) were made due since the task started. */
  private boolean unassignedChecked;

  /**
   * @param model the model the task starts with: its members are assumed to fit it; a rename missed
   *     while the task was down is caught by the routine re-check (at most one interval late)
   */
  /** Null without challengers. */
  private final StrategyStep strategies;
  private final long seed;

  InactivityCheck(TopologySettings settings, CustomerEvaluator evaluator, TaskStores stores, DecisionApplier applier,
      ModelSnapshot model, StrategyStep strategies) {
    this.strategies = strategies;
    this.seed = settings.model().seed();
    this.settings = settings;
    this.evaluator = evaluator;
    this.stores = stores;
    this.applier = applier;
    this.seenModel = model;
  }

  /** Whether {@code model} calls for a re-check this task has not made yet (see {@link #run}). */
  boolean isNew(ModelSnapshot model) {
    return model != null && (model != seenModel || !unassignedChecked);
  }

  /** @param champion the champion for this whole tick, {@code model} its model (see SegmentingProcessor) */
  void run(String champion, ModelSnapshot model, long now, long wall) {
    checkModelChange(model, now);
    for (Bytes key : stores.index().takeDue(now, settings.maxPerTick())) {
      String customerId = DueIndex.customerId(key);
      CustomerProfile profile = stores.profiles().get(customerId);
      if (profile == null) {
        stores.index().remove(key);
        continue;
      }
      StrategyStep.Visit visit = strategies == null ? null
          : strategies.begin(customerId, profile, champion, model, now, null, now);
      Decision d = evaluator.onTick(profile, DueIndex.dueAt(key), visit != null && visit.deferred ? null : model, now,
          visit == null ? CustomerEvaluator.NO_SWITCH : visit.switchedFrom);
      if (visit != null) strategies.finish(customerId, visit, d, true, null, now, CustomerKey.of(seed, customerId));
      applier.applyTick(customerId, d, key, wall, champion);
    }
  }

  /**
   * Reacts to a new model version. The first one: customers who arrived before any model are made
   * due now, to get their segment at once. Later ones: when a version turns a centre Champions-like
   * (names follow the centres as they move), its members, who may no longer belong there, are made
   * due now, so that the eligibility rule holds from this punctuation on, not from their next routine
   * check. And the members of any centre the version no longer has (re-seeded away, whichever
   * version did it) hold a segment that is gone: they are made due now too, rather than keeping it
   * until their routine re-check.
   */
  private void checkModelChange(ModelSnapshot model, long now) {
    if (model == null || model == seenModel && unassignedChecked) return;
    Set<Integer> recheck = new TreeSet<>();
    if (seenModel != null && model != seenModel) {
      recheck.addAll(evaluator.recentBuyersOnly(model));
      recheck.removeAll(seenModel.recentBuyersOnly());
    }
    for (int list : stores.members().nonEmptyLists()) {
      if (MemberLists.isCentre(list) && model.kmeans().centre(list) == null) recheck.add(list);
    }
    // Once per task lifetime with a model (normally an empty list after the first version).
    if (!unassignedChecked) recheck.add(MemberLists.UNASSIGNED);
    unassignedChecked = true;
    seenModel = model;
    for (int list : recheck) {
      for (String id : stores.members().members(list)) stores.index().book(now, id);
    }
  }
}
