package io.segmenter.it;

import static io.segmenter.it.Deployment.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.ErasureRequest;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.SegmentChange;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.internal.ModelVersion;
import io.segmenter.profile.ChangeHistory;
import io.segmenter.profile.ChangeHistoryCodec;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.service.TopicSetup;
import io.segmenter.testing.EmbeddedRegistryFixture;
import io.segmenter.topology.InternalSerdes;
import io.segmenter.topology.SegmenterRuntime;
import io.segmenter.topology.SeedModels;
import io.segmenter.topology.SegmenterTopology;
import io.segmenter.topology.StoreWriteHook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One step per record, all or nothing. The same input runs twice through the real topology on the
 * in-JVM broker with exactly-once: once cleanly, once with a failure injected at each step of
 * applying a decision in turn (the profile write, which carries the de-duplication id, a booking,
 * a cancel and the removal of a fired entry in the inactivity index, a membership move and removal,
 * a training point, a change added to the customer's history, an erasure's deletes of the history
 * and of the profile; each once). Every failure fails the task; the thread is
 * replaced, the task's stores are restored from their changelogs and the record is processed again.
 * Afterwards the committed outputs and every store equal the clean run's (but for the wall-clock
 * stamps: a change's processing time, a history entry's emission time): change sequences without
 * gap or repeat, no lost re-check, no change missing from or repeated in a customer's history.
 *
 * <p>The only test double: a {@link StoreWriteHook} that throws at chosen writes of the store
 * wrappers. Nothing real can fail on cue there (a disk error mid-step), so the failure is simulated
 * at the wrapper's edge; everything else (broker, transactions, RocksDB, changelogs) is real.
 *
 * <p>Both runs must be deterministic: a fixed model published before the start (no learning: no
 * delta is ever sent), the event-time clock and input with distinct timestamps (Kafka Streams orders
 * one task's partitions by timestamp). Re-checks come from the stream-time punctuator only, and
 * Kafka Streams re-anchors that punctuator when a task restarts, so nothing falls due during the 20
 * days of input (30-day re-check interval): the re-checks all happen at one moment, when a last
 * click per partition, 120 days later, moves stream time past every customer's due time.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class AtomicStepIT {
  @RegisterExtension
  static final SharedKafka KAFKA = new SharedKafka();
  private static final Duration DEADLINE = Duration.ofSeconds(240);
  /** Partitions of the input topics (Deployment's setting): one task each. */
  private static final int PARTITIONS = 2;
  private static final long NEVER = Duration.ofDays(3650).toMillis();
  private static final List<String> STORES = List.of(SegmenterTopology.PROFILES_STORE,
      SegmenterTopology.DUE_STORE, SegmenterTopology.MEMBERS_STORE, SegmenterTopology.BATCH_STORE,
      SegmenterTopology.HISTORY_STORE);
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  /** Throws once at the n-th write of each (store, operation) it is given. */
  private static final class Faults implements StoreWriteHook {
    private final Map<String, Integer> at = new HashMap<>();
    private final Map<String, AtomicInteger> seen = new HashMap<>();
    final List<String> fired = new ArrayList<>();

    Faults at(String store, String operation, int n) {
      at.put(store + "/" + operation, n);
      seen.put(store + "/" + operation, new AtomicInteger());
      return this;
    }

    @Override
    public synchronized void beforeWrite(String store, String operation) {
      String key = store + "/" + operation;
      AtomicInteger count = seen.get(key);
      if (count != null && count.incrementAndGet() == at.get(key)) {
        fired.add(key + " #" + at.get(key));
        throw new IllegalStateException("injected failure before " + key + " #" + at.get(key));
      }
    }
  }

  @Test
  void aFailureAtAnyStepOfApplyingADecisionLeavesTheSameOutputsAndStoresAsARunWithout() throws Exception {
    List<SpecificRecord> input = input();
    Outcome clean = run("atomic-clean", input, StoreWriteHook.NONE);
    Faults faults = new Faults()
        .at(SegmenterTopology.PROFILES_STORE, "put", 150)
        .at(SegmenterTopology.DUE_STORE, "book", 90)
        .at(SegmenterTopology.DUE_STORE, "remove", 20)
        .at(SegmenterTopology.DUE_STORE, "cancel", 1)
        .at(SegmenterTopology.MEMBERS_STORE, "put", 40)
        .at(SegmenterTopology.MEMBERS_STORE, "delete", 30)
        .at(SegmenterTopology.BATCH_STORE, "put", 100)
        .at(SegmenterTopology.PROFILES_STORE, "delete", 2)
        .at(SegmenterTopology.HISTORY_STORE, "put", 60)
        .at(SegmenterTopology.HISTORY_STORE, "delete", 3);
    Outcome faulty = run("atomic-faulty", input, faults);

    System.out.printf("AtomicStepIT: %d input records; failures injected (%d): %s; thread replacements %d; "
        + "writes seen %s%n", input.size(), faults.fired.size(), faults.fired, faulty.replacements, faults.seen);
    assertThat(faults.fired).as("every planned failure happened").hasSize(10);
    assertThat(faulty.replacements).isGreaterThanOrEqualTo(10);
    assertThat(clean.changes).as("the clean run emitted changes").isNotEmpty();
    clean.changes.forEach((customer, list) -> {
      for (int i = 0; i < list.size(); i++) {
        assertThat(list.get(i)).as("%s: change %d", customer, i + 1).startsWith("seq=" + (i + 1) + " ");
      }
    });
    assertThat(faulty.changes).as("committed changes per customer, sequences gapless").isEqualTo(clean.changes);
    assertThat(faulty.current).as("customer-segments, latest per customer").isEqualTo(clean.current);
    for (String store : STORES) {
      Map<String, String> expected = clean.stores.get(store);
      Map<String, String> actual = faulty.stores.get(store);
      List<String> differing = new ArrayList<>();
      for (String key : new java.util.TreeSet<>(union(expected.keySet(), actual.keySet()))) {
        if (!java.util.Objects.equals(expected.get(key), actual.get(key))) {
          differing.add(key + ": clean " + readable(store, expected.get(key)) + " / faulty " + readable(store, actual.get(key)));
        }
      }
      assertThat(differing).as("entries of store %s (%d in the clean run) that differ", store, expected.size()).isEmpty();
    }
    assertThat(clean.stores.get(SegmenterTopology.DUE_STORE)).as("re-checks booked").isNotEmpty();
    assertThat(clean.changes.values().stream().flatMap(List::stream).filter(c -> c.contains("\"INACTIVITY\"")))
        .as("re-evaluations that changed a segment").isNotEmpty();
  }

  /** What a run left: committed changes per customer, the latest current segments, every store's content. */
  private record Outcome(Map<String, List<String>> changes, Map<String, String> current,
      Map<String, Map<String, String>> stores, int replacements) { }

  private static Outcome run(String prefix, List<SpecificRecord> input, StoreWriteHook hook) throws Exception {
    Deployment d = new Deployment(KAFKA, REGISTRY.registry().url(), SharedKafka.uniqueName(prefix));
    d.settings.put(SegmenterConfig.CLOCK, SegmenterConfig.CLOCK_EVENT);
    d.settings.put(SegmenterConfig.MODEL_DELTA_POINTS, Integer.MAX_VALUE);
    d.settings.put(SegmenterConfig.MODEL_DELTA_INTERVAL_MS, NEVER);
    d.settings.put(SegmenterConfig.INACTIVITY_PUNCTUATE_MS, NEVER);
    d.settings.put(SegmenterConfig.INACTIVITY_STREAM_PUNCTUATE_MS, Duration.ofDays(1).toMillis());
    d.settings.put(SegmenterConfig.INACTIVITY_RECHECK_MS, Duration.ofDays(30).toMillis());
    d.settings.put(SegmenterConfig.DEDUP_TTL_MS, Duration.ofDays(2).toMillis());
    d.settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // A replaced thread's new consumer joins while the failed one is still a member until its
    // session expires (45 s by default), once per failure: 3 s (the in-JVM broker allows it; a
    // real broker's minimum is 6 s) keeps the eight failures' waits to about half a minute.
    d.settings.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 3_000);
    d.settings.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
    SegmenterConfig config = d.config();
    TopicSetup.createMissing(config, KAFKA.clientConfig());
    publishModel(config);
    produce(config, input);

    SegmenterRuntime runtime = new SegmenterRuntime(new SimpleMeterRegistry(), hook);
    Properties props = SegmenterTopology.streamsProperties(config, runtime);
    AtomicInteger replacements = new AtomicInteger();
    try (KafkaStreams streams = new KafkaStreams(SegmenterTopology.build(config, REGISTRY.client(), runtime), props)) {
      streams.setUncaughtExceptionHandler(e -> {
        replacements.incrementAndGet();
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      });
      streams.start();
      List<String> inputs = List.of(config.getString(SegmenterConfig.TOPIC_CLICKS),
          config.getString(SegmenterConfig.TOPIC_ORDERS), config.getString(SegmenterConfig.TOPIC_ERASURES));
      await(prefix + ": every input record committed", DEADLINE, () -> allCommitted(d.name, inputs));
      await(prefix + ": running", DEADLINE, () -> streams.state() == KafkaStreams.State.RUNNING);
      Map<String, Map<String, String>> stores = new TreeMap<>();
      for (String store : STORES) stores.put(store, contents(streams, store));
      return new Outcome(changes(config), current(config), stores, replacements.get());
    }
  }

  /** 60 customers over 20 days, timestamps made distinct, and an erasure request for three of them. */
  private static List<SpecificRecord> input() {
    List<GeneratedEvent> events = new ArrayList<>();
    SyntheticGenerator.create(GeneratorConfig.defaults().withCustomers(60).withSpan(Duration.ofDays(20))
        .withStart(Instant.parse("2026-03-01T00:00:00Z")).withSeed(31L)).forEach(events::add);
    events.sort(java.util.Comparator.comparingLong(GeneratedEvent::occurredAtMs));
    List<SpecificRecord> out = new ArrayList<>();
    long last = Long.MIN_VALUE;
    for (GeneratedEvent e : events) {
      long t = Math.max(e.occurredAtMs(), last + 1);
      last = t;
      if (e.event() instanceof ClickEvent c) out.add(ClickEvent.newBuilder(c).setOccurredAt(Instant.ofEpochMilli(t)).build());
      else if (e.event() instanceof OrderEvent o) out.add(OrderEvent.newBuilder(o).setOccurredAt(Instant.ofEpochMilli(t)).build());
    }
    for (int i = 1; i <= 3; i++) {
      String id = String.format("cust-%06d", i * 7);
      out.add(new ErasureRequest("erase-" + i, id, Instant.ofEpochMilli(last + i)));
    }
    // One visitor per partition (the producer's hash of the key), 120 days later: the record that
    // moves each task's stream time, and so the moment its punctuator fires, is the same in every run.
    Instant later = Instant.ofEpochMilli(last).plus(Duration.ofDays(120));
    boolean[] covered = new boolean[PARTITIONS];
    for (int i = 0, found = 0; found < PARTITIONS; i++) {
      String id = "late-visitor-" + i;
      int partition = Utils.toPositive(Utils.murmur2(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % PARTITIONS;
      if (covered[partition]) continue;
      covered[partition] = true;
      found++;
      out.add(ClickEvent.newBuilder((ClickEvent) out.get(0)).setEventId("late-" + i).setCustomerId(id)
          .setOccurredAt(later.plusMillis(i)).build());
    }
    return out;
  }

  private static void produce(SegmenterConfig config, List<SpecificRecord> input) throws Exception {
    try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
      for (SpecificRecord r : input) {
        if (!(r instanceof ErasureRequest)) {
          sender.send(r instanceof ClickEvent c ? c.getCustomerId() : ((OrderEvent) r).getCustomerId(), r);
        }
      }
    }
    SpecificAvroSerde<ErasureRequest> serde = new SpecificAvroSerde<>(ErasureRequest.class, REGISTRY.client());
    serde.configure(config.serdeConfig(), false);
    try (KafkaProducer<String, ErasureRequest> p = new KafkaProducer<>(KAFKA.clientConfig(), new StringSerializer(),
        serde.serializer())) {
      for (SpecificRecord r : input) {
        if (r instanceof ErasureRequest e) {
          p.send(new ProducerRecord<>(config.getString(SegmenterConfig.TOPIC_ERASURES), e.getCustomerId(), e))
              .get(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static void publishModel(SegmenterConfig config) throws Exception {
    ModelVersion model = SeedModels.championsAndAtRisk(Instant.parse("2026-03-01T00:00:00Z"));
    try (KafkaProducer<String, ModelVersion> p = new KafkaProducer<>(KAFKA.clientConfig(), new StringSerializer(),
        InternalSerdes.modelVersions().serializer())) {
      p.send(new ProducerRecord<>(config.getString(SegmenterConfig.TOPIC_MODEL), SegmenterTopology.MODEL_KEY, model))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static boolean allCommitted(String group, List<String> topics) {
    try (Admin admin = Admin.create(KAFKA.clientConfig())) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (String topic : topics) {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(topic).partitions().size();
        for (int p = 0; p < partitions; p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      for (var e : ends.entrySet()) {
        if (e.getValue().offset() == 0) continue;
        OffsetAndMetadata c = committed.get(e.getKey());
        if (c == null || c.offset() < e.getValue().offset()) return false;
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static Map<String, List<String>> changes(SegmenterConfig config) {
    SpecificAvroSerde<SegmentChange> serde = new SpecificAvroSerde<>(SegmentChange.class, REGISTRY.client());
    serde.configure(config.serdeConfig(), false);
    Map<String, List<String>> out = new TreeMap<>();
    try (TopicReader<SegmentChange> reader = new TopicReader<>(KAFKA.bootstrapServers(),
        config.getString(SegmenterConfig.TOPIC_SEGMENT_CHANGES), serde.deserializer())) {
      for (ConsumerRecord<String, SegmentChange> r : reader.readToEnd(DEADLINE)) {
        SegmentChange c = r.value();
        // Everything but the processing time, which is the wall clock.
        c.setProcessingTime(Instant.EPOCH);
        out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add("seq=" + c.getSequence() + " " + c);
      }
    }
    return out;
  }

  private static Map<String, String> current(SegmenterConfig config) {
    SpecificAvroSerde<CustomerSegment> serde = new SpecificAvroSerde<>(CustomerSegment.class, REGISTRY.client());
    serde.configure(config.serdeConfig(), false);
    Map<String, String> out = new TreeMap<>();
    try (TopicReader<CustomerSegment> reader = new TopicReader<>(KAFKA.bootstrapServers(),
        config.getString(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS), serde.deserializer())) {
      for (ConsumerRecord<String, CustomerSegment> r : reader.readToEnd(DEADLINE)) {
        if (r.value() == null) {
          out.put(r.key(), "tombstone");
        } else {
          r.value().setUpdatedAt(Instant.EPOCH);
          out.put(r.key(), r.value().toString());
        }
      }
    }
    return out;
  }

  /**
   * Every entry of a store, partition by partition (the batch store's keys repeat across tasks), keys
   * and values in hex where they are bytes.
   */
  private static Map<String, String> contents(KafkaStreams streams, String store) {
    Map<String, String> out = new TreeMap<>();
    for (int partition = 0; partition < PARTITIONS; partition++) {
      ReadOnlyKeyValueStore<Object, Object> s = streams.store(StoreQueryParameters.fromNameAndType(store,
          QueryableStoreTypes.keyValueStore()).withPartition(partition));
      try (KeyValueIterator<Object, Object> it = s.all()) {
        while (it.hasNext()) {
          var kv = it.next();
          Object value = store.equals(SegmenterTopology.HISTORY_STORE) ? withoutWallClock((byte[]) kv.value) : kv.value;
          out.put(partition + "/" + text(kv.key), text(value));
        }
      }
    }
    return out;
  }

  /**
   * A stored change history with every emission time set to 0: like a change's processing time, it is
   * the wall clock, the one thing that differs between the runs.
   */
  private static byte[] withoutWallClock(byte[] history) {
    List<ChangeHistory.Entry> entries = new ArrayList<>();
    for (ChangeHistory.Entry e : ChangeHistoryCodec.decode(history).entries()) {
      entries.add(new ChangeHistory.Entry(e.sequence(), 0, e.eventTime(), e.fromSegment(), e.toSegment(), e.reason(),
          e.modelVersion(), e.fromPredictive(), e.toPredictive()));
    }
    return ChangeHistoryCodec.encode(new ChangeHistory(entries));
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.Set<String> out = new java.util.HashSet<>(a);
    out.addAll(b);
    return out;
  }

  /** A profile or a change history decoded, anything else as stored. */
  private static String readable(String store, String hex) {
    if (hex == null) return "null";
    if (store.equals(SegmenterTopology.PROFILES_STORE)) {
      return io.segmenter.profile.ProfileCodec.decode(HexFormat.of().parseHex(hex)).toString();
    }
    if (store.equals(SegmenterTopology.HISTORY_STORE)) {
      return ChangeHistoryCodec.decode(HexFormat.of().parseHex(hex)).toString();
    }
    return hex;
  }

  private static String text(Object o) {
    if (o instanceof byte[] b) return HexFormat.of().formatHex(b);
    if (o instanceof Bytes b) return HexFormat.of().formatHex(b.get());
    return String.valueOf(o);
  }
}
