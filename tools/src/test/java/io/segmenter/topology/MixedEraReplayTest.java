package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.internal.ModelVersion;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.replay.OnlineRetailOrders;
import io.segmenter.testing.EmbeddedRegistryFixture;
import io.segmenter.testing.MixedEraInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mixed-era input of the "unassigned for good" report through the real topology: REES46 clicks
 * moved to 2015 first, then the UCI Online Retail orders of 2009-2010 (every other browser is also a
 * buyer), default model settings. Version 1 is cut while the orders stream in: the clicks alone give
 * too few distinct points (one per customer per day, all alike). The orders are older than the
 * task's stream time, so the stream-time punctuator does not fire again; the customers seen before
 * version 1 who have no later event must still all be placed, as soon as the version is there
 * (at the next record), without waiting for the wall-clock punctuator.
 *
 * <p>Like a real instance, the segmenting task's stream time is the event time of clicks and orders
 * only: the driver runs every sub-topology in one task, so its mock wall clock starts before every
 * event time (the wall-clock stamps of deltas and versions then never lead stream time), with the
 * future-time check off. A revived task is {@link RevivedTaskTest}.
 */
class MixedEraReplayTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();
  private static final Instant CLICKS_FROM = MixedEraInput.CLICKS_FROM;

  @Test
  void customersSeenBeforeTheFirstVersionArePlacedOnceItIsThereWithoutWaitingForAWallClockTick() {
    MixedEraInput input = MixedEraInput.read();
    OnlineRetailOrders.Result retail = input.retail();
    List<ClickEvent> clicks = input.clicks();

    try (TopologyHarness h = new TopologyHarness(REGISTRY.client(), REGISTRY.registry().url(), Map.of(
        SegmenterConfig.CURRENCY, OnlineRetailOrders.CURRENCY,
        SegmenterConfig.MAX_FUTURE_MS, Long.MAX_VALUE / 4, SegmenterConfig.CLOCK_MAX_AHEAD_MS, Long.MAX_VALUE / 4),
        retail.stats().first())) {
      List<ModelVersion> versions = new ArrayList<>();
      int n = 0;
      for (ClickEvent c : clicks) {
        h.pipe(c);
        if (++n % 2000 == 0) drain(h, versions);
      }
      drain(h, versions);
      long waitingAfterClicks = h.runtime.populations().unassigned();
      assertThat(versions).as("model versions from the clicks alone").isEmpty();
      for (OrderEvent o : retail.orders()) {
        h.pipe(o);
        if (++n % 2000 == 0) drain(h, versions);
      }
      drain(h, versions);
      assertThat(versions).as("model versions after the orders").isNotEmpty();
      long customers = count(h, false);
      long waitingAfterOrders = withoutSegment(h);
      System.out.printf("MixedEraReplayTest: %,d customers, %,d waiting after the clicks, %,d without a segment"
              + " after the orders (model versions: %d), no wall-clock punctuation%n",
          customers, waitingAfterClicks, waitingAfterOrders, versions.size());
      // Placed at the first record after version 1, without waiting for a wall-clock punctuation.
      assertThat(waitingAfterOrders).as("profiles without a segment, of %,d", customers).isZero();
      assertThat(h.runtime.populations().unassigned()).as("segmenter.customers.unassigned").isZero();
    }
  }

  private static void drain(TopologyHarness h, List<ModelVersion> versions) {
    versions.addAll(h.models.readValuesToList());
    h.changes.readRecordsToList();
    h.segments.readRecordsToList();
    h.deltasOut.readRecordsToList();
    assertThat(h.dlq.readRecordsToList()).as("dead letters (all input is valid)").isEmpty();
  }

  private static KeyValueStore<String, byte[]> profiles(TopologyHarness h) {
    return h.driver.getKeyValueStore(SegmenterTopology.PROFILES_STORE);
  }

  private static long withoutSegment(TopologyHarness h) {
    return count(h, true);
  }

  /** Profiles in the store, all or only those without a segment. */
  private static long count(TopologyHarness h, boolean withoutSegmentOnly) {
    long n = 0;
    try (KeyValueIterator<String, byte[]> it = profiles(h).all()) {
      while (it.hasNext()) {
        byte[] profile = it.next().value;
        if (!withoutSegmentOnly || ProfileCodec.decode(profile).segmentId() < 0) n++;
      }
    }
    return n;
  }
}
