package io.segmenter.topology;

import org.apache.kafka.streams.processor.api.ProcessingContext;

/** The segmenting task's stores, each behind the one wrapper that owns it. */
record TaskStores(ProfileStore profiles, InactivityIndex index, MembershipIndex members,
    MiniBatchBuffer batch, ChangeHistoryStore history) implements AutoCloseable {

  static TaskStores open(ProcessingContext context, TopologySettings settings, SegmenterRuntime runtime) {
    StoreWriteHook hook = runtime.writeHook();
    long seed = settings.model().seed() ^ context.taskId().toString().hashCode();
    return new TaskStores(
        new ProfileStore(context.getStateStore(SegmenterTopology.PROFILES_STORE), hook, settings.profilesRemembered()),
        new InactivityIndex(context.getStateStore(SegmenterTopology.DUE_STORE), hook),
        new MembershipIndex(context.getStateStore(SegmenterTopology.MEMBERS_STORE), hook, runtime.populations()),
        new MiniBatchBuffer(context.getStateStore(SegmenterTopology.BATCH_STORE), hook, seed,
            settings.clv().summariesPerDelta()),
        new ChangeHistoryStore(context.getStateStore(SegmenterTopology.HISTORY_STORE), hook, settings.historyMaxChanges()));
  }

  @Override
  public void close() {
    members.close();
  }
}
