package io.segmenter.topology;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.internal.ModelVersion;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.replay.OnlineRetailOrders;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every UCI Online Retail II (2009-2010) order replayed through the real topology, once per test JVM,
 * for the tests that check what it makes: {@link OnlineRetailReplayTest} (the segments' recency,
 * frequency and value) and {@link SegmentNamingReplayTest} (their names). Each used to make its own
 * replay, with the same settings and input, which the driver processes deterministically: the same
 * outputs, made twice, about 75 s each.
 *
 * <p>The clock is event time: "now" at the end is the last invoice, not today. The driver runs every
 * sub-topology in one task.
 */
final class OnlineRetailReplay {
  /** What the replay left behind. {@code end}: the last order's time (epoch ms). */
  record Result(OnlineRetailOrders.Result data, List<ModelVersion> versions, Map<String, CustomerSegment> table,
      List<SegmentCatalogEntry> catalog, Map<String, CustomerProfile> profiles, long segmentChanges,
      List<String> deadLetterReasons, long end) { }

  private static Result result;

  private OnlineRetailReplay() { }

  /** The replay, made with this registry by the first test that asks, and kept for the others. */
  static synchronized Result get(EmbeddedRegistryFixture registry) {
    if (result == null) result = replay(registry);
    return result;
  }

  private static Result replay(EmbeddedRegistryFixture registry) {
    OnlineRetailOrders.Result data = OnlineRetailOrders.read(OnlineRetailOrders.defaultLocation());
    try (TopologyHarness h = new TopologyHarness(registry.client(), registry.registry().url(), Map.of(
        SegmenterConfig.CURRENCY, OnlineRetailOrders.CURRENCY,
        SegmenterConfig.CLOCK, SegmenterConfig.CLOCK_EVENT,
        SegmenterConfig.INACTIVITY_MAX_PER_TICK, 100_000,
        // The driver's mock wall clock stays at the first invoice: it is not real time, so the
        // future-timestamp check is off. (A wall clock at the end would stamp the internal records
        // with it, and the driver, which runs every sub-topology in ONE task, would take that as the
        // segmenting task's stream time: the stream-time punctuator would never fire.)
        SegmenterConfig.MAX_FUTURE_MS, Long.MAX_VALUE / 4, SegmenterConfig.CLOCK_MAX_AHEAD_MS, Long.MAX_VALUE / 4),
        data.stats().first())) {
      // The driver keeps every output record until read: read as we go, keeping the latest per key.
      List<ModelVersion> versions = new ArrayList<>();
      Map<String, CustomerSegment> table = new HashMap<>();
      List<SegmentCatalogEntry> catalog = new ArrayList<>();
      long changes = 0;
      long end = Long.MIN_VALUE;
      int n = 0;
      for (OrderEvent o : data.orders()) {
        h.pipe(o);
        end = Math.max(end, o.getOccurredAt().toEpochMilli());
        if (++n % 1000 == 0) changes += drain(h, versions, table, catalog);
      }
      // The final re-evaluation at the end of the data: one punctuation sees every due customer.
      h.driver.advanceWallClockTime(Duration.ofMinutes(2));
      changes += drain(h, versions, table, catalog);
      List<String> deadLetters = h.dlq.readRecordsToList().stream().map(r -> {
        var why = r.headers().lastHeader("__streams.errors.message");
        return why == null ? "?" : new String(why.value(), StandardCharsets.UTF_8);
      }).distinct().toList();
      // Profiles as the stores hold them at the end (the table's snapshot is from each customer's last change).
      Map<String, CustomerProfile> profiles = new HashMap<>();
      for (String id : table.keySet()) profiles.put(id, h.profile(id));
      return new Result(data, Collections.unmodifiableList(versions), Collections.unmodifiableMap(table),
          Collections.unmodifiableList(catalog), Collections.unmodifiableMap(profiles), changes, deadLetters, end);
    }
  }

  /** Reads what the outputs hold; returns the number of segment changes read. */
  private static long drain(TopologyHarness h, List<ModelVersion> versions, Map<String, CustomerSegment> table,
      List<SegmentCatalogEntry> catalog) {
    versions.addAll(h.models.readValuesToList());
    table.putAll(h.segments.readKeyValuesToMap());
    catalog.addAll(h.catalog.readValuesToList());
    long changes = h.changes.getQueueSize();
    h.changes.readRecordsToList();
    h.deltasOut.readRecordsToList();
    return changes;
  }
}
