package io.segmenter.topology;

import io.segmenter.internal.ModelVersion;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the global model store (every instance has all of it) and hands new versions to the tasks. */
final class GlobalModelProcessor implements Processor<String, ModelVersion, Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalModelProcessor.class);
  private final ModelHolder holder;
  private KeyValueStore<String, ModelVersion> store;

  GlobalModelProcessor(ModelHolder holder) {
    this.holder = holder;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(SegmenterTopology.MODEL_GLOBAL_STORE);
  }

  @Override
  public void process(Record<String, ModelVersion> record) {
    if (record.value() == null) return;
    try {
      holder.offer(ModelCodec.fromAvro(record.value()));
      store.put(record.key(), record.value());
      LOG.info("model version {} loaded ({} centres)", record.value().getVersion(), record.value().getCentres().size());
    } catch (IllegalArgumentException e) {
      // A model built on other features (another release) must not be used; keep the current one.
      LOG.error("ignoring model version {}: {}", record.value().getVersion(), e.getMessage());
    }
  }
}
