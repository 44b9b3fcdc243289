package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.MeteredStateStore;
import org.junit.jupiter.api.Test;

/**
 * What both layers owe Kafka Streams' restore reader: {@code StoreChangelogReader} records a store's
 * restore time only when the store it registered (the outermost one: the layer) is a
 * {@link MeteredStateStore}, so the layer has to be one and pass the time to the metered store below.
 * Real stores of Kafka Streams (metered over in-memory), in Kafka's MockProcessorContext, which
 * records metrics at DEBUG level, the level of the store-level ones.
 */
class LayeredStoreTest {
  private final MockProcessorContext<String, Object> context = new MockProcessorContext<>(props());

  private static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "layered-store-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return props;
  }

  private <K> KeyValueStore<K, byte[]> meteredBelow(String name, org.apache.kafka.common.serialization.Serde<K> keys) {
    return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, Serdes.ByteArray())
        .withLoggingDisabled().build();
  }

  /** The store's restore-latency-max, NaN until a restore time is recorded. */
  private double restoreLatencyMax(String store) {
    for (Map.Entry<MetricName, ? extends Metric> e : context.metrics().metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.name().equals("restore-latency-max") && store.equals(n.tags().get("in-memory-state-id"))) {
        return (Double) e.getValue().metricValue();
      }
    }
    throw new AssertionError("no restore-latency-max metric for store " + store + ": " + context.metrics().metrics().keySet());
  }

  @Test
  void theWriteBehindLayerPassesTheRestoreTimeToTheMeteredStoreBelow() {
    WriteBehindStore<String> layer = new WriteBehindStore<>(meteredBelow("profiles", Serdes.String()), String::getBytes, 10);
    layer.init(context.getStateStoreContext(), layer);
    assertThat(restoreLatencyMax("profiles")).as("nothing restored yet").isNaN();

    assertThat(layer).isInstanceOf(MeteredStateStore.class);
    ((MeteredStateStore) layer).recordRestoreTime(7_000_000L);

    assertThat(restoreLatencyMax("profiles")).isEqualTo(7_000_000.0);
  }

  @Test
  void theFlushHookLayerPassesTheRestoreTimeToTheMeteredStoreBelow() {
    FlushHookStore<Bytes> layer = new FlushHookStore<>(meteredBelow("inactivity-index", Serdes.Bytes()));
    layer.init(context.getStateStoreContext(), layer);

    assertThat(layer).isInstanceOf(MeteredStateStore.class);
    ((MeteredStateStore) layer).recordRestoreTime(3_000_000L);

    assertThat(restoreLatencyMax("inactivity-index")).isEqualTo(3_000_000.0);
  }
}
