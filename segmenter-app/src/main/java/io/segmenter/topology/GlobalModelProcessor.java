package io.segmenter.topology;

import io.segmenter.internal.ModelVersion;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global model store (every instance has all of it) and hands new versions to the tasks.
 * It is where each instance receives each version once, so the model meters (version, centre drift,
 * one population gauge per centre) are updated here.
 */
final class GlobalModelProcessor implements Processor<String, ModelVersion, Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalModelProcessor.class);
  private final ModelHolder holder;
  private final SegmenterMetrics metrics;
  private KeyValueStore<String, ModelVersion> store;

  GlobalModelProcessor(ModelHolder holder, SegmenterMetrics metrics) {
    this.holder = holder;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(SegmenterTopology.MODEL_GLOBAL_STORE);
    // The store was restored before init: the version in it is this instance's from the start.
    ModelVersion restored = store.get(SegmenterTopology.MODEL_KEY);
    if (restored != null) {
      try {
        holder.offer(ModelCodec.fromAvro(restored));
        metrics.onModel(holder.current());
      } catch (IllegalArgumentException e) {
        LOG.error("ignoring stored model version {}: {}", restored.getVersion(), e.getMessage());
      }
    }
  }

  @Override
  public void process(Record<String, ModelVersion> record) {
    if (record.value() == null) return;
    try {
      holder.offer(ModelCodec.fromAvro(record.value()));
      metrics.onModel(holder.current());
      store.put(record.key(), record.value());
      LOG.info("model version {} loaded ({} centres)", record.value().getVersion(), record.value().getCentres().size());
    } catch (IllegalArgumentException e) {
      // A model built on other features (another release) must not be used; keep the current one.
      LOG.error("ignoring model version {}: {}", record.value().getVersion(), e.getMessage());
    }
  }
}
