package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The model aggregator computes each version on a thread of its own ({@code segmenter.model.background},
 * the default), and the versions are exactly those that computing them on the stream thread gives.
 *
 * <p>The deltas and versions to compare with come from the real topology in TopologyTestDriver with
 * versions computed on the stream thread (300 generated customers over 30 days, k = 6, a refresh every
 * 10 versions). The same deltas, in the same order, then go to the aggregator processor alone, in
 * Kafka's {@link MockProcessorContext} with real in-memory stores, whose versions are computed on a
 * gated thread: the test holds the first computation, sees the deltas that arrive meanwhile kept back
 * in the store, then drops that processor as a crash would (nothing installed) and starts a new one on
 * the same stores, which must compute the same version again, merge the kept-back deltas after it and
 * go on. The thread is the one test double: nothing real holds a computation on cue.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = TimeUnit.MINUTES) // a stream thread stuck on a dropped computation fails, not hangs
class BackgroundVersionsTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final Instant START = GeneratorConfig.defaults().start();
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Map<String, Object> SETTINGS = TopologyHarness.historyReplay(Map.of(
      SegmenterConfig.MODEL_K, 6,
      SegmenterConfig.MODEL_WARMUP_POINTS, 200,
      SegmenterConfig.MODEL_MIN_BATCH_POINTS, 300L,
      SegmenterConfig.MODEL_DELTA_POINTS, 60));

  /** One worker thread that runs a task only when let through: counts what it was given and finished. */
  private static final class GatedWorker extends ThreadPoolExecutor {
    final Semaphore permits = new Semaphore(0);
    final AtomicInteger submitted = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());

    GatedWorker() {
      super(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    }

    GatedWorker open() {
      permits.release(Integer.MAX_VALUE / 2);
      return this;
    }

    @Override
    public void execute(Runnable command) {
      submitted.incrementAndGet();
      super.execute(command);
    }

    @Override
    protected void beforeExecute(Thread t, Runnable r) {
      threads.add(t.getName());
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        // Stopped while held (the task closed): the computation never runs.
        Thread.currentThread().interrupt();
        throw new java.util.concurrent.CancellationException("stopped while held");
      }
    }

    @Override
    protected void afterExecute(Runnable r, Throwable t) {
      finished.incrementAndGet();
    }
  }

  /** The real topology's deltas and the versions it computed from them on the stream thread. */
  private record StreamThreadRun(TopologySettings settings, List<byte[]> deltas, List<ModelVersion> versions) { }

  private static StreamThreadRun streamThreadRun;

  private static synchronized StreamThreadRun streamThreadRun() {
    if (streamThreadRun != null) return streamThreadRun;
    List<byte[]> deltas = new ArrayList<>();
    List<ModelVersion> versions = new ArrayList<>();
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), SETTINGS, START)) {
      var serializer = InternalSerdes.modelDeltas().serializer();
      for (GeneratedEvent e : SyntheticGenerator.create(GeneratorConfig.defaults().withCustomers(300)
          .withSpan(Duration.ofDays(30)).withSeed(17).withStart(START))) {
        h.pipe(e.event());
      }
      for (ModelDelta d : h.deltasOut.readValuesToList()) deltas.add(serializer.serialize("model-deltas", d));
      versions.addAll(h.models.readValuesToList());
      streamThreadRun = new StreamThreadRun(TopologySettings.from(h.config), deltas, versions);
    }
    assertThat(versions).as("the stream thread's versions, a refresh among them").hasSizeGreaterThan(10);
    return streamThreadRun;
  }

  @Test
  void versionsComputedOnTheAggregatorsThreadAreThoseOfTheStreamThreadAndSurviveACrashMidComputation()
      throws Exception {
    StreamThreadRun run = streamThreadRun();
    List<byte[]> deltas = run.deltas();
    List<ModelVersion> expected = run.versions();
    TopologySettings settings = run.settings();

    KeyValueStore<String, byte[]> state = store(SegmenterTopology.AGGREGATOR_STORE);
    KeyValueStore<String, byte[]> global = store(SegmenterTopology.MODEL_GLOBAL_STORE);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SegmenterMetrics metrics = new SegmenterRuntime(meters).metrics();
    List<ModelVersion> versions = new ArrayList<>();

    // 1. The first version's computation is held: the deltas read meanwhile wait in the store.
    GatedWorker held = new GatedWorker();
    Aggregator first = new Aggregator(settings, metrics, state, global, () -> held);
    int next = 0;
    while (held.submitted.get() == 0) first.process(deltas.get(next), next++);
    for (int i = 0; i < 3; i++) first.process(deltas.get(next), next++);
    first.punctuate();
    assertThat(first.versions()).as("nothing installed while the version is computed").isEmpty();
    assertThat(keptBack(state)).as("the deltas read meanwhile, in the store").hasSize(3);
    String firstKept = keptBack(state).get(0);
    assertThat(meters.get(SegmenterMetrics.DELTAS_QUEUED).gauge().value()).isEqualTo(3.0);

    // 2. A crash: that processor is closed with its computation unfinished; a new one on the same stores computes
    //    the same version again, installs it, then merges the three kept-back deltas.
    first.close(); // as Kafka Streams closes a failed task (dirty): nothing is committed, the computation dropped
    assertThat(held.isShutdown()).as("the task's thread stopped").isTrue();
    GatedWorker worker = new GatedWorker().open();
    Aggregator second = new Aggregator(settings, metrics, state, global, () -> worker);
    await("the version computed again", () -> {
      second.punctuate();
      return !second.versions().isEmpty();
    });
    assertThat(second.versions().get(0)).as("the first version, computed again").isEqualTo(expected.get(0));
    // Merged in order after it: all, or up to the one that completes the next version (the rest wait behind that).
    List<String> waiting = keptBack(state);
    assertThat(waiting).as("the first kept-back delta merged").doesNotContain(firstKept);
    if (!waiting.isEmpty()) assertThat(worker.submitted.get()).as("the next version under way").isEqualTo(2);

    // 3. The rest at the topic's pace (no waiting between deltas), then until every version is in.
    while (next < deltas.size()) second.process(deltas.get(next), next++);
    await("every version installed", () -> {
      second.punctuate();
      return second.versions().size() >= expected.size() && keptBack(state).isEmpty();
    });
    versions.addAll(second.versions());

    assertThat(versions).as("the same versions, in the same order, as on the stream thread").isEqualTo(expected);
    assertThat(second.livePunctuators()).as("no wall-clock check left once idle (it would commit every interval)")
        .isZero();
    second.close();
    assertThat(worker.awaitTermination(30, TimeUnit.SECONDS)).as("the task's thread stopped").isTrue();
    assertThat(worker.threads).as("computed on the worker").isNotEmpty()
        .allSatisfy(t -> assertThat(t).isNotEqualTo(Thread.currentThread().getName()));
    assertThat(worker.finished.get()).as("one computation per version").isEqualTo(expected.size());
    assertThat(meters.get(SegmenterMetrics.VERSION_COMPUTE).timer().count()).isEqualTo(expected.size());
    assertThat(meters.get(SegmenterMetrics.DELTAS_QUEUED).gauge().value()).isEqualTo(0.0);
    System.out.printf("BackgroundVersionsTest: %d deltas, %d versions; the worker computed %d; 3 deltas kept back"
        + " at the crash, %d still waiting after the first version was computed again%n", deltas.size(), versions.size(),
        worker.finished.get(), waiting.size());
  }

  /**
   * Kafka Streams may close a task and init the same processor object again (a task revived after a
   * dirty close, e.g. a commit that timed out under exactly-once), its stores restored to the last
   * commit. A computation started from input that was rolled back must not come back with it: here
   * nothing was committed, the first version is being computed when the task is revived, and the
   * replayed deltas must give the stream thread's versions, not that computation's version plus them.
   */
  @Test
  void aTaskRevivedOnTheSameProcessorForgetsTheComputationOfInputThatWasRolledBack() throws Exception {
    StreamThreadRun run = streamThreadRun();
    List<byte[]> deltas = run.deltas();
    KeyValueStore<String, byte[]> state = store(SegmenterTopology.AGGREGATOR_STORE);
    KeyValueStore<String, byte[]> global = store(SegmenterTopology.MODEL_GLOBAL_STORE);
    SegmenterMetrics metrics = new SegmenterRuntime(new SimpleMeterRegistry()).metrics();
    GatedWorker held = new GatedWorker();
    GatedWorker open = new GatedWorker().open();
    AtomicInteger created = new AtomicInteger();
    Aggregator task = new Aggregator(run.settings(), metrics, state, global,
        () -> created.getAndIncrement() == 0 ? held : open);
    int next = 0;
    while (held.submitted.get() == 0) task.process(deltas.get(next), next++);
    for (int i = 0; i < 2; i++) task.process(deltas.get(next), next++);

    task.close();
    List<String> written = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = state.all()) {
      it.forEachRemaining(kv -> written.add(kv.key));
    }
    written.forEach(state::delete); // restored to the last commit: empty
    task.reinit(state, global);
    for (int i = 0; i < deltas.size(); i++) task.process(deltas.get(i), i); // every uncommitted delta again
    await("every version installed", () -> {
      task.punctuate();
      return task.versions().size() >= run.versions().size() && keptBack(state).isEmpty();
    });
    assertThat(task.versions()).as("the stream thread's versions, nothing of the dropped computation")
        .isEqualTo(run.versions());
    assertThat(held.finished.get()).as("the dropped computation never ran").isZero();
    task.close();
  }

  /** One aggregator processor in its own MockProcessorContext over the given stores. */
  private static final class Aggregator {

    private MockProcessorContext<Object, Object> context;
    private final ModelAggregatorProcessor processor;
    /** Versions forwarded in earlier lives of the processor (before a reinit). */
    private final List<ModelVersion> before = new ArrayList<>();

    Aggregator(TopologySettings settings, SegmenterMetrics metrics, KeyValueStore<String, byte[]> state,
        KeyValueStore<String, byte[]> global, java.util.function.Supplier<java.util.concurrent.ExecutorService> workers) {
      processor = new ModelAggregatorProcessor(settings, settings.model(), ModelAggregatorProcessor.Names.DEFAULT,
          metrics, null, workers);
      reinit(state, global);
    }

    /** Inits the processor (again), in a fresh context over the given stores, as Kafka Streams revives a task. */
    void reinit(KeyValueStore<String, byte[]> state, KeyValueStore<String, byte[]> global) {
      if (context != null) {
        List<ModelVersion> all = versions();
        before.clear();
        before.addAll(all);
      }
      context = new MockProcessorContext<>(props());
      context.setCurrentSystemTimeMs(System.currentTimeMillis());
      context.addStateStore(state);
      context.addStateStore(global);
      processor.init(context);
    }

    void process(byte[] delta, long offset) {
      context.setRecordMetadata("model-deltas", 0, offset);
      context.setCurrentSystemTimeMs(System.currentTimeMillis());
      processor.process(new Record<>(null, delta, 0L));
    }

    void punctuate() {
      context.setCurrentSystemTimeMs(System.currentTimeMillis());
      List<MockProcessorContext.CapturedPunctuator> live = context.scheduledPunctuators().stream()
          .filter(p -> !p.cancelled()).toList();
      live.forEach(p -> p.getPunctuator().punctuate(System.currentTimeMillis()));
    }

    /** Kafka Streams commits a task after each wall-clock punctuation: none may be left on an idle aggregator. */
    long livePunctuators() {
      return context.scheduledPunctuators().stream().filter(p -> !p.cancelled()).count();
    }

    List<ModelVersion> versions() {
      List<ModelVersion> out = new ArrayList<>(before);
      for (var f : context.forwarded()) {
        if (SegmenterTopology.MODEL_SINK.equals(f.childName().orElse(null))) out.add((ModelVersion) f.record().value());
      }
      return out;
    }

    void close() {
      processor.close();
    }
  }

  private static List<String> keptBack(KeyValueStore<String, byte[]> state) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = state.range(ModelAggregatorProcessor.QUEUE_PREFIX,
        ModelAggregatorProcessor.QUEUE_PREFIX + Character.MAX_VALUE)) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        keys.add(kv.key);
      }
    }
    return keys;
  }

  private static KeyValueStore<String, byte[]> store(String name) {
    KeyValueStore<String, byte[]> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
        Serdes.ByteArray()).withLoggingDisabled().build();
    s.init(new MockProcessorContext<>(props()).getStateStoreContext(), s);
    return s;
  }

  private static Properties props() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "background-versions-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return p;
  }

  /** Polls the condition until it holds; fails at the deadline. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("not within " + DEADLINE + ": " + what);
      Thread.sleep(5);
    }
  }
}
