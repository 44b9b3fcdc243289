package io.segmenter.topology;

import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Features;
import io.segmenter.model.ModelAggregator;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.clv.ClvFitter;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.SummaryReservoir;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
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
  /** Reservoir of the predictive fit: its count under this key, each slot under RESERVOIR_SLOT + index. */
  static final String RESERVOIR_SEEN_KEY = "clv-seen";
  static final String RESERVOIR_SLOT = "clv:";

  private final ModelAggregator.Settings settings;
  private final TopologySettings topology;
  private ClvFitter clv;
  private ProcessorContext<String, ModelVersion> context;
  private KeyValueStore<String, byte[]> state;
  private ModelAggregator aggregator;

  ModelAggregatorProcessor(TopologySettings topology) {
    this.settings = topology.model();
    this.topology = topology;
  }

  @Override
  public void init(ProcessorContext<String, ModelVersion> context) {
    this.context = context;
    state = context.getStateStore(SegmenterTopology.AGGREGATOR_STORE);
    ReadOnlyKeyValueStore<String, ModelVersion> global = context.getStateStore(SegmenterTopology.MODEL_GLOBAL_STORE);
    byte[] model = state.get(MODEL_KEY);
    ModelVersion current = model != null ? ModelCodec.version(model) : global.get(SegmenterTopology.MODEL_KEY);
    byte[] pending = state.get(PENDING_KEY);
    clv = topology.clvEnabled() ? new ClvFitter(topology.clv(), topology.clvFile(), restoreReservoir()) : null;
    aggregator = new ModelAggregator(settings, Features.DIMENSION,
        current == null ? null : ModelCodec.fromAvro(current),
        pending == null ? null : ModelCodec.fromAvro(ModelCodec.delta(pending)), clv);
  }

  /** One store entry per slot, so that a delta rewrites only the slots its summaries took. */
  private SummaryReservoir restoreReservoir() {
    SummaryReservoir r = new SummaryReservoir(topology.clv().reservoirSize(), settings.seed());
    byte[] seen = state.get(RESERVOIR_SEEN_KEY);
    if (seen == null) return r;
    long count = ByteBuffer.wrap(seen).getLong();
    try (KeyValueIterator<String, byte[]> it = state.range(RESERVOIR_SLOT, RESERVOIR_SLOT + Character.MAX_VALUE)) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        ByteBuffer b = ByteBuffer.wrap(kv.value);
        r.restore(count, Integer.parseInt(kv.key.substring(RESERVOIR_SLOT.length())),
            new CustomerSummary(b.getLong(), b.getDouble(), b.getDouble(), b.getDouble()));
      }
    }
    return r;
  }

  private void saveReservoir() {
    int[] changed = clv.reservoir().drainChanged();
    if (changed.length == 0) return;
    for (int slot : changed) {
      CustomerSummary s = clv.reservoir().slot(slot);
      state.put(RESERVOIR_SLOT + slot, ByteBuffer.allocate(32).putLong(s.x()).putDouble(s.tx()).putDouble(s.T())
          .putDouble(s.meanRepeatSpend()).array());
    }
    state.put(RESERVOIR_SEEN_KEY, ByteBuffer.allocate(8).putLong(clv.reservoir().seen()).array());
  }

  @Override
  public void process(Record<String, ModelDelta> record) {
    Optional<ModelSnapshot> next = aggregator.accept(ModelCodec.fromAvro(record.value()));
    state.put(PENDING_KEY, ModelCodec.bytes(ModelCodec.toAvro(aggregator.pending())));
    if (clv != null) saveReservoir();
    if (next.isEmpty()) return;
    ModelVersion version = ModelCodec.toAvro(next.get());
    state.put(MODEL_KEY, ModelCodec.bytes(version));
    // Wall-clock stamp for the same reason as the deltas' (retention); createdAt is in the payload.
    context.forward(new Record<>(SegmenterTopology.MODEL_KEY, version, context.currentSystemTimeMs()));
  }
}
