package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.internal.ModelVersion;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.replay.OnlineRetailOrders;
import io.segmenter.testing.MixedEraInput;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a segmenting task must survive when Kafka Streams revives it.
 *
 * <p>Under exactly-once, a {@code TaskCorruptedException} (a send or a commit that times out, a
 * retriable send error: {@code StreamTask.process}/{@code punctuate}, {@code RecordCollectorImpl},
 * {@code TaskExecutor} in 4.3.1) makes the thread close the task dirty and <em>revive</em> it:
 * {@code TaskManager.closeDirtyAndRevive} suspends it (processor {@code close()}), closes it dirty,
 * calls {@code AbstractTask.revive()} and initialises the same {@code StreamTask} again, whose
 * {@code initializeTopology()} calls {@code init()} on the <em>same processor objects</em>. The
 * stores, though, are wiped and restored from the changelogs: they hold what the last committed
 * transaction wrote, and the input is processed again from the last committed offsets. Whatever the
 * processor keeps in fields across {@code init()} must therefore agree with a store that may have
 * gone back in time.
 *
 * <p>This test drives the real {@link SegmentingProcessor} with Kafka's {@link MockProcessorContext}
 * and in-memory stores, and does exactly that: a commit point (a copy of every store), the work of a
 * punctuation, then close, the stores put back to the commit point, and init on the same object. The
 * punctuators are fired by hand the way a stream thread fires them (wall clock: every interval;
 * stream time: never here, the input after the revive is older than the task's stream time).
 */
class RevivedTaskTest {
  private static final Instant WALL = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant CLICKS_FROM = MixedEraInput.CLICKS_FROM;
  @TempDir
  Path stateDir;

  /** The real processor in a mock context, with the stores the topology gives it. */
  private static final class Task {
    final SegmenterRuntime runtime = SegmenterRuntime.standalone();
    final TopologySettings settings;
    final MockProcessorContext<String, SpecificRecord> context;
    final SegmentingProcessor processor;
    final KeyValueStore<String, byte[]> profiles;
    /** The profiles store's write-behind layer, as the topology builds it: profiles are written at the commit's flush. */
    final WriteBehindStore<CustomerProfile> profilesLayer;
    final KeyValueStore<Bytes, byte[]> due;
    /** The index's flush hook, as the topology builds it: new bookings wait for the commit's flush. */
    final FlushHookStore<Bytes> dueLayer;
    final KeyValueStore<Long, byte[]> batch;
    final KeyValueStore<Bytes, byte[]> members;
    final KeyValueStore<String, byte[]> history;
    /** Punctuators registered by the latest init (a revived task schedules them again). */
    private int firstPunctuator;
    private long streamTime = -1;
    private Map<String, List<? extends KeyValue<?, ?>>> committed;

    Task(File stateDir) {
      Map<String, Object> props = new HashMap<>();
      props.put(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://unused:8081");
      props.put(SegmenterConfig.CURRENCY, OnlineRetailOrders.CURRENCY);
      SegmenterConfig config = new SegmenterConfig(props);
      settings = TopologySettings.from(config);
      Properties streams = new Properties();
      streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "revived-task-test");
      streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      context = new MockProcessorContext<>(streams, new TaskId(0, 0), stateDir);
      context.setCurrentSystemTimeMs(WALL.toEpochMilli());
      profilesLayer = new WriteBehindStore<>(Stores.keyValueStoreBuilder(
          Stores.inMemoryKeyValueStore(SegmenterTopology.PROFILES_STORE), Serdes.String(), Serdes.ByteArray())
          .withLoggingDisabled().build(), ProfileCodec::encode, settings.profilesRemembered());
      profilesLayer.init(context.getStateStoreContext(), profilesLayer);
      context.addStateStore(profilesLayer);
      profiles = profilesLayer;
      dueLayer = new FlushHookStore<>(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SegmenterTopology.DUE_STORE),
          Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build());
      dueLayer.init(context.getStateStoreContext(), dueLayer);
      context.addStateStore(dueLayer);
      due = dueLayer;
      batch = store(SegmenterTopology.BATCH_STORE, Serdes.Long(), Serdes.ByteArray());
      members = store(SegmenterTopology.MEMBERS_STORE, Serdes.Bytes(), Serdes.ByteArray());
      history = store(SegmenterTopology.HISTORY_STORE, Serdes.String(), Serdes.ByteArray());
      // The global model store: empty (the model reaches the task through the holder, as from the
      // global thread); the processor only reads it.
      Serde<ModelVersion> unused = Serdes.serdeFrom((topic, v) -> { throw new UnsupportedOperationException(); },
          (topic, b) -> { throw new UnsupportedOperationException(); });
      store(SegmenterTopology.MODEL_GLOBAL_STORE, Serdes.String(), unused);
      processor = new SegmentingProcessor(settings, runtime);
      init();
    }

    private <K, V> KeyValueStore<K, V> store(String name, Serde<K> keys, Serde<V> values) {
      KeyValueStore<K, V> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
          .withLoggingDisabled().build();
      s.init(context.getStateStoreContext(), s);
      context.addStateStore(s);
      return s;
    }

    private void init() {
      firstPunctuator = context.scheduledPunctuators().size();
      processor.init(context);
    }

    /** One input record, as the task processes it (stream time = the largest timestamp so far). */
    void process(String key, SpecificRecord event, Instant occurredAt) {
      streamTime = Math.max(streamTime, occurredAt.toEpochMilli());
      context.setCurrentStreamTimeMs(streamTime);
      try {
        processor.process(new Record<>(key, event, occurredAt.toEpochMilli()));
      } catch (InvalidEventException e) {
        // Dead-lettered by the topology's handler; nothing of it reached the stores.
      }
      if (context.forwarded().size() > 10_000) context.resetForwards();
    }

    /** The wall clock moves on by {@code d}; every wall-clock punctuator fires once. */
    void tick(Duration d) {
      context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + d.toMillis());
      var punctuators = context.scheduledPunctuators();
      for (int i = firstPunctuator; i < punctuators.size(); i++) {
        var p = punctuators.get(i);
        if (p.getType() == PunctuationType.WALL_CLOCK_TIME && !p.cancelled()) {
          p.getPunctuator().punctuate(context.currentSystemTimeMs());
        }
      }
      context.resetForwards();
    }

    /** Wall-clock ticks at the inactivity punctuator's interval for {@code total}. */
    void run(Duration total) {
      Duration step = Duration.ofMillis(settings.punctuateIntervalMs());
      for (Duration t = Duration.ZERO; t.compareTo(total) < 0; t = t.plus(step)) tick(step);
    }

    /** What the changelogs hold after a successful commit. */
    void commit() {
      flush();
      committed = new HashMap<>();
      committed.put(SegmenterTopology.PROFILES_STORE, copy(profiles));
      committed.put(SegmenterTopology.DUE_STORE, copy(due));
      committed.put(SegmenterTopology.BATCH_STORE, copy(batch));
      committed.put(SegmenterTopology.MEMBERS_STORE, copy(members));
      committed.put(SegmenterTopology.HISTORY_STORE, copy(history));
    }

    /**
     * The transaction since {@link #commit} is aborted and the task revived: close, the stores
     * wiped and restored from the changelogs, init on the same processor object.
     */
    void revive() {
      processor.close();
      // Kafka Streams closes the task's stores and initialises them again; the restore writes below
      // every layer (into RocksDB), so nothing of it passes through the write-behind layer.
      profilesLayer.close();
      profilesLayer.init(context.getStateStoreContext(), profilesLayer);
      assertThat(profilesLayer.pendingCount()).as("profiles waiting after the revive").isZero();
      dueLayer.close();
      dueLayer.init(context.getStateStoreContext(), dueLayer);
      assertThat(((InactivityIndex) dueLayer.listener()).heldCount()).as("bookings waiting after the revive").isZero();
      restore(profilesLayer.wrapped(), SegmenterTopology.PROFILES_STORE);
      restore(dueLayer.wrapped(), SegmenterTopology.DUE_STORE);
      restore(batch, SegmenterTopology.BATCH_STORE);
      restore(members, SegmenterTopology.MEMBERS_STORE);
      restore(history, SegmenterTopology.HISTORY_STORE);
      context.resetForwards();
      init();
    }

    private static <K, V> List<KeyValue<K, V>> copy(KeyValueStore<K, V> s) {
      List<KeyValue<K, V>> out = new ArrayList<>();
      try (KeyValueIterator<K, V> it = s.all()) {
        while (it.hasNext()) out.add(it.next());
      }
      return out;
    }

    @SuppressWarnings("unchecked")
    private <K, V> void restore(KeyValueStore<K, V> s, String name) {
      for (KeyValue<K, V> kv : copy(s)) s.delete(kv.key);
      for (KeyValue<?, ?> kv : committed.get(name)) s.put((K) kv.key, (V) kv.value);
    }

    /**
     * What Kafka Streams does before every commit: the caches and the write-behind layer write what
     * they hold to the stores (and changelogs, in the transaction). Not a commit: a revive still goes
     * back to the last {@link #commit}.
     */
    void flush() {
      profilesLayer.flushCache();
      dueLayer.flushCache();
    }

    /** Profiles in the store without a segment (after a flush, as the next commit would store them). */
    long withoutSegment() {
      flush();
      long n = 0;
      try (KeyValueIterator<String, byte[]> it = profiles.all()) {
        while (it.hasNext()) {
          if (ProfileCodec.decode(it.next().value).segmentId() < 0) n++;
        }
      }
      return n;
    }

    long customers() {
      flush();
      return profiles.approximateNumEntries();
    }

    void offer(ModelVersion version) {
      runtime.model().offer(ModelCodec.fromAvro(version));
    }
  }

  /** The seed model of the topology tests, as version {@code v}. */
  private static ModelVersion model(long v) {
    ModelVersion seed = SeedModels.championsAndAtRisk(CLICKS_FROM);
    return ModelVersion.newBuilder(seed).setVersion(v).build();
  }

  /**
   * The report's situation (REES46 clicks moved to 2015, then UCI Online Retail orders of 2009-2010,
   * every other browser also a buyer), with a revive right after the punctuation that placed the
   * customers waiting for the first version: the waiting list comes back from the changelog, and
   * must be placed again, whatever the later input and however many versions follow.
   */
  @Test
  void customersWaitingForTheFirstVersionArePlacedEvenWhenTheTaskIsRevivedAfterPlacingThem() {
    MixedEraInput input = MixedEraInput.read();
    OnlineRetailOrders.Result retail = input.retail();
    List<ClickEvent> clicks = input.clicks();

    Task task = new Task(stateDir.toFile());
    for (ClickEvent c : clicks) task.process(c.getCustomerId(), c, c.getOccurredAt());
    long waiting = task.customers();
    assertThat(task.runtime.populations().unassigned()).as("customers waiting for the first version").isEqualTo(waiting);

    // Version 1 reaches the instance; the task's last commit is before its next punctuation.
    task.offer(model(1));
    task.commit();
    task.tick(Duration.ofMinutes(1));
    assertThat(task.withoutSegment()).as("placed by the first punctuation with a model").isZero();

    // That punctuation's transaction does not commit (e.g. a send times out): the task is revived.
    task.revive();
    assertThat(task.withoutSegment()).as("waiting again after the restore").isEqualTo(waiting);
    assertThat(task.runtime.populations().unassigned()).as("gauge after the restore").isEqualTo(waiting);

    // Later input, older than the task's clock: the orders of 2009-2010. Then 24 versions, and ten
    // minutes of wall-clock punctuations.
    for (OrderEvent o : retail.orders()) task.process(o.getCustomerId(), o, o.getOccurredAt());
    for (long v = 2; v <= 24; v++) {
      task.offer(model(v));
      task.tick(Duration.ofMinutes(1));
    }
    task.run(Duration.ofMinutes(10));

    System.out.printf("RevivedTaskTest: %,d customers (%,d waiting for version 1); after the revive, the orders, "
            + "24 versions and 10 min: %,d without a segment, gauge %,d%n",
        task.customers(), waiting, task.withoutSegment(), task.runtime.populations().unassigned());
    assertThat(task.withoutSegment()).as("profiles without a segment, of %,d", task.customers()).isZero();
    assertThat(task.runtime.populations().unassigned()).as("segmenter.customers.unassigned").isZero();
  }

  /**
   * A punctuation re-evaluates the customers whose check is due, then is rolled back by a revive:
   * their due entries come back from the changelog, below where the punctuation's scan ended. They
   * must still be scanned (else those customers are never re-evaluated again: no At Risk, no
   * Hibernating, without an event of theirs).
   */
  @Test
  void dueEntriesRestoredByARevivedTaskAreStillScanned() {
    Task task = new Task(stateDir.toFile());
    task.offer(model(1));
    Instant first = WALL.minus(Duration.ofDays(30));
    int customers = 50;
    for (int i = 0; i < customers; i++) order(task, "c-" + i, first.plusSeconds(i));
    // Two days later in event time another customer buys: every routine check of the first ones is due.
    Instant later = first.plus(Duration.ofDays(2));
    order(task, "late", later);
    task.commit();
    assertThat(dueAtOrBefore(task, later)).as("checks due before the punctuation").isEqualTo(customers);
    task.tick(Duration.ofMinutes(1));
    assertThat(task.profilesLayer.pendingCount()).as("re-evaluated profiles waiting for the commit").isEqualTo(customers);
    assertThat(((InactivityIndex) task.dueLayer.listener()).heldCount()).as("their next checks, waiting too")
        .isEqualTo(customers);
    assertThat(dueAtOrBefore(task, later)).as("checks due after it").isZero();

    task.revive();
    assertThat(dueAtOrBefore(task, later)).as("checks due after the restore").isEqualTo(customers);
    task.run(Duration.ofMinutes(10));
    assertThat(dueAtOrBefore(task, later)).as("checks due after the revive and 10 min of punctuations").isZero();
  }

  private static void order(Task task, String id, Instant at) {
    task.process(id, Events.order(id, id + "-o", at, "40", io.segmenter.events.OrderStatus.PLACED,
        OnlineRetailOrders.CURRENCY), at);
  }

  /** Entries of the inactivity index due at or before {@code t}. */
  private static long dueAtOrBefore(Task task, Instant t) {
    // No flush: what waits is due later than the times asked about here, and a revive must drop it.
    long n = 0;
    try (KeyValueIterator<Bytes, byte[]> it = task.due.all()) {
      while (it.hasNext()) {
        if (DueIndex.dueAt(it.next().key) <= t.toEpochMilli()) n++;
      }
    }
    return n;
  }
}
