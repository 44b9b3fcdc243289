package io.segmenter.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecentIdsTest {
  private static final long T0 = 1_767_225_600_000L;

  @Test
  void anEventIsADuplicateOnlyWithTheSameIdAndTheSameTime() {
    RecentIds ids = new RecentIds();
    long id = RecentIds.hash("c:e-1");
    assertThat(ids.add(id, T0, 256)).isFalse();
    assertThat(ids.contains(id, T0)).isTrue();
    assertThat(ids.contains(id, T0 + 1)).as("same id, another time: another event").isFalse();
    assertThat(ids.contains(RecentIds.hash("c:e-2"), T0)).isFalse();
    assertThat(ids.add(id, T0, 256)).as("adding it again changes nothing").isFalse();
    assertThat(ids.size()).isEqualTo(1);
  }

  @Test
  void idsPastTheTtlAreForgotten() {
    RecentIds ids = new RecentIds();
    for (int i = 0; i < 10; i++) ids.add(RecentIds.hash("c:" + i), T0 + i * 1000L, 256);
    ids.forgetBefore(T0 + 5000);
    assertThat(ids.size()).isEqualTo(5);
    assertThat(ids.contains(RecentIds.hash("c:4"), T0 + 4000)).isFalse();
    assertThat(ids.contains(RecentIds.hash("c:5"), T0 + 5000)).isTrue();
  }

  @Test
  void atCapacityTheOldestGoesAndTheCallerIsTold() {
    RecentIds ids = new RecentIds();
    for (int i = 0; i < 4; i++) assertThat(ids.add(RecentIds.hash("c:" + i), T0 + i, 4)).isFalse();
    assertThat(ids.add(RecentIds.hash("c:new"), T0 + 10, 4)).as("one forgotten early").isTrue();
    assertThat(ids.size()).isEqualTo(4);
    assertThat(ids.contains(RecentIds.hash("c:0"), T0)).as("the oldest went").isFalse();
    assertThat(ids.contains(RecentIds.hash("c:new"), T0 + 10)).isTrue();
    // An event older than all kept ones is not kept at all (it would be the next to go).
    assertThat(ids.add(RecentIds.hash("c:old"), T0 - 1, 4)).isTrue();
    assertThat(ids.contains(RecentIds.hash("c:old"), T0 - 1)).isFalse();
  }

  /** segmenter.dedup.max.ids lowered: a profile above the new bound comes down to it at its next event. */
  @Test
  void aLoweredCapacityTrimsTheSurplusAtOnce() {
    RecentIds ids = new RecentIds();
    for (int i = 0; i < 10; i++) ids.add(RecentIds.hash("c:" + i), T0 + i, 10);
    assertThat(ids.add(RecentIds.hash("c:new"), T0 + 20, 4)).isTrue();
    assertThat(ids.size()).isEqualTo(4);
    assertThat(ids.contains(RecentIds.hash("c:7"), T0 + 7)).as("the newest kept").isTrue();
    assertThat(ids.contains(RecentIds.hash("c:6"), T0 + 6)).isFalse();
    assertThat(ids.contains(RecentIds.hash("c:new"), T0 + 20)).isTrue();
  }

  /** The hot path hashes the parts without joining them: the stored value must not change. */
  @Test
  void hashingThePartsEqualsHashingTheJoinedId() {
    assertThat(RecentIds.hash("c:", "e-1")).isEqualTo(RecentIds.hash("c:e-1"));
    assertThat(RecentIds.hash("o:", "o-17", ":", "PLACED")).isEqualTo(RecentIds.hash("o:o-17:PLACED"));
    assertThat(RecentIds.hash("o:", "Ünïcode-ид", ":", "")).isEqualTo(RecentIds.hash("o:Ünïcode-ид:"));
    assertThat(RecentIds.hash("c:", "e-1")).isNotEqualTo(RecentIds.hash("c:", "e-2"));
  }

  @Test
  void theSetIsTheSameWhateverTheOrderOfArrival() {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 200; i++) order.add(i);
    RecentIds a = new RecentIds();
    RecentIds b = new RecentIds();
    for (int i : order) a.add(RecentIds.hash("c:" + i), T0 + (i % 17) * 1000L, 256);
    Collections.shuffle(order, new Random(3));
    for (int i : order) b.add(RecentIds.hash("c:" + i), T0 + (i % 17) * 1000L, 256);
    assertThat(a).isEqualTo(b);
    assertThat(a.size()).isEqualTo(200);
  }

  @Test
  void theHashIsStableAndSpreadsSimilarIds() {
    // Stored in profiles: it must not change between releases or JVMs.
    assertThat(RecentIds.hash("c:e-1")).isEqualTo(RecentIds.hash(new String("c:e-1")));
    assertThat(RecentIds.hash("c:e-1")).isEqualTo(491_594_345_385_552_563L);
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 100_000; i++) seen.add(RecentIds.hash("c:" + i));
    assertThat(seen).hasSize(100_000);
  }

  @Test
  void restoredEntriesOutOfOrderOrRepeatedAreSortedAndKeptOnce() {
    RecentIds ids = new RecentIds();
    ids.restore(new long[] {T0 + 2, T0, T0 + 2, T0 + 1}, new long[] {5, 9, 5, 1});
    assertThat(ids.size()).isEqualTo(3);
    assertThat(ids.timeAt(0)).isEqualTo(T0);
    assertThat(ids.timeAt(2)).isEqualTo(T0 + 2);
    assertThat(ids.contains(5, T0 + 2)).isTrue();
  }
}
