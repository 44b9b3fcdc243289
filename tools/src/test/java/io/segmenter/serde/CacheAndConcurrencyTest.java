package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class CacheAndConcurrencyTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();


  @Test
  void afterWarmUpAHundredThousandRoundTripsMakeNoHttpRequest() {
    try (SpecificAvroSerde<ClickEvent> serde = new SpecificAvroSerde<>(ClickEvent.class, REGISTRY.client())) {
      serde.configure(Map.of("schema.registry.url", REGISTRY.registry().url()), false);
      ClickEvent[] records = new ClickEvent[100];
      for (int i = 0; i < records.length; i++) {
        records[i] = TestRecords.click(i);
      }
      byte[] warm = serde.serializer().serialize("cached-clicks", records[0]);
      assertThat(serde.deserializer().deserialize("cached-clicks", warm)).isEqualTo(records[0]);
      assertThat(REGISTRY.registry().requestCount()).as("warm-up reached the registry").isPositive();
      REGISTRY.registry().resetRequestCount();

      for (int i = 0; i < 100_000; i++) {
        ClickEvent record = records[i % records.length];
        ClickEvent read = serde.deserializer().deserialize("cached-clicks",
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
    try (SpecificAvroSerde<ClickEvent> clicks = new SpecificAvroSerde<>(ClickEvent.class, REGISTRY.client());
         SpecificAvroSerde<OrderEvent> orders = new SpecificAvroSerde<>(OrderEvent.class, REGISTRY.client())) {
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
            ClickEvent click = TestRecords.click(n);
            ClickEvent readClick = clicks.deserializer().deserialize("mt-clicks",
                clicks.serializer().serialize("mt-clicks", click));
            OrderEvent order = TestRecords.order(n);
            OrderEvent readOrder = orders.deserializer().deserialize("mt-orders",
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
