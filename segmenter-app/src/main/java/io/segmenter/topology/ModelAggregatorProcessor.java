package io.segmenter.topology;

import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Features;
import io.segmenter.model.ModelAggregator;
import io.segmenter.model.ModelSnapshot;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The single model aggregator: reads the one-partition model-deltas topic (so exactly one task of
 * the whole application runs it) and writes each new version to the compacted model topic. Its
 * state (the current version and the pending deltas) lives in a changelogged store, written in the
 * same transaction as the version it produces; when that store is empty it starts from the last
 * version on the model topic (via the global store), never from a counter in memory.
 */
final class ModelAggregatorProcessor implements Processor<String, ModelDelta, String, ModelVersion> {
  static final String MODEL_KEY = "model";
  static final String PENDING_KEY = "pending";

  private final ModelAggregator.Settings settings;
  private ProcessorContext<String, ModelVersion> context;
  private KeyValueStore<String, byte[]> state;
  private ModelAggregator aggregator;

  ModelAggregatorProcessor(ModelAggregator.Settings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, ModelVersion> context) {
    this.context = context;
    state = context.getStateStore(SegmenterTopology.AGGREGATOR_STORE);
    ReadOnlyKeyValueStore<String, ModelVersion> global = context.getStateStore(SegmenterTopology.MODEL_GLOBAL_STORE);
    byte[] model = state.get(MODEL_KEY);
    ModelVersion current = model != null ? ModelCodec.version(model) : global.get(SegmenterTopology.MODEL_KEY);
    byte[] pending = state.get(PENDING_KEY);
    aggregator = new ModelAggregator(settings, Features.DIMENSION,
        current == null ? null : ModelCodec.fromAvro(current),
        pending == null ? null : ModelCodec.fromAvro(ModelCodec.delta(pending)));
  }

  @Override
  public void process(Record<String, ModelDelta> record) {
    Optional<ModelSnapshot> next = aggregator.accept(ModelCodec.fromAvro(record.value()));
    state.put(PENDING_KEY, ModelCodec.bytes(ModelCodec.toAvro(aggregator.pending())));
    if (next.isEmpty()) return;
    ModelVersion version = ModelCodec.toAvro(next.get());
    state.put(MODEL_KEY, ModelCodec.bytes(version));
    // Wall-clock stamp for the same reason as the deltas' (retention); createdAt is in the payload.
    context.forward(new Record<>(SegmenterTopology.MODEL_KEY, version, context.currentSystemTimeMs()));
  }
}
