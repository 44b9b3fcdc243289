package io.segmenter.topology;

import io.segmenter.config.StrategySettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * The segmenting task's stores, each behind the one wrapper that owns it. Each strategy has its own
 * mini-batch (its own training points, by its own nearest centres); the strategy stores exist only
 * with challengers, the campaign-outcomes store only with segmenter.topic.outcomes (null otherwise).
 */
record TaskStores(ProfileStore profiles, InactivityIndex index, MembershipIndex members,
    Map<String, MiniBatchBuffer> batches, ChangeHistoryStore history, StrategyStore strategies,
    OutcomeStore outcomes, CampaignOutcomeStore campaigns) implements AutoCloseable {

  static TaskStores open(ProcessingContext context, TopologySettings settings, SegmenterRuntime runtime) {
    StoreWriteHook hook = runtime.writeHook();
    long seed = settings.model().seed() ^ context.taskId().toString().hashCode();
    Map<String, MiniBatchBuffer> batches = new LinkedHashMap<>();
    for (StrategySettings s : runtime.strategies().settings()) {
      batches.put(s.name(), new MiniBatchBuffer(context.getStateStore(SegmenterTopology.batchStore(s)), hook, seed,
          settings.clv().summariesPerDelta()));
    }
    if (batches.isEmpty()) {
      // A runtime not configured by a topology build (unit tests of one processor): the default strategy alone.
      batches.put(io.segmenter.strategy.StrategySpec.DEFAULT, new MiniBatchBuffer(
          context.getStateStore(SegmenterTopology.BATCH_STORE), hook, seed, settings.clv().summariesPerDelta()));
    }
    boolean comparing = runtime.strategies().comparing();
    return new TaskStores(
        new ProfileStore(context.getStateStore(SegmenterTopology.PROFILES_STORE), hook, settings.profilesRemembered()),
        new InactivityIndex(context.getStateStore(SegmenterTopology.DUE_STORE), hook),
        new MembershipIndex(context.getStateStore(SegmenterTopology.MEMBERS_STORE), hook, runtime.populations()),
        Collections.unmodifiableMap(batches),
        new ChangeHistoryStore(context.getStateStore(SegmenterTopology.HISTORY_STORE), hook, settings.historyMaxChanges()),
        comparing ? new StrategyStore(context.getStateStore(SegmenterTopology.STRATEGY_STORE), hook) : null,
        comparing ? new OutcomeStore(context.getStateStore(SegmenterTopology.OUTCOMES_STORE), hook) : null,
        settings.outcomes() ? new CampaignOutcomeStore(context.getStateStore(SegmenterTopology.CAMPAIGN_STORE), hook,
            settings.maxCampaigns()) : null);
  }

  /** The mini-batch of {@code strategy}. */
  MiniBatchBuffer batch(String strategy) {
    MiniBatchBuffer b = batches.get(strategy);
    if (b == null) throw new IllegalStateException("no mini-batch for strategy '" + strategy + "'");
    return b;
  }

  @Override
  public void close() {
    members.close();
  }
}
