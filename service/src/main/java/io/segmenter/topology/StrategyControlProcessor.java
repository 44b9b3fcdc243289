package io.segmenter.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the strategy control store (every instance has all of it) and tells {@link Strategies} which
 * strategy is the champion. Every instance reads the same one-partition topic in the same order, so
 * a promotion reaches every instance, and all of them end on the last record's champion. A record
 * that does not decode is skipped, counted and logged, like every internal record: none can stop the
 * service. Kafka Streams restores global stores before the stream threads start, so no task
 * processes a record under a champion older than the topic's.
 */
final class StrategyControlProcessor implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(StrategyControlProcessor.class);
  private final Strategies strategies;
  private final SegmenterMetrics metrics;
  private KeyValueStore<String, byte[]> store;
  private ProcessorContext<Void, Void> context;

  StrategyControlProcessor(Strategies strategies, SegmenterMetrics metrics) {
    this.strategies = strategies;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    store = context.getStateStore(SegmenterTopology.STRATEGY_GLOBAL_STORE);
    byte[] restored = store.get(ChampionRecords.KEY);
    if (restored == null) return;
    try {
      strategies.accept(ChampionRecords.decode(restored));
    } catch (RejectedRecord e) {
      metrics.internalRecordRejected("strategy", e.reason());
      LOG.error("ignoring the stored strategy control record: {} ({})", e.reason(), e.getMessage());
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    try {
      Strategies.Champion c = ChampionRecords.decode(record.value());
      if (strategies.accept(c)) store.put(ChampionRecords.KEY, record.value());
    } catch (RejectedRecord e) {
      metrics.internalRecordRejected("strategy", e.reason());
      LOG.warn("skipped the record at {} on the strategy control topic: {} ({}); '{}' stays the champion",
          context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"),
          e.reason(), e.getMessage(), strategies.champion());
    }
  }
}
