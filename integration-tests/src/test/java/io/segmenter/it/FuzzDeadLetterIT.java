package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.search.Search;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.generator.DirtyRecords;
import io.segmenter.generator.DirtyRecords.Dirty;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.serde.AvroSerializer;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.service.SegmenterService;
import io.segmenter.topology.SegmenterMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ten thousand bad records of every kind, interleaved with good events, through a real broker into a
 * running service: it stays up, every bad record is in the dead-letter topic with the reason of its
 * kind and the exact topic, partition and offset it came from, and every good event is processed.
 * produced = processed + dead-lettered, exactly (exactly-once: no crash, so no count is doubled).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FuzzDeadLetterIT {
  private static final int BAD = 10_000;
  private static final int PARTITIONS = 3;
  private static final Duration DEADLINE = Duration.ofMinutes(3);
  private static final String KIND_HEADER = "fuzz-kind";

  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;
  private static SchemaRegistryClient client;
  private static Path stateDir;

  @BeforeAll
  static void start() throws Exception {
    stateDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "fuzz-dlq-");
    kafka = EmbeddedKafka.start();
    registry = EmbeddedSchemaRegistry.start();
    client = CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) client.close();
    if (registry != null) registry.close();
    if (kafka != null) kafka.close();
  }

  @Test
  void everyBadRecordIsDeadLetteredWithItsReasonAndEveryGoodOneProcessed() throws Exception {
    Map<String, Object> settings = new HashMap<>();
    settings.put(SegmenterConfig.SCHEMA_REGISTRY_URL, registry.url());
    settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "fuzz-dlq-it");
    settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    settings.put(SegmenterConfig.HTTP_PORT, 0);
    // Access control has its own test (HttpSecurityIT); here the endpoints are read without credentials.
    settings.put(SegmenterConfig.HTTP_ACCESS_CONTROL, false);
    settings.put(SegmenterConfig.HTTP_HOST, "127.0.0.1");
    settings.put(SegmenterConfig.TOPICS_PARTITIONS, PARTITIONS);
    settings.put(SegmenterConfig.MODEL_WARMUP_POINTS, 200);
    settings.put(SegmenterConfig.MODEL_MIN_BATCH_POINTS, 500L);
    SegmenterConfig config = new SegmenterConfig(settings);
    String clicks = config.getString(SegmenterConfig.TOPIC_CLICKS);
    String orders = config.getString(SegmenterConfig.TOPIC_ORDERS);

    try (SegmenterService service = SegmenterService.start(config)) {
      assertThat(service.awaitRunning(Duration.ofSeconds(90))).as("streams RUNNING").isTrue();
      String threadBefore = threadNames(service);

      SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
          .withCustomers(150).withSpan(Duration.ofDays(20)).withSeed(5L));
      DirtyRecords dirty = new DirtyRecords(client, clicks, orders, Instant.now());
      AvroSerializer<Object> avro = new AvroSerializer<>(client);
      Map<String, String> kindAt = new HashMap<>();   // "topic/partition/offset" -> kind of the bad record there
      long good = 0;
      long goodDuplicates = 0;
      Instant started = Instant.now();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
          "bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", "true", "linger.ms", "5"),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        List<Map.Entry<String, Future<RecordMetadata>>> badSends = new ArrayList<>(BAD);
        Iterator<GeneratedEvent> events = generator.iterator();
        int bad = 0;
        // Good and bad interleaved on both input topics, until both are used up.
        while (events.hasNext() || bad < BAD) {
          for (int i = 0; i < 2 && events.hasNext(); i++) {
            GeneratedEvent e = events.next();
            String topic = e.isOrder() ? orders : clicks;
            producer.send(new ProducerRecord<>(topic, e.customerId().getBytes(StandardCharsets.UTF_8),
                avro.serialize(topic, e.event())));
            good++;
            if (e.isDuplicate()) goodDuplicates++;
          }
          if (bad < BAD) {
            Dirty d = dirty.make(DirtyRecords.Kind.values()[bad % DirtyRecords.Kind.values().length], bad);
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(d.click() ? clicks : orders, d.key(), d.value());
            r.headers().add(KIND_HEADER, d.kind().name().getBytes(StandardCharsets.UTF_8));
            badSends.add(Map.entry(d.kind().name(), producer.send(r)));
            bad++;
          }
        }
        producer.flush();
        for (Map.Entry<String, Future<RecordMetadata>> s : badSends) {
          RecordMetadata m = s.getValue().get();
          kindAt.put(m.topic() + "/" + m.partition() + "/" + m.offset(), s.getKey());
        }
      }
      System.out.printf("FuzzDeadLetterIT: produced %d good events (%d of them retries of an earlier one) and %d bad "
          + "records of %d kinds%n", good, goodDuplicates, BAD, DirtyRecords.Kind.values().length);

      List<ConsumerRecord<String, byte[]>> dead;
      try (TopicReader<byte[]> dlq = new TopicReader<>(kafka.bootstrapServers(),
          config.getString(SegmenterConfig.TOPIC_DLQ), new ByteArrayDeserializer())) {
        Instant deadline = Instant.now().plus(DEADLINE);
        long handled = 0;
        while (true) {
          dead = dlq.poll(Duration.ofMillis(500));
          handled = count(service, "processed") + count(service, "duplicate");
          if (dead.size() >= BAD && handled >= good) break;
          assertThat(Instant.now()).as("all handled: %d of %d dead-lettered, %d of %d good", dead.size(), BAD, handled, good)
              .isBefore(deadline);
        }
        System.out.printf("FuzzDeadLetterIT: all handled %.1f s after the first send%n",
            Duration.between(started, Instant.now()).toMillis() / 1000.0);
        // Give a doubled record the chance to show up before the exact counts are taken.
        dead = dlq.readToEnd(Duration.ofSeconds(30));
      }

      long processed = count(service, "processed");
      long duplicates = count(service, "duplicate");
      assertThat(dead).as("dead-lettered records").hasSize(BAD);
      assertThat(processed + duplicates).as("good events handled").isEqualTo(good);
      assertThat(duplicates).as("retried good events recognised as such").isEqualTo(goodDuplicates);
      assertThat(good + BAD).as("produced = processed + dead-lettered").isEqualTo(processed + duplicates + dead.size());

      Map<String, Integer> byReason = new TreeMap<>();
      for (ConsumerRecord<String, byte[]> r : dead) {
        String kind = text(r, KIND_HEADER);
        assertThat(kind).as("a good event was dead-lettered: %s", text(r, "segmenter.dlq.reason")).isNotNull();
        String origin = text(r, "__streams.errors.topic") + "/" + text(r, "__streams.errors.partition") + "/"
            + text(r, "__streams.errors.offset");
        assertThat(kindAt.get(origin)).as("the record produced at %s", origin).isEqualTo(kind);
        String reason = text(r, "segmenter.dlq.reason");
        assertThat(reason).as("reason for %s", kind).isEqualTo(DirtyRecords.Kind.valueOf(kind).reason);
        assertThat(text(r, "__streams.errors.exception")).isNotBlank();
        assertThat(Instant.parse(text(r, "segmenter.dlq.rejected.at"))).isAfterOrEqualTo(started.minusSeconds(1));
        byReason.merge(reason, 1, Integer::sum);
      }
      assertThat(kindAt.keySet()).as("every bad record's position, once").hasSize(BAD);
      System.out.println("FuzzDeadLetterIT: dead-lettered by reason " + byReason);

      // Counted in the metrics by reason, the same figures; every other reason's series (registered
      // at 0 from the start, for rate() and the alerts) still 0.
      Map<String, Integer> metricByReason = new TreeMap<>();
      Search.in(service.meters()).name(SegmenterMetrics.EVENTS_INVALID).counters().stream()
          .filter(c -> c.count() > 0)
          .forEach(c -> metricByReason.put(c.getId().getTag("reason"), (int) c.count()));
      assertThat(metricByReason).isEqualTo(byReason);

      // Still up, with the stream thread it started with (none failed and was replaced).
      assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(threadNames(service)).isEqualTo(threadBefore);
      System.out.printf("FuzzDeadLetterIT: %d processed + %d retries dropped + %d dead-lettered = %d produced; "
          + "streams %s, threads %s%n", processed, duplicates, dead.size(), good + BAD, service.streams().state(), threadBefore);
    }
  }

  private static long count(SegmenterService service, String outcome) {
    return (long) Search.in(service.meters()).name(SegmenterMetrics.EVENTS_IN).tag("outcome", outcome).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  private static String threadNames(SegmenterService service) {
    return service.streams().metadataForLocalThreads().stream().map(t -> t.threadName()).sorted().toList().toString();
  }

  private static String text(ConsumerRecord<?, ?> r, String header) {
    Header h = r.headers().lastHeader(header);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
