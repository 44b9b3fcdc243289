package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.replay.OnlineRetailOrders;
import io.segmenter.serde.SpecificAvroSerde;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * generate and replay against a real broker (in-JVM KRaft) and the embedded registry: every event
 * they report is in the topics, keyed by its customer, and decodes with the project's serde. Each
 * test uses its own topic names on the one broker.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProduceToBrokerTest {
  private static final Duration READ_DEADLINE = Duration.ofSeconds(60);
  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    registry = EmbeddedSchemaRegistry.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) registry.close();
    if (kafka != null) kafka.close();
  }

  record Outcome(int code, String out, String err) { }

  private static Outcome run(String command, String... args) {
    CommandLine cl = SegmenterTools.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    Object cmd = cl.getSubcommands().get(command).getCommand();
    // Not the machine's SEGMENTER_* variables.
    if (cmd instanceof GenerateCommand g) g.environment = Map.of();
    if (cmd instanceof ReplayCommand r) r.environment = Map.of();
    List<String> all = new ArrayList<>(List.of(command, "--bootstrap-servers", kafka.bootstrapServers(),
        "--schema-registry-url", registry.url()));
    all.addAll(List.of(args));
    int code = cl.execute(all.toArray(String[]::new));
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void generateProducesEveryEventOfTheHistoryKeyedByCustomer() throws Exception {
    Instant start = Instant.parse("2026-02-01T00:00:00Z");
    Outcome o = run("generate", "--customers", "40", "--days", "7", "--seed", "5", "--start", start.toString(),
        "--create-topics", "-s", "segmenter.topic.clicks=g1-clicks", "-s", "segmenter.topic.orders=g1-orders",
        "-s", "segmenter.topics.partitions=3");
    assertThat(o.code()).as(o.err()).isZero();

    List<GeneratedEvent> expected = new ArrayList<>();
    SyntheticGenerator.create(GeneratorConfig.defaults().withCustomers(40).withSpan(Duration.ofDays(7)).withSeed(5)
        .withStart(start)).forEach(expected::add);
    long orders = expected.stream().filter(GeneratedEvent::isOrder).count();
    long clicks = expected.size() - orders;
    assertThat(orders).isPositive();

    List<ConsumerRecord<String, ClickEvent>> gotClicks = readAll("g1-clicks", ClickEvent.class);
    List<ConsumerRecord<String, OrderEvent>> gotOrders = readAll("g1-orders", OrderEvent.class);
    assertThat(gotClicks).hasSize((int) clicks);
    assertThat(gotOrders).hasSize((int) orders);
    assertThat(gotClicks).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getCustomerId()));
    assertThat(gotOrders).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getCustomerId()));
    Set<String> expectedIds = expected.stream().filter(e -> !e.isOrder())
        .map(e -> ((ClickEvent) e.event()).getEventId()).collect(Collectors.toSet());
    assertThat(gotClicks.stream().map(r -> r.value().getEventId()).collect(Collectors.toSet())).isEqualTo(expectedIds);
    assertThat(o.out()).contains(String.format("generate: %,d events (%,d orders, %,d clicks)", expected.size(), orders, clicks));
    assertThat(o.out()).contains("created topics");
  }

  @Test
  void generateLiveKeepsProducingEventsDatedNowUntilTheDuration() throws Exception {
    long before = System.currentTimeMillis();
    Outcome o = run("generate", "--customers", "10", "--days", "2", "--live", "--live-rate", "40", "--duration", "3",
        "--create-topics", "-s", "segmenter.topic.clicks=g2-clicks", "-s", "segmenter.topic.orders=g2-orders");
    assertThat(o.code()).as(o.err()).isZero();
    java.util.regex.Matcher summary = java.util.regex.Pattern.compile("history: ([0-9,]+) events; live: ([0-9,]+) events")
        .matcher(o.out());
    assertThat(summary.find()).as(o.out()).isTrue();
    long history = Long.parseLong(summary.group(1).replace(",", ""));
    long reportedLive = Long.parseLong(summary.group(2).replace(",", ""));
    List<ConsumerRecord<String, ClickEvent>> clicks = readAll("g2-clicks", ClickEvent.class);
    List<ConsumerRecord<String, OrderEvent>> orders = readAll("g2-orders", OrderEvent.class);
    long live = clicks.stream().filter(r -> r.value().getEventId().startsWith("live")).count()
        + orders.stream().filter(r -> r.value().getOrderId().startsWith("live")).count();
    assertThat(live).isEqualTo(reportedLive);
    assertThat(clicks.size() + orders.size()).isEqualTo(history + live);
    assertThat(history).as("10 customers over 2 days").isGreaterThan(10);
    // 3 s in all at 40 per second: some live events, and never more than the rate allows.
    assertThat(live).isBetween(1L, 3L * 40 + 1);
    assertThat(clicks).filteredOn(r -> r.value().getEventId().startsWith("live"))
        .allSatisfy(r -> assertThat(r.value().getOccurredAt().toEpochMilli()).isBetween(before, System.currentTimeMillis()));
    // The history ends now (--start not given): its events are in the --days before the command ran.
    assertThat(clicks).filteredOn(r -> !r.value().getEventId().startsWith("live"))
        .allSatisfy(r -> assertThat(r.value().getOccurredAt().toEpochMilli())
            .isBetween(before - Duration.ofDays(2).toMillis() - 1_000, System.currentTimeMillis()));
  }

  @Test
  void generateWithoutTopicsSaysWhatIsMissing() throws Exception {
    Outcome o = run("generate", "--customers", "2", "--days", "1", "-s", "segmenter.topic.clicks=nowhere-clicks",
        "-s", "segmenter.topic.orders=nowhere-orders");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err()).contains("missing topic(s) nowhere-clicks (segmenter.topic.clicks), nowhere-orders")
        .contains("--create-topics");
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("nowhere-clicks", "nowhere-orders");
    }
  }

  @Test
  void replayProducesEveryInvoiceOfTheRealFile() throws Exception {
    Path dir = OnlineRetailOrders.defaultLocation().getParent();
    Outcome o = run("replay", dir.toString(), "--create-topics", "-s", "segmenter.topic.orders=r1-orders",
        "-s", "segmenter.topic.clicks=r1-clicks");
    assertThat(o.code()).as(o.err()).isZero();
    List<ConsumerRecord<String, OrderEvent>> orders = readAll("r1-orders", OrderEvent.class);
    assertThat(orders).hasSize(23_587);
    assertThat(orders).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getCustomerId()));
    assertThat(orders.stream().filter(r -> r.value().getStatus() == OrderStatus.CANCELLED).count()).isEqualTo(4_372);
    assertThat(orders.stream().map(ConsumerRecord::key).distinct().count()).isEqualTo(4_383);
    assertThat(o.out()).contains("  orders produced                23,587   to r1-orders")
        .contains("no customer id").contains("107,927")
        .contains("note: the orders are in GBP");
  }

  @Test
  void replayOfATinyFileWithARate(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("tiny.csv"), """
        Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country
        100,A1,"BOX, RED",2,2010-01-02 10:01,1.5,12345.0,United Kingdom
        101,A1,NO CUSTOMER,5,2010-01-02 09:00,1,,France
        C102,A1,"BOX, RED",-2,2010-01-01 08:00,1.5,777,United Kingdom
        103,A3,BAD NUMBER,two,2010-01-03 11:00,1,888,United Kingdom
        """);
    Outcome o = run("replay", csv.toString(), "--rate", "100", "--create-topics", "-s", "segmenter.topic.orders=r2-orders",
        "-s", "segmenter.topic.clicks=r2-clicks", "-s", "segmenter.currency=GBP", "-s", "segmenter.topics.partitions=1");
    assertThat(o.code()).as(o.err()).isZero();
    List<ConsumerRecord<String, OrderEvent>> orders = readAll("r2-orders", OrderEvent.class);
    // One partition: the order of the topic is the order sent, which is time order.
    assertThat(orders).extracting(r -> r.value().getOrderId()).containsExactly("C102", "100");
    assertThat(o.out()).contains("rows read                           4")
        .contains("                                      1   quantity not a whole number")
        .doesNotContain("note:");
  }

  @Test
  void replayOfAnotherKindOfCsvNamesTheColumnsBeforeTouchingTheCluster(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("clicks.csv"), "event_time,event_type,price,user_id\n");
    Outcome o = run("replay", csv.toString(), "--create-topics", "-s", "segmenter.topic.orders=r3-orders",
        "-s", "segmenter.topic.clicks=r3-clicks");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).startsWith("segmenter replay: " + csv + ": not a UCI Online Retail file")
        .contains("its columns are \"event_time\", \"event_type\", \"price\", \"user_id\"").contains("--columns");
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("r3-orders");
    }
  }

  @Test
  void replayOfAMappedFile(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("shop.csv"), """
        Order No,Client,Date,Total
        A-1,alice,01/03/2024 10:15,19.90
        A-1,alice,01/03/2024 10:16,5.10
        A-2,bob,02/03/2024 09:00,-42
        A-3,,02/03/2024 09:30,7
        """);
    Outcome o = run("replay", csv.toString(), "--columns", "customer=Client,order=Order No,time=Date,amount=Total",
        "--currency", "EUR", "--time-format", "dd/MM/uuuu HH:mm", "--create-topics",
        "-s", "segmenter.topic.orders=r4-orders", "-s", "segmenter.topic.clicks=r4-clicks",
        "-s", "segmenter.topics.partitions=1");
    assertThat(o.code()).as(o.err()).isZero();
    List<ConsumerRecord<String, OrderEvent>> orders = readAll("r4-orders", OrderEvent.class);
    assertThat(orders).extracting(r -> r.value().getOrderId()).containsExactly("A-1", "A-2");
    assertThat(orders).extracting(r -> r.value().getCurrency()).containsOnly("EUR");
    assertThat(orders.get(1).value().getStatus()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(o.out()).contains("  read as                  columns customer=Client,order=Order No,time=Date,amount=Total;"
            + " amounts in EUR; orders with a negative total are cancellations; times pattern 'dd/MM/uuuu HH:mm'")
        .contains("                                      1   no customer id")
        .contains("note: the orders are in EUR");
  }

  /** Every record of the topic, read until the end offsets seen at the start (the command has flushed). */
  private static <T extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<String, T>> readAll(
      String topic, Class<T> type) throws Exception {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("isolation.level", "read_committed");
    List<ConsumerRecord<String, T>> records = new ArrayList<>();
    try (SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
         KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
             new ByteArrayDeserializer())) {
      serde.configure(Map.of("schema.registry.url", registry.url()), false);
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + READ_DEADLINE.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("read %s to its end within %s", topic, READ_DEADLINE).isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          T value = serde.deserializer().deserialize(topic, r.value());
          records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), value));
        }
      }
    }
    return records;
  }
}
