package io.segmenter.topology;

import io.segmenter.model.ModelSnapshot;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global model store (every instance has all of it) and hands new versions to the tasks.
 * It reads raw bytes and decodes and checks them itself ({@link InternalRecordCheck}): a record that
 * does not decode, or is impossible (NaN centres, the wrong shape, a version not newer than the one
 * in force), is skipped, counted and logged with its position, and the last good model stays in
 * force; the store only ever holds a version that passed. A Kafka deserializer that threw here would
 * kill the global thread, and with it the instance, on every restart (Kafka Streams restores a global
 * store through this processor too). It is where each instance receives each version once, so the
 * model meters (version, centre drift, one population gauge per centre) are updated here.
 */
final class GlobalModelProcessor implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalModelProcessor.class);
  private final ModelHolder holder;
  private final SegmenterMetrics metrics;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, byte[]> store;

  private final String storeName;
  private final String strategy;
  /** Whether this strategy is the champion now: only the champion's versions feed the model meters. */
  private final java.util.function.BooleanSupplier champion;

  GlobalModelProcessor(ModelHolder holder, SegmenterMetrics metrics) {
    this(holder, metrics, SegmenterTopology.MODEL_GLOBAL_STORE, io.segmenter.strategy.StrategySpec.DEFAULT, () -> true);
  }

  /** For one strategy's model topic and global store (docs/STRATEGIES.md). */
  GlobalModelProcessor(ModelHolder holder, SegmenterMetrics metrics, String storeName, String strategy,
      java.util.function.BooleanSupplier champion) {
    this.strategy = strategy;
    this.holder = holder;
    this.metrics = metrics;
    this.storeName = storeName;
    this.champion = champion;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    store = context.getStateStore(storeName);
    // The store was restored before init: the version in it is this instance's from the start.
    byte[] restored = store.get(SegmenterTopology.MODEL_KEY);
    if (restored == null) return;
    try {
      holder.offer(InternalRecordCheck.modelVersion(restored, -1));
      seen(holder.current());
    } catch (RejectedRecord e) {
      // Only possible for a store written by another release: the next version on the topic replaces it.
      metrics.internalRecordRejected("model", e.reason());
      LOG.error("ignoring the stored model version: {} ({})", e.reason(), e.getMessage());
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ModelSnapshot held = holder.current();
    try {
      ModelSnapshot next = InternalRecordCheck.modelVersion(record.value(), held == null ? -1 : held.version());
      holder.offer(next);
      seen(holder.current());
      store.put(SegmenterTopology.MODEL_KEY, record.value());
      LOG.info("model version {} loaded ({} centres{})", next.version(), next.kmeans().centres().size(),
          storeName.equals(SegmenterTopology.MODEL_GLOBAL_STORE) ? "" : ", " + storeName);
    } catch (RejectedRecord e) {
      metrics.internalRecordRejected("model", e.reason());
      LOG.warn("skipped the record at {} on the model topic: {} ({}); model version {} stays in force", where(),
          e.reason(), e.getMessage(), held == null ? "none" : held.version());
    }
  }

  /**
   * The champion's versions feed the model meters; a challenger's only the names seen, so that its
   * segments keep their names in GET /strategies after its model retires them.
   */
  private void seen(ModelSnapshot model) {
    if (champion.getAsBoolean()) metrics.onModel(strategy, model);
    else metrics.namesSeen(model);
  }

  private String where() {
    return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
  }
}
