package io.segmenter.topology;

import io.segmenter.clv.ClvFitter;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.SummaryReservoir;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Features;
import io.segmenter.model.ModelAggregator;
import io.segmenter.model.CustomerPanel;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.PanelPoint;
import io.segmenter.model.TaskDelta;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single model aggregator: reads the one-partition model-deltas topic (so exactly one task of
 * the whole application runs it) and writes each new version to the compacted model topic. Its
 * state (the current version, the pending deltas, the predictive reservoir) lives in a changelogged
 * store, written in the same transaction as the version it produces; when that store is empty it
 * starts from the last version on the model topic (via the global store), never from a counter in
 * memory.
 *
 * <p><b>Off the stream thread.</b> Merging a delta is cheap; computing a version is not (a refresh's
 * batch k-means and choice of k, settling on the panel, names, the predictive fit: tens to hundreds
 * of milliseconds). By default ({@code segmenter.model.background}) a version is computed on a thread
 * of this task's own, so that the stream thread goes on with the customers' events of its other
 * tasks. Meanwhile the deltas that arrive are kept back, in the store and in order, and merged once
 * the version is installed: the versions are exactly those that computing them on the stream thread
 * gives, only later by the computation's time. The version's input (the pending batch, the panel, the
 * reservoir) is in the store before the computation starts, so a restart before it is installed
 * computes the same version again. At most {@link #MAX_QUEUED_DELTAS} deltas wait; past that the
 * stream thread waits for the version.
 *
 * <p>It decodes and checks each delta itself ({@link InternalRecordCheck}): one that does not decode
 * or is impossible (NaN sums, the wrong dimension) is skipped, counted, logged, and sent to the
 * dead-letter topic with the reason, before it can touch the model. Anything else that throws fails
 * the task, and exactly-once discards the half-done step with the task's in-memory state.
 */
final class ModelAggregatorProcessor implements Processor<byte[], byte[], Object, Object> {
  static final String MODEL_KEY = "model";
  static final String PENDING_KEY = "pending";
  /** Reservoir of the predictive fit: its count under this key, each slot under RESERVOIR_SLOT + index. */
  static final String RESERVOIR_SEEN_KEY = "clv-seen";
  static final String RESERVOIR_SLOT = "clv:";
  /** The customer panel: one entry per customer, under this prefix and the key in 16 hex digits. */
  static final String PANEL_PREFIX = "panel:";
  private static final java.util.HexFormat HEX = java.util.HexFormat.of();
  /** The catalog entry last published per segment: its history goes on, and an unchanged one is not repeated. */
  static final String CATALOG_PREFIX = "catalog:";
  /** Deltas kept back while a version is computed: under this prefix and their offset in 19 digits. */
  static final String QUEUE_PREFIX = "queue:";
  /**
   * At most this many deltas wait behind a version being computed; then the stream thread waits for
   * it. A delta carries up to segmenter.model.refresh.sample.points points, so this bounds the memory
   * (tens of MB at worst) and the aggregator's state the same way.
   */
  static final int MAX_QUEUED_DELTAS = 64;
  /** How often the stream thread looks for a version computed on the worker (wall clock). */
  static final java.time.Duration INSTALL_CHECK = java.time.Duration.ofMillis(20);
  private static final Logger LOG = LoggerFactory.getLogger(ModelAggregatorProcessor.class);

  private final ModelAggregator.Settings settings;
  private final TopologySettings topology;
  private final SegmenterMetrics metrics;
  private ClvFitter clv;
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, byte[]> state;
  private ModelAggregator aggregator;
  private final java.util.function.Supplier<java.util.concurrent.ExecutorService> workers;
  /** The aggregator's own thread (segmenter.model.background), from the first version to close; null before. */
  private java.util.concurrent.ExecutorService worker;
  /** The version being computed on the worker; while it is, nothing else touches {@link #aggregator}. */
  private Future<Optional<ModelSnapshot>> computing;
  /** Deltas read while a version is computed, in their order (and in the store under QUEUE_PREFIX). */
  private java.util.ArrayDeque<KeptBack> queue = new java.util.ArrayDeque<>();
  /** Set by init: the first record or punctuation resumes what the stored state calls for. */
  private boolean resume;
  /** The wall-clock check for a computed version, scheduled only while one is awaited. */
  private org.apache.kafka.streams.processor.Cancellable installCheck;

  /** A delta kept back behind a version being computed; a null delta was unreadable in the store. */
  private record KeptBack(String storeKey, long sentAtMs, TaskDelta delta) { }

  /**
   * Where a task's versions are computed, per segmenter.model.background: one daemon thread of the
   * task's own (created at its first version, stopped at close), or null for the stream thread.
   */
  static java.util.function.Supplier<java.util.concurrent.ExecutorService> ownThread(Names names, TopologySettings topology) {
    if (!topology.modelInBackground()) return null;
    String thread = "segmenter-" + names.stateStore() + "-versions";
    return () -> java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, thread);
      t.setDaemon(true);
      return t;
    });
  }

  /** The names of one strategy's aggregator state store, global model store and model sink. */
  record Names(String stateStore, String globalStore, String modelSink, int firstSegmentId) {
    static final Names DEFAULT = new Names(SegmenterTopology.AGGREGATOR_STORE, SegmenterTopology.MODEL_GLOBAL_STORE,
        SegmenterTopology.MODEL_SINK, 0);
  }

  private final Names names;
  /** Null without challengers (the catalog is always this model's); else whether this strategy is the champion now. */
  private final java.util.function.BooleanSupplier champion;
  /** Whether the last version was published to the catalog as the champion's (a new champion publishes all). */
  private boolean publishedAsChampion;
  /**
   * Whether the catalog may still hold this strategy's segments ACTIVE while it is a challenger: at
   * start (a restart after a demotion) and from a demotion until the next version has retired them.
   */
  private boolean mayHoldActiveEntries;

  /**
   * One strategy's aggregator: its own settings, state store, model topic and id range. Only the
   * champion's versions go to the segment catalog: the catalog describes the segments customers are
   * given; a strategy that becomes champion publishes all its segments with its next version.
   */
  ModelAggregatorProcessor(TopologySettings topology, ModelAggregator.Settings settings, Names names,
      SegmenterMetrics metrics, java.util.function.BooleanSupplier champion,
      java.util.function.Supplier<java.util.concurrent.ExecutorService> workers) {
    this.workers = workers;
    this.settings = settings;
    this.topology = topology;
    this.metrics = metrics;
    this.names = names;
    this.champion = champion;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    state = context.getStateStore(names.stateStore());
    // Not known after a restart or a revived task: the next version as champion publishes every segment.
    publishedAsChampion = false;
    mayHoldActiveEntries = true;
    KeyValueStore<String, byte[]> global = context.getStateStore(names.globalStore());
    ModelSnapshot current = restoredVersion(state.get(MODEL_KEY));
    if (current == null) current = restoredVersion(global.get(SegmenterTopology.MODEL_KEY));
    clv = topology.clvEnabled() ? new ClvFitter(topology.clv(), topology.clvFile(), restoreReservoir()) : null;
    aggregator = new ModelAggregator(settings, Features.DIMENSION, current, restoredPending(state.get(PENDING_KEY)), clv,
        restorePanel(), names.firstSegmentId());
    // Kafka Streams may init this same object again after close (a task revived after a dirty close):
    // nothing of the previous life may remain, above all not a computation from input since rolled back.
    computing = null;
    installCheck = null;
    queue = restoreQueue();
    resume = true;
    watch();
  }

  /**
   * Looks for a version every {@link #INSTALL_CHECK} while there is one to wait for (or the resume at
   * start), and not otherwise: Kafka Streams commits a task after each of its wall-clock punctuations,
   * so an idle instance with this check always on would commit a transaction every commit interval.
   */
  private void watch() {
    if (installCheck == null) {
      installCheck = context.schedule(INSTALL_CHECK, org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
          now -> catchUp());
    }
  }

  private void unwatchWhenIdle() {
    if (installCheck != null && computing == null && !resume) {
      installCheck.cancel();
      installCheck = null;
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    TaskDelta delta;
    try {
      delta = InternalRecordCheck.delta(record.value());
    } catch (RejectedRecord e) {
      reject(record, e);
      return;
    }
    catchUp();
    // Backpressure: past the bound the stream thread waits for the version, as without a thread of its own.
    while (computing != null && queue.size() >= MAX_QUEUED_DELTAS) install(result(computing));
    if (computing != null) {
      keepBack(context.recordMetadata().orElseThrow().offset(), record.timestamp(), record.value(), delta);
      return;
    }
    merge(delta, record.timestamp());
  }

  /**
   * Installs a version computed meanwhile, and after a restart the work the stored state calls for
   * (a version whose computation was lost with the instance, deltas kept back behind it). From the
   * first record or punctuation on, not from init: installing forwards, which init may not.
   */
  private void catchUp() {
    if (resume) {
      resume = false;
      if (aggregator.due()) startCut();
      else drainQueue();
    }
    if (computing != null && computing.isDone()) install(result(computing));
    unwatchWhenIdle();
  }

  /** Merges one delta, and starts the version it completes. */
  private void merge(TaskDelta delta, long sentAtMs) {
    aggregator.merge(delta);
    // The record's timestamp is the wall clock at which the task sent it: how late this merge is.
    metrics.deltaMerged(sentAtMs, context.currentSystemTimeMs());
    if (aggregator.due()) startCut();
    else saveState();
  }

  /**
   * Computes the version the pending batch calls for: here, or on the aggregator's thread, after the
   * version's input (the pending batch, the panel, the reservoir) is in the store, so that a restart
   * before it is done computes the same version again from the same input.
   */
  private void startCut() {
    if (workers == null) {
      install(timedCut(aggregator));
      return;
    }
    saveState();
    // Created at the first version, not at init: a task that fails to initialise is never closed.
    if (worker == null) worker = workers.get();
    ModelAggregator computed = aggregator;
    computing = worker.submit(() -> timedCut(computed));
    watch();
  }

  private Optional<ModelSnapshot> timedCut(ModelAggregator computed) {
    long start = System.nanoTime();
    Optional<ModelSnapshot> next = computed.cut();
    // Not a computation its task dropped at close (shutdownNow interrupts the worker): it is never installed.
    if (next.isPresent() && !Thread.currentThread().isInterrupted()) metrics.versionComputed(System.nanoTime() - start);
    return next;
  }

  /** The computed version (if any) goes out; then the deltas kept back meanwhile are merged, in their order. */
  private void install(Optional<ModelSnapshot> next) {
    computing = null;
    saveState();
    next.ifPresent(this::publish);
    drainQueue();
  }

  private void drainQueue() {
    while (computing == null && !queue.isEmpty()) {
      KeptBack k = queue.poll();
      metrics.deltasQueued(-1);
      state.delete(k.storeKey());
      if (k.delta() != null) merge(k.delta(), k.sentAtMs());
    }
  }

  /** A delta read while a version is being computed: into the store (its offset is committed) and the queue. */
  private void keepBack(long offset, long sentAtMs, byte[] encoded, TaskDelta delta) {
    String key = QUEUE_PREFIX + String.format(java.util.Locale.ROOT, "%019d", offset);
    state.put(key, ByteBuffer.allocate(8 + encoded.length).putLong(sentAtMs).put(encoded).array());
    queue.add(new KeptBack(key, sentAtMs, delta));
    metrics.deltasQueued(1);
  }

  /** The deltas kept back in the store, in their topic's order; an unreadable one is dropped (said in the log). */
  private java.util.ArrayDeque<KeptBack> restoreQueue() {
    java.util.ArrayDeque<KeptBack> kept = new java.util.ArrayDeque<>();
    try (KeyValueIterator<String, byte[]> it = state.range(QUEUE_PREFIX, QUEUE_PREFIX + Character.MAX_VALUE)) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        TaskDelta delta = null;
        long sentAt = 0;
        try {
          if (kv.value.length < 8) throw new RejectedRecord(RejectedRecord.Reason.CORRUPT, "shorter than its timestamp");
          ByteBuffer b = ByteBuffer.wrap(kv.value);
          sentAt = b.getLong();
          delta = InternalRecordCheck.delta(java.util.Arrays.copyOfRange(kv.value, 8, kv.value.length));
        } catch (RejectedRecord e) {
          metrics.internalRecordRejected("aggregator-state", e.reason());
          LOG.error("a model delta kept in the aggregator's state is unusable ({}: {}); dropped", e.reason(), e.getMessage());
        }
        kept.add(new KeptBack(kv.key, sentAt, delta));
      }
    }
    metrics.deltasQueued(kept.size());
    return kept;
  }

  private static Optional<ModelSnapshot> result(Future<Optional<ModelSnapshot>> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      // As on the stream thread: the task fails, and exactly-once discards the half-done step.
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException("computing a model version failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.streams.errors.StreamsException("interrupted while waiting for a model version", e);
    }
  }

  private void saveState() {
    state.put(PENDING_KEY, InternalCodec.encode(ModelCodec.toAvro(aggregator.pending())));
    if (clv != null) saveReservoir();
    savePanel();
  }

  private void publish(ModelSnapshot next) {
    ModelVersion version = ModelCodec.toAvro(next);
    state.put(MODEL_KEY, InternalCodec.encode(version));
    if (champion == null) {
      publishCatalog(next, false);
    } else if (champion.getAsBoolean()) {
      publishCatalog(next, !publishedAsChampion);
      publishedAsChampion = true;
      mayHoldActiveEntries = true;
    } else {
      // A demoted champion's segments leave the catalog with its first version as a challenger; from
      // the stored entries, so that a restart in between does not leave them ACTIVE. One scan per
      // demotion (and per start), not one per version.
      if (mayHoldActiveEntries) retireCatalog(next);
      mayHoldActiveEntries = false;
      publishedAsChampion = false;
    }
    // Wall-clock stamp for the same reason as the deltas' (retention); createdAt is in the payload.
    context.forward(new Record<>(SegmenterTopology.MODEL_KEY, version, context.currentSystemTimeMs()),
        names.modelSink());
  }

  @Override
  public void close() {
    metrics.deltasQueued(-queue.size());
    queue.clear();
    // A version still being computed is dropped with this task's in-memory state; the store has its input.
    if (computing != null) computing.cancel(true);
    computing = null;
    if (installCheck != null) installCheck.cancel();
    installCheck = null;
    resume = false;
    if (worker != null) worker.shutdownNow();
    worker = null;
  }

  private void reject(Record<byte[], byte[]> record, RejectedRecord e) {
    metrics.internalRecordRejected("model-deltas", e.reason());
    var where = context.recordMetadata().orElseThrow();
    LOG.warn("skipped the record at {}-{}@{} on the model-deltas topic: {} ({}); sent to the dead-letter topic",
        where.topic(), where.partition(), where.offset(), e.reason(), e.getMessage());
    long wall = context.currentSystemTimeMs();
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    DeadLetters.addHeaders(headers, new DeadLetters.Origin(where.topic(), where.partition(), where.offset(),
        record.timestamp()), e, e.reason().name(), false, wall);
    context.forward(new Record<>(record.key(), record.value(), wall, headers), SegmenterTopology.INTERNAL_DLQ_SINK);
  }

  /** A version from this store or the global store; null when absent or unreadable (said in the log). */
  private ModelSnapshot restoredVersion(byte[] bytes) {
    if (bytes == null) return null;
    try {
      return InternalRecordCheck.modelVersion(bytes, -1);
    } catch (RejectedRecord e) {
      metrics.internalRecordRejected("aggregator-state", e.reason());
      LOG.error("the aggregator's stored model version is unusable ({}: {}); starting without it", e.reason(), e.getMessage());
      return null;
    }
  }

  private TaskDelta restoredPending(byte[] bytes) {
    if (bytes == null) return null;
    try {
      return InternalRecordCheck.delta(bytes);
    } catch (RejectedRecord e) {
      metrics.internalRecordRejected("aggregator-state", e.reason());
      LOG.error("the aggregator's pending deltas are unusable ({}: {}); starting a new batch", e.reason(), e.getMessage());
      return null;
    }
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

  /**
   * The catalog entries of a new version, forwarded before the version itself (same transaction):
   * a consumer that sees the version on the model topic finds its segments in the catalog.
   */
  private void publishCatalog(ModelSnapshot version, boolean all) {
    boolean everyone = all || settings.refreshEvery() == 0 || version.version() % settings.refreshEvery() == 0;
    for (SegmentCatalogEntry e : CatalogEntries.of(version, this::published, everyone)) forwardCatalog(e);
  }

  /** Keeps the entry as the one last published for its segment, and sends it to the catalog topic. */
  private void forwardCatalog(SegmentCatalogEntry e) {
    String key = Integer.toString(e.getSegmentId());
    state.put(CATALOG_PREFIX + key, InternalCodec.encode(e));
    context.forward(new Record<>(key, e, context.currentSystemTimeMs()), SegmenterTopology.CATALOG_SINK);
  }

  /** Publishes RETIRED entries for every segment of this strategy the catalog still has ACTIVE. */
  private void retireCatalog(ModelSnapshot version) {
    List<SegmentCatalogEntry> published = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = state.range(CATALOG_PREFIX, CATALOG_PREFIX + Character.MAX_VALUE)) {
      while (it.hasNext()) {
        try {
          published.add(InternalCodec.decodeCatalogEntry(it.next().value));
        } catch (RejectedRecord e) {
          // As published(): an unreadable entry is left; the segment's next entry starts its history again.
          metrics.internalRecordRejected("aggregator-state", e.reason());
        }
      }
    }
    for (SegmentCatalogEntry e : CatalogEntries.retiredWithTheirStrategy(published, version)) {
      forwardCatalog(e);
    }
  }

  /** The entry last published for a segment, or null (none, or unreadable: the next entry starts its history again). */
  private SegmentCatalogEntry published(int segmentId) {
    byte[] bytes = state.get(CATALOG_PREFIX + segmentId);
    if (bytes == null) return null;
    try {
      return InternalCodec.decodeCatalogEntry(bytes);
    } catch (RejectedRecord e) {
      metrics.internalRecordRejected("aggregator-state", e.reason());
      return null;
    }
  }

  /** One entry per panel customer, so that a delta rewrites only the customers it brought. */
  private CustomerPanel restorePanel() {
    CustomerPanel panel = new CustomerPanel(settings.panelCapacity());
    try (KeyValueIterator<String, byte[]> it = state.range(PANEL_PREFIX, PANEL_PREFIX + Character.MAX_VALUE)) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        ByteBuffer b = ByteBuffer.wrap(kv.value);
        long at = b.getLong();
        double[] raw = new double[b.remaining() / 8];
        for (int i = 0; i < raw.length; i++) raw[i] = b.getDouble();
        if (raw.length != Features.DIMENSION) continue; // not ours to read: the panel refills
        panel.restore(new PanelPoint(Long.parseUnsignedLong(kv.key.substring(PANEL_PREFIX.length()), 16), at, raw));
      }
    }
    return panel;
  }

  private void savePanel() {
    CustomerPanel panel = aggregator.panel();
    for (long key : panel.drainChanged()) {
      String storeKey = PANEL_PREFIX + HEX.toHexDigits(key); // as "%016x", without a Formatter per point
      PanelPoint p = panel.get(key);
      if (p == null) {
        state.delete(storeKey);
        continue;
      }
      double[] raw = p.raw();
      ByteBuffer b = ByteBuffer.allocate(8 + 8 * raw.length).putLong(p.at());
      for (double x : raw) b.putDouble(x);
      state.put(storeKey, b.array());
    }
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
}
