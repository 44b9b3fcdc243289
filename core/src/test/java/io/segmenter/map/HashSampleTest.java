package io.segmenter.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashSampleTest {
  @Test
  void keepsAtMostTheSizeAndCountsEveryKeyOffered() {
    HashSample<Integer> sample = new HashSample<>(500, 1);
    for (int i = 0; i < 20_000; i++) sample.offer("cust-" + i, i);
    assertThat(sample.values()).hasSize(500).doesNotHaveDuplicates();
    assertThat(sample.offered()).isEqualTo(20_000);
    HashSample<Integer> small = new HashSample<>(500, 1);
    for (int i = 0; i < 30; i++) small.offer("cust-" + i, i);
    assertThat(small.values()).hasSize(30);
  }

  @Test
  void theSameKeysInAnyOrderGiveTheSameSample() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) keys.add("cust-" + i);
    HashSample<String> a = new HashSample<>(100, 42);
    keys.forEach(k -> a.offer(k, k));
    Collections.shuffle(keys, new java.util.Random(3));
    HashSample<String> b = new HashSample<>(100, 42);
    keys.forEach(k -> b.offer(k, k));
    assertThat(b.values()).isEqualTo(a.values());
    HashSample<String> otherSalt = new HashSample<>(100, 43);
    keys.forEach(k -> otherSalt.offer(k, k));
    assertThat(otherSalt.values()).isNotEqualTo(a.values());
  }

  @Test
  void everyPartOfTheKeySpaceIsSampledInProportion() {
    // 10 groups of 10,000 keys, 1,000 sampled: each group should get about 100 (binomial sd ~9.5).
    HashSample<Integer> sample = new HashSample<>(1_000, 9);
    for (int i = 0; i < 100_000; i++) sample.offer("c" + i, i / 10_000);
    int[] perGroup = new int[10];
    for (int g : sample.values()) perGroup[g]++;
    for (int n : perGroup) assertThat(n).isBetween(60, 140);
  }
}
