package io.segmenter.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class IntKeyedCacheTest {
  @Test
  void storesAndFindsThroughGrowth() {
    IntKeyedCache<String> cache = new IntKeyedCache<>();
    for (int key = -500; key < 5000; key += 3) {
      assertThat(cache.putIfAbsent(key, "v" + key)).isEqualTo("v" + key);
    }
    for (int key = -500; key < 5000; key++) {
      assertThat(cache.get(key)).isEqualTo((key + 500) % 3 == 0 ? "v" + key : null);
    }
    assertThat(cache.get(Integer.MIN_VALUE)).isNull();
    assertThat(cache.size()).isEqualTo(1834);
  }

  @Test
  void firstValueWins() {
    IntKeyedCache<String> cache = new IntKeyedCache<>();
    cache.putIfAbsent(7, "first");
    assertThat(cache.putIfAbsent(7, "second")).isEqualTo("first");
    assertThat(cache.get(7)).isEqualTo("first");
  }

  @Test
  @Timeout(30)
  void readersSeeEveryCompletedWriteWhileTheTableGrows() throws Exception {
    IntKeyedCache<Integer> cache = new IntKeyedCache<>();
    int keys = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      tasks.add(pool.submit(() -> {
        start.await();
        for (int k = 0; k < keys; k++) {
          cache.putIfAbsent(k * 7919, k);
        }
        return null;
      }));
      for (int r = 0; r < 3; r++) {
        tasks.add(pool.submit(() -> {
          start.await();
          int seen = 0;
          while (seen < keys) {
            Integer value = cache.get(seen * 7919);
            if (value != null) {
              assertThat(value).isEqualTo(seen); // never a wrong or torn value
              seen++;
            } else {
              Thread.onSpinWait();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> task : tasks) {
        task.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
