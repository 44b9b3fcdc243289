package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.search.Search;
import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ChangeReason;
import io.segmenter.cli.SegmenterTools;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.events.SegmentChange;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.service.SegmenterService;
import io.segmenter.topology.SegmenterMetrics;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Erasure on a real broker: after the requests, no store (asked over HTTP), no changelog (latest
 * value per key, read from the broker: the profiles', the indexes' and the segment history's) and no output topic (latest value per key) holds anything of
 * the erased customers, while everyone else is untouched; later events start fresh profiles.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ErasureIT {
  private static final String APP = "erasure-it";
  private static final int VICTIMS = 5;
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;
  private static SchemaRegistryClient client;
  private static Path stateDir;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    stateDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "erasure-");
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
  void erasedCustomersLeaveNoTraceInStoresChangelogsOrOutputs() throws Exception {
    Map<String, Object> settings = new HashMap<>();
    settings.put(SegmenterConfig.SCHEMA_REGISTRY_URL, registry.url());
    settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    settings.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
    settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    settings.put(SegmenterConfig.HTTP_PORT, 0);
    // Access control has its own test (HttpSecurityIT); here the endpoints are read without credentials.
    settings.put(SegmenterConfig.HTTP_ACCESS_CONTROL, false);
    settings.put(SegmenterConfig.HTTP_HOST, "127.0.0.1");
    settings.put(SegmenterConfig.HTTP_ADVERTISED_HOST, "127.0.0.1");
    settings.put(SegmenterConfig.TOPICS_PARTITIONS, 2);
    settings.put(SegmenterConfig.MODEL_WARMUP_POINTS, 100);
    settings.put(SegmenterConfig.MODEL_MIN_BATCH_POINTS, 300L);
    settings.put(SegmenterConfig.MODEL_DELTA_POINTS, 50);
    settings.put(SegmenterConfig.MODEL_DELTA_INTERVAL_MS, 500L);
    settings.put(SegmenterConfig.INACTIVITY_PUNCTUATE_MS, 1_000L);
    SegmenterConfig config = new SegmenterConfig(settings);

    try (SegmenterService service = SegmenterService.start(config)) {
      assertThat(service.awaitRunning(Duration.ofSeconds(90))).isTrue();
      SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
          .withCustomers(120).withSpan(Duration.ofDays(20)).withSeed(3L));
      try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
        sender.sendAll(generator);
      }
      Set<String> customers = new TreeSet<>(generator.groundTruth().keySet());
      // A customer is known (200) before the first model version assigns them; their first change (and
      // its history entry) comes with that version, and reaches the changelogs at the next commit.
      await("every customer has a segment", () -> {
        for (String c : customers) {
          HttpResponse<String> r = customer(service, c);
          if (r.statusCode() != 200 || JSON.readTree(r.body()).path("history").isEmpty()) return false;
        }
        return true;
      });
      List<String> victims = customers.stream().limit(VICTIMS).toList();
      List<String> others = customers.stream().skip(VICTIMS).toList();
      java.util.concurrent.atomic.AtomicReference<Map<String, List<String>>> read = new java.util.concurrent.atomic.AtomicReference<>();
      await("the victims' first changes committed to the changelogs", () -> {
        read.set(everythingMentioning(config, victims));
        for (String v : victims) {
          if (read.get().getOrDefault(v, List.of()).stream().noneMatch(t -> t.contains("segment-history-changelog"))) return false;
        }
        return true;
      });
      Map<String, List<String>> before = read.get();
      for (String v : victims) {
        assertThat(before.get(v)).as("traces of %s before the erasure", v).isNotEmpty()
            .anyMatch(t -> t.contains("segment-history-changelog"));
        JsonNode looked = JSON.readTree(customer(service, v).body());
        assertThat(looked.get("history")).as("%s's history before the erasure", v).isNotEmpty();
        assertThat(looked.at("/history/0/sequence").asLong()).isEqualTo(looked.at("/segment/changeSequence").asLong());
      }

      // Through the command line, as an operator would.
      List<String> args = new ArrayList<>(List.of("erase", "--bootstrap-servers", kafka.bootstrapServers(),
          "--schema-registry-url", registry.url(), "--request-id", "gdpr-ticket-17"));
      args.addAll(victims);
      assertThat(SegmenterTools.execute(args.toArray(String[]::new))).as("segmenter erase exit code").isZero();
      await("erased customers answer 404", () -> {
        for (String v : victims) if (status(service, v) != 404) return false;
        return true;
      });
      // Exactly-once: the outputs and the changelog tombstones are in the same committed transaction.
      // Wait for that transaction to be readable on the output, then read everything.
      await("tombstones on customer-segments", () -> latest(config, config.getString(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS))
          .entrySet().stream().filter(e -> victims.contains(e.getKey())).allMatch(e -> e.getValue() == null));

      Map<String, List<String>> after = everythingMentioning(config, victims);
      for (String v : victims) {
        assertThat(after.get(v)).as("what still mentions %s (topic: key)", v).isEmpty();
      }
      Map<String, byte[]> changes = latest(config, config.getString(SegmenterConfig.TOPIC_SEGMENT_CHANGES));
      SpecificAvroSerde<SegmentChange> changeSerde = serde(SegmentChange.class, config);
      for (String v : victims) {
        SegmentChange last = changeSerde.deserializer().deserialize("", changes.get(v));
        assertThat(last.getReason()).isEqualTo(ChangeReason.ERASURE);
        assertThat(last.getNewSegment()).isNull();
        assertThat(last.getRfm()).isNull();
      }
      for (String o : others) assertThat(status(service, o)).as("untouched %s", o).isEqualTo(200);
      double erased = Search.in(service.meters()).name(SegmenterMetrics.ERASURES).tag("outcome", "erased").counter().count();
      assertThat(erased).isEqualTo(VICTIMS);

      // Life goes on: a later order of an erased customer starts a profile from nothing.
      String back = victims.get(0);
      try (KafkaProducer<String, OrderEvent> producer = producer(config, OrderEvent.class)) {
        producer.send(new ProducerRecord<>(config.getString(SegmenterConfig.TOPIC_ORDERS), back, OrderEvent.newBuilder()
            .setOrderId("after-erasure").setCustomerId(back).setStatus(OrderStatus.PLACED)
            .setAmount(new BigDecimal("42.0000")).setCurrency("EUR").setItemCount(1)
            .setOccurredAt(generator.end().plusSeconds(60)).build())).get();
      }
      await(back + " back with a fresh profile", () -> status(service, back) == 200);
      JsonNode fresh = JSON.readTree(customer(service, back).body());
      assertThat(fresh.at("/profile/orders").asLong()).isEqualTo(1);
      assertThat(fresh.at("/segment/changeSequence").asLong()).isEqualTo(1);
      assertThat(fresh.get("history")).as("the history after the erasure: only the fresh profile's first change")
          .hasSize(1);
      assertThat(fresh.at("/history/0/sequence").asLong()).isEqualTo(1);
      assertThat(fresh.at("/history/0/from").isNull()).isTrue();
      System.out.printf("ErasureIT: %d customers, %d erased; nothing of them in %d changelog and output topics; "
          + "%d others untouched%n", customers.size(), VICTIMS, topicsToSearch(config).size(), others.size());
    }
  }

  /**
   * Per customer, "topic: key" of every record whose LATEST value per key still mentions them, in key
   * or value. Each topic is read once for all of them (a consumer per topic and customer took most of
   * the test's time).
   */
  private Map<String, List<String>> everythingMentioning(SegmenterConfig config, List<String> customers) throws Exception {
    Map<String, List<String>> found = new HashMap<>();
    for (String customer : customers) found.put(customer, new ArrayList<>());
    for (String topic : topicsToSearch(config)) {
      Map<String, byte[]> latest = latest(config, topic);
      for (String customer : customers) {
        byte[] id = customer.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, byte[]> e : latest.entrySet()) {
          if (e.getValue() == null) continue;
          byte[] key = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
          if (contains(key, id) || contains(e.getValue(), id)) found.get(customer).add(topic + ": " + printable(key));
        }
      }
    }
    return found;
  }

  /** The application's changelogs and the outputs keyed by customer. */
  private static List<String> topicsToSearch(SegmenterConfig config) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      List<String> topics = new ArrayList<>(admin.listTopics().names().get().stream()
          .filter(t -> t.startsWith(APP + "-") && t.endsWith("-changelog")).sorted().toList());
      assertThat(topics).as("changelogs").anyMatch(t -> t.contains("profiles"))
          .anyMatch(t -> t.contains("inactivity-index")).anyMatch(t -> t.contains("segment-members"))
          .anyMatch(t -> t.contains("segment-history"));
      topics.add(config.getString(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS));
      return topics;
    }
  }

  /** Latest value per key (raw bytes; the key as ISO-8859-1 text, one char per byte), read_committed. */
  private static Map<String, byte[]> latest(SegmenterConfig config, String topic) {
    Map<String, byte[]> out = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "isolation.level", "read_committed", "enable.auto.commit", "false"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plusSeconds(30);
      while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        assertThat(Instant.now()).as("reading %s to its end", topic).isBefore(deadline);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.put(new String(r.key(), StandardCharsets.ISO_8859_1), r.value());
        }
      }
    }
    return out;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    return indexOf(haystack, needle) >= 0;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  private static String printable(byte[] key) {
    StringBuilder sb = new StringBuilder();
    for (byte b : key) sb.append(b >= 32 && b < 127 ? (char) b : '.');
    return sb.toString();
  }

  private int status(SegmenterService s, String customer) throws Exception {
    return customer(s, customer).statusCode();
  }

  private HttpResponse<String> customer(SegmenterService s, String customer) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + "/customers/" + customer))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, T> producer(
      SegmenterConfig config, Class<T> type) {
    SpecificAvroSerde<T> serde = serde(type, config);
    return new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), serde.serializer());
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type,
      SegmenterConfig config) {
    SpecificAvroSerde<T> s = new SpecificAvroSerde<>(type, client);
    s.configure(config.serdeConfig(), false);
    return s;
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(String what, Check check) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!check.holds()) {
      assertThat(Instant.now()).as(what).isBefore(deadline);
      TimeUnit.MILLISECONDS.sleep(200); // poll interval of a condition with a deadline
    }
  }
}
