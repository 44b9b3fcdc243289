package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which layers the real topology puts on its stores: the profiles' write-behind and the inactivity
 * index's flush hook under exactly-once only (at least once nothing would undo the flush of a failed
 * task: WriteBehindStore and InactivityIndex say why), the write-behind holding as many profiles as
 * the task remembers.
 */
class StoreLayersTopologyTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  /** The store as the driver registered it: the outermost layer. */
  private StateStore store(TopologyHarness h, String name) {
    return h.driver.<Object, Object>getKeyValueStore(name);
  }

  @Test
  void profilesWaitAndBookingsAreHeldUnderExactlyOnceOnlyAsManyProfilesAsAreRemembered() {
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(),
        Map.of(SegmenterConfig.PROFILES_REMEMBERED, 1500), NOW)) {
      assertThat(h.config.exactlyOnce()).as("exactly-once, the default").isTrue();
      WriteBehindStore<CustomerProfile> writeBehind = WriteBehindStore.of(store(h, SegmenterTopology.PROFILES_STORE));
      assertThat(writeBehind).isNotNull();
      assertThat(writeBehind.maxPending()).isEqualTo(1500);
      assertThat(FlushHookStore.<Bytes>of(store(h, SegmenterTopology.DUE_STORE))).as("so the index's bookings wait too")
          .isNotNull();
    }
    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.PROFILES_REMEMBERED, 1500,
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE), NOW)) {
      assertThat(h.config.exactlyOnce()).isFalse();
      assertThat(WriteBehindStore.<CustomerProfile>of(store(h, SegmenterTopology.PROFILES_STORE)))
          .as("at-least-once: profiles written at every step").isNull();
      assertThat(FlushHookStore.<Bytes>of(store(h, SegmenterTopology.DUE_STORE))).as("and bookings too").isNull();
    }
  }
}
