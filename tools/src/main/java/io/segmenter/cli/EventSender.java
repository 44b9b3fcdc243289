package io.segmenter.cli;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends click and order events to segmenter's input topics, keyed by customer id, as Avro in the
 * Confluent wire format through the project's serde (schemas auto-registered unless the settings say
 * otherwise). Shared by {@code generate}, {@code replay} and {@code demo}, and by the integration tests
 * and the throughput benchmark, which produce generated input the same way.
 *
 * <p>The record timestamp is left to the producer (now): segmenter reads event time from the
 * payload's occurredAt, and history stamped with its own time would be deleted by the broker's
 * time-based retention at its first check.
 *
 * <p>Counts are of records the broker acknowledged. The first failed send fails the next {@link
 * #send} and {@link #flush}: a generator that silently loses events would report wrong numbers.
 */
public final class EventSender implements AutoCloseable {
  private final String clicksTopic;
  private final String ordersTopic;
  private final SchemaRegistryClient registry;
  private final SpecificAvroSerde<ClickEvent> clicks;
  private final SpecificAvroSerde<OrderEvent> orders;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong ackedClicks = new AtomicLong();
  private final AtomicLong ackedOrders = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  /**
   * @param config topics, registry and currency
   * @param settings the merged settings: bootstrap.servers (required) and any producer setting
   */
  public EventSender(SegmenterConfig config, Map<String, Object> settings) {
    this.clicksTopic = config.getString(SegmenterConfig.TOPIC_CLICKS);
    this.ordersTopic = config.getString(SegmenterConfig.TOPIC_ORDERS);
    Map<String, Object> serdeConfig = config.serdeConfig();
    this.registry = CachedSchemaRegistryClient.fromProperties(serdeConfig);
    try {
      this.clicks = new SpecificAvroSerde<>(ClickEvent.class, registry);
      clicks.configure(serdeConfig, false);
      this.orders = new SpecificAvroSerde<>(OrderEvent.class, registry);
      orders.configure(serdeConfig, false);
      Map<String, Object> producerConfig = new HashMap<>();
      // Throughput defaults for bulk history; any producer setting given wins.
      producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
      producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 20);
      producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
      producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "segmenter-cli-producer");
      // One request in flight per connection: with several, a request that reaches a partition the
      // broker has not finished creating fails (NOT_LEADER_OR_FOLLOWER) while the next is appended,
      // and the idempotent producer then retries the first with OUT_OF_ORDER_SEQUENCE_NUMBER until
      // delivery.timeout.ms drops it (KAFKA-15591, not fixed in 4.3.1). This happens right after
      // --create-topics; the cost is some throughput against a distant broker.
      producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
      producerConfig.putAll(ClientSettings.producer(settings));
      producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ClientSettings.bootstrapServers(settings));
      Serializer<SpecificRecord> values = (topic, value) -> value instanceof ClickEvent c
          ? clicks.serializer().serialize(topic, c)
          : orders.serializer().serialize(topic, (OrderEvent) value);
      this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), values);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  /** Sends one ClickEvent or OrderEvent to its topic under the customer's key. */
  public void send(String customerId, SpecificRecord event) {
    Exception failed = failure.get();
    if (failed != null) throw new KafkaException("sending events failed: " + failed.getMessage(), failed);
    boolean order = event instanceof OrderEvent;
    if (!order && !(event instanceof ClickEvent)) {
      throw new IllegalArgumentException("not a ClickEvent or OrderEvent: " + event.getClass().getName());
    }
    producer.send(new ProducerRecord<>(order ? ordersTopic : clicksTopic, customerId, event), (meta, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      } else if (order) {
        ackedOrders.incrementAndGet();
      } else {
        ackedClicks.incrementAndGet();
      }
    });
    sent.incrementAndGet();
  }

  /** Sends every generated event, as fast as the producer takes them, and waits for them all; returns how many. */
  public long sendAll(Iterable<io.segmenter.generator.GeneratedEvent> events) {
    long before = sent.get();
    for (io.segmenter.generator.GeneratedEvent e : events) send(e.customerId(), e.event());
    flush();
    return sent.get() - before;
  }

  /** Waits until every record sent so far is acknowledged; throws if any failed. */
  public void flush() {
    producer.flush();
    Exception failed = failure.get();
    if (failed != null) throw new KafkaException("sending events failed: " + failed.getMessage(), failed);
  }

  /** Records handed to the producer (acknowledged or not yet). */
  public long sent() {
    return sent.get();
  }

  public long ackedClicks() {
    return ackedClicks.get();
  }

  public long ackedOrders() {
    return ackedOrders.get();
  }

  public long acked() {
    return ackedClicks.get() + ackedOrders.get();
  }

  String clicksTopic() {
    return clicksTopic;
  }

  String ordersTopic() {
    return ordersTopic;
  }

  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(30));
    } finally {
      clicks.close();
      orders.close();
      registry.close();
    }
  }
}
