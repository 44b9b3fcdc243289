package io.segmenter.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * What Kafka Streams restored, per store: records, changelog partitions, and the span from the first
 * partition's start to the last one's end. It is called from the state-updater threads and the
 * global thread at once, hence the concurrent counters; a restoration still in progress is one that
 * has started and not ended (nor been suspended because its task moved).
 */
final class RestoreTally implements StateRestoreListener {
  private final Map<String, Store> stores = new ConcurrentHashMap<>();
  private final AtomicInteger inProgress = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();

  /** One store's restoration, summed over its partitions (tasks). */
  static final class Store {
    private final AtomicLong records = new AtomicLong();
    private final AtomicInteger partitions = new AtomicInteger();
    private final AtomicLong firstStartNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastEndNanos = new AtomicLong(Long.MIN_VALUE);

    long records() {
      return records.get();
    }

    int partitions() {
      return partitions.get();
    }

    /** From the first partition's start to the last partition's end; 0 before any end. */
    double seconds() {
      long end = lastEndNanos.get();
      long start = firstStartNanos.get();
      return end == Long.MIN_VALUE || start == Long.MAX_VALUE ? 0 : Math.max(0, end - start) / 1e9;
    }

    long firstStartNanos() {
      return firstStartNanos.get();
    }

    long lastEndNanos() {
      return lastEndNanos.get();
    }
  }

  @Override
  public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    Store s = stores.computeIfAbsent(storeName, n -> new Store());
    s.partitions.incrementAndGet();
    s.firstStartNanos.accumulateAndGet(System.nanoTime(), Math::min);
    started.incrementAndGet();
    inProgress.incrementAndGet();
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
    stores.computeIfAbsent(storeName, n -> new Store()).records.addAndGet(numRestored);
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
    stores.computeIfAbsent(storeName, n -> new Store()).lastEndNanos.accumulateAndGet(System.nanoTime(), Math::max);
    inProgress.decrementAndGet();
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
    // The task moved to another thread or instance before it finished: no longer restoring here.
    inProgress.decrementAndGet();
  }

  /** Restorations started and not yet ended or suspended. */
  int inProgress() {
    return inProgress.get();
  }

  /** Restorations started so far (one per store and changelog partition). */
  int started() {
    return started.get();
  }

  /** Per store name, sorted. */
  Map<String, Store> stores() {
    return new TreeMap<>(stores);
  }

  long records() {
    return stores.values().stream().mapToLong(Store::records).sum();
  }

  /** From the first restoration's start to the last one's end, over all stores. */
  double seconds() {
    long start = stores.values().stream().mapToLong(Store::firstStartNanos).min().orElse(Long.MAX_VALUE);
    long end = stores.values().stream().mapToLong(Store::lastEndNanos).max().orElse(Long.MIN_VALUE);
    return start == Long.MAX_VALUE || end == Long.MIN_VALUE ? 0 : Math.max(0, end - start) / 1e9;
  }

  /** When the first restoration started (System.nanoTime), or Long.MAX_VALUE before any. */
  long firstStartNanos() {
    return stores.values().stream().mapToLong(Store::firstStartNanos).min().orElse(Long.MAX_VALUE);
  }
}
