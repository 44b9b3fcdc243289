package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.serde.registry.MiniRegistryFixture;
import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.Order;
import io.segmenter.testing.avro.SampleRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The serde's and the client's caches, counted in HTTP requests to a {@link MiniRegistryFixture}'s
 * registry, and four threads through one serde.
 */
@Timeout(120)
class CacheAndConcurrencyTest {
  @RegisterExtension
  static final MiniRegistryFixture REGISTRY = new MiniRegistryFixture();

  @Test
  void afterWarmUpAHundredThousandRoundTripsMakeNoHttpRequest() {
    try (SpecificAvroSerde<Click> serde = new SpecificAvroSerde<>(Click.class, REGISTRY.client())) {
      serde.configure(Map.of("schema.registry.url", REGISTRY.registry().url()), false);
      Click[] records = new Click[100];
      for (int i = 0; i < records.length; i++) {
        records[i] = SampleRecords.click(i);
      }
      byte[] warm = serde.serializer().serialize("cached-clicks", records[0]);
      assertThat(serde.deserializer().deserialize("cached-clicks", warm)).isEqualTo(records[0]);
      assertThat(REGISTRY.registry().requestCount()).as("warm-up reached the registry").isPositive();
      REGISTRY.registry().resetRequestCount();

      for (int i = 0; i < 100_000; i++) {
        Click record = records[i % records.length];
        Click read = serde.deserializer().deserialize("cached-clicks",
            serde.serializer().serialize("cached-clicks", record));
        if (!record.equals(read)) {
          throw new AssertionError("round trip " + i + " changed the record");
        }
      }

      assertThat(REGISTRY.registry().requestCount()).isZero();
    }
  }

  @Test
  void fourThreadsSerialiseAndDeserialiseConcurrentlyThroughOneSerde() throws Exception {
    try (SpecificAvroSerde<Click> clicks = new SpecificAvroSerde<>(Click.class, REGISTRY.client());
         SpecificAvroSerde<Order> orders = new SpecificAvroSerde<>(Order.class, REGISTRY.client())) {
      clicks.configure(Map.of("schema.registry.url", REGISTRY.registry().url()), false);
      orders.configure(Map.of("schema.registry.url", REGISTRY.registry().url()), false);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          start.await(); // all four hit the cold caches together
          int checked = 0;
          for (int i = 0; i < 5_000; i++) {
            int n = thread * 100_000 + i;
            Click click = SampleRecords.click(n);
            Click readClick = clicks.deserializer().deserialize("mt-clicks",
                clicks.serializer().serialize("mt-clicks", click));
            Order order = SampleRecords.order(n);
            Order readOrder = orders.deserializer().deserialize("mt-orders",
                orders.serializer().serialize("mt-orders", order));
            if (!click.equals(readClick) || !order.equals(readOrder)) {
              throw new AssertionError("thread " + thread + " record " + i + " came back different");
            }
            checked++;
          }
          return checked;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> result : results) {
        total += result.get();
      }
      pool.shutdown();

      assertThat(total).isEqualTo(20_000);
      assertThat(REGISTRY.client().getVersions("mt-clicks-value")).hasSize(1);
      assertThat(REGISTRY.client().getVersions("mt-orders-value")).hasSize(1);
    }
  }
}
