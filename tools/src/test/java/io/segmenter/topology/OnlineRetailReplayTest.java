package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.CustomerSegment;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.SegmentNamer;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.replay.OnlineRetailOrders;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real data: every UCI Online Retail II (2009-2010) order replayed through the topology, then the
 * segments printed with their average recency, frequency and monetary value, and two sanity checks.
 * The clock is event time: "now" at the end is the last invoice, not today. The replay is
 * {@link OnlineRetailReplay}'s, shared with SegmentNamingReplayTest.
 */
class OnlineRetailReplayTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();
  private static final double DAY_MS = 86_400_000.0;
  private static final double ACTIVE_DAYS = 90;

  /** Per-segment sums for the printout. */
  private static final class Tally {
    String name;
    int customers;
    double recency;
    double orders;
    double spend;
  }

  @Test
  void replayOfOnlineRetailGivesSensibleSegments() {
    // The replay (made once per test JVM, shared with SegmentNamingReplayTest): see OnlineRetailReplay.
    OnlineRetailReplay.Result replay = OnlineRetailReplay.get(REGISTRY);
    OnlineRetailOrders.Result data = replay.data();
    Instant end = data.stats().last();
    Map<String, CustomerSegment> table = replay.table();
    List<ModelVersion> versions = replay.versions();
    long changes = replay.segmentChanges();
    List<String> deadLetters = replay.deadLetterReasons().stream().limit(5).toList();
    assertThat(deadLetters).as("dead-letter reasons (every replayed order is valid)").isEmpty();
    assertThat(versions).as("model versions made during the replay").isNotEmpty();
    ModelVersion model = versions.get(versions.size() - 1);
    Map<Integer, String> names = new TreeMap<>();
    model.getCentres().forEach(c -> names.put(c.getId(), c.getName()));

    // R/F/M from the live profiles (the table's snapshot is from the customer's last change), the
    // segment from the table, its name from the newest model version.
    Map<Integer, Tally> bySegment = new TreeMap<>();
    List<String> quietChampions = new ArrayList<>();
    for (CustomerSegment s : table.values()) {
      int id = s.getSegment().getId();
      Tally t = bySegment.computeIfAbsent(id, k -> new Tally());
      t.name = names.getOrDefault(id, s.getSegment().getName());
      t.customers++;
      CustomerProfile p = replay.profiles().get(s.getCustomerId());
      double recency = p.lastOrderAt() == CustomerProfile.NONE ? Double.NaN
          : (end.toEpochMilli() - p.lastOrderAt()) / DAY_MS;
      t.recency += recency;
      t.orders += p.orders();
      t.spend += p.netSpend().doubleValue();
      if (!(recency <= ACTIVE_DAYS) && SegmentNamer.isChampionsLike(t.name)) quietChampions.add(s.getCustomerId());
    }

    System.out.printf("%nOnline Retail II replay: %,d orders, %,d customers, %,d segment changes, %d model versions (last v%d)%n",
        data.orders().size(), table.size(), changes, versions.size(), model.getVersion());
    System.out.printf("%-22s %9s %14s %14s %16s%n", "segment", "customers", "avg recency d", "avg orders", "avg spend GBP");
    Tally richest = null;
    for (Map.Entry<Integer, Tally> e : bySegment.entrySet()) {
      Tally t = e.getValue();
      System.out.printf("%-22s %9d %14.1f %14.2f %16.2f%n", e.getKey() + " " + t.name, t.customers,
          t.recency / t.customers, t.orders / t.customers, t.spend / t.customers);
      if (richest == null || t.spend / t.customers > richest.spend / richest.customers) richest = t;
    }
    System.out.printf("highest average spend: %s; customers >90 days quiet in a Champions-like segment (Champions, Loyal): %d%n",
        richest.name, quietChampions.size());

    assertThat(table).as("every customer with an order has a segment").hasSize((int) data.stats().customers());
    assertThat(bySegment).as("k = 6 segments used").hasSizeGreaterThanOrEqualTo(4);
    assertThat(SegmentNamer.isLowValue(richest.name)).as("the richest segment '%s' is not named low-value", richest.name).isFalse();
    assertThat(quietChampions).as("customers without an order in the last 90 days in a Champions-like segment").hasSize(0);
  }
}
