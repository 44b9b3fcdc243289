package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.internal.ModelVersion;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The per-task population counts of a segmenting processor started on existing state (a restarted or
 * migrated task), driven directly through Kafka's MockProcessorContext with in-memory stores.
 */
class LocalPopulationsTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final byte[] EMPTY = new byte[0];

  private final SegmenterRuntime runtime = new SegmenterRuntime(new SimpleMeterRegistry());
  private final MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>(props());
  private final TopologySettings settings = TopologySettings.from(new SegmenterConfig(Map.of(
      SegmenterConfig.SCHEMA_REGISTRY_URL, "http://unused:8081",
      StreamsConfig.APPLICATION_ID_CONFIG, "populations-test",
      StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092")));

  private static Properties props() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "populations-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return p;
  }

  @Test
  void aTaskStartedOnExistingStateCountsItsMembersFollowsTheChangesAndForgetsThemWhenClosed() {
    KeyValueStore<String, byte[]> profiles = store(Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(SegmenterTopology.PROFILES_STORE), Serdes.String(), Serdes.ByteArray()));
    store(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SegmenterTopology.DUE_STORE),
        Serdes.Bytes(), Serdes.ByteArray()));
    KeyValueStore<Bytes, byte[]> members = store(Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(SegmenterTopology.MEMBERS_STORE), Serdes.Bytes(), Serdes.ByteArray()));
    store(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SegmenterTopology.BATCH_STORE),
        Serdes.Long(), Serdes.ByteArray()));
    store(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SegmenterTopology.HISTORY_STORE),
        Serdes.String(), Serdes.ByteArray()));
    store(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SegmenterTopology.MODEL_GLOBAL_STORE),
        Serdes.String(), Serdes.ByteArray()));

    // What a previous owner of the task left: 3 customers in segment 0, 1 in segment 2, 2 waiting.
    for (String id : new String[] {"a", "b", "c"}) members.put(SegmentMembers.key(0, id), EMPTY);
    members.put(SegmentMembers.key(2, "d"), EMPTY);
    for (String id : new String[] {"u-1", "u-2"}) {
      members.put(SegmentMembers.key(io.segmenter.evaluation.MemberLists.UNASSIGNED, id), EMPTY);
      profiles.put(id, ProfileCodec.encode(CustomerProfile.empty()));
    }

    SegmentingProcessor processor = new SegmentingProcessor(settings, runtime);
    context.setCurrentSystemTimeMs(NOW.toEpochMilli());
    context.setCurrentStreamTimeMs(NOW.toEpochMilli());
    processor.init(context);
    LocalPopulations populations = runtime.populations();
    assertThat(populations.tasks()).isEqualTo(1);
    assertThat(populations.snapshot()).isEqualTo(Map.of(0, 3L, 2, 1L));
    assertThat(populations.unassigned()).isEqualTo(2);

    // With a model, the next record places both waiting customers, then a new one gets a segment.
    ModelVersion seed = SeedModels.championsAndAtRisk(NOW);
    runtime.model().offer(ModelCodec.fromAvro(seed));
    processor.process(new Record<>("u-1", Events.order("u-1", "o-1", NOW, "40"), NOW.toEpochMilli()));
    processor.process(new Record<>("n-1", Events.order("n-1", "o-2", NOW, "40"), NOW.toEpochMilli()));
    assertThat(populations.unassigned()).as("u-1 and u-2 left the waiting list, n-1 was never on it").isZero();
    Map<Integer, Long> afterEvents = populations.snapshot();
    assertThat(afterEvents.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4 + 3);
    assertThat(afterEvents).isEqualTo(countByStore(members));

    // Initialised again (a task revived after an error): counted afresh, not twice.
    processor.init(context);
    assertThat(populations.tasks()).isEqualTo(1);
    assertThat(populations.snapshot()).isEqualTo(afterEvents);
    assertThat(populations.unassigned()).isZero();

    processor.close();
    assertThat(populations.tasks()).isZero();
    assertThat(populations.snapshot()).isEmpty();
    assertThat(populations.unassigned()).isZero();
  }

  private static Map<Integer, Long> countByStore(KeyValueStore<Bytes, byte[]> members) {
    Map<Integer, Long> out = new java.util.TreeMap<>();
    try (var it = members.all()) {
      while (it.hasNext()) {
        int id = java.nio.ByteBuffer.wrap(it.next().key.get(), 0, 4).getInt();
        if (id != io.segmenter.evaluation.MemberLists.UNASSIGNED) out.merge(id, 1L, Long::sum);
      }
    }
    return out;
  }

  private <S extends StateStore> S store(org.apache.kafka.streams.state.StoreBuilder<S> builder) {
    S s = builder.withLoggingDisabled().build();
    s.init(context.getStateStoreContext(), s);
    context.addStateStore(s);
    return s;
  }

}
