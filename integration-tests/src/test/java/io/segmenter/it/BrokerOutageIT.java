package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.SegmentChange;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.serde.SpecificAvroSerde;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Outages of what segmenter depends on, survived by one running {@code segmenter run} process
 * without a restart:
 *
 * <ol>
 *   <li>the broker (a separate KRaft process) is stopped (SIGTERM) for at least 20 s while segmenter
 *       is working through a backlog and the test goes on producing, then started again on the same
 *       data and port, and more events follow:
 *       every event ends up in the customer's profile exactly once, every customer has a segment,
 *       change sequences have no gap and no repeat;
 *   <li>the schema registry answers 503 to everything while more events (schemas already
 *       registered) are produced: they are processed through the serde's cache, nothing is
 *       dead-lettered.
 * </ol>
 *
 * "Exactly once" is checked on the state, not on the counters: after an aborted transaction Kafka
 * Streams re-processes the records since the last commit, and the counters count those attempts
 * again (docs/METRICS.md). The profile counts (page views, ..., orders, returns) are the sum of what
 * was applied and committed, per customer, so a lost or doubled event shows there.
 */
class BrokerOutageIT {
  private static final String APP_ID = "segmenter-outage-it";
  private static final int CUSTOMERS = 150;
  private static final int DAYS = 15;
  /** Share of the generated history produced around the broker outage; the rest goes in during the registry outage. */
  private static final double BROKER_PHASE_SHARE = 0.85;
  /**
   * Production rate of the broker phase until the broker is back: slower than segmenter's processing,
   * so that the producer is still going when the broker stops and while it is away. Once the broker
   * is back the rest goes in at full speed (pacing it on took about 35 s and showed nothing more).
   */
  private static final int EVENTS_PER_SECOND = 100;
  /** Share of the broker-phase events held back until the broker is back. */
  private static final double HELD_BACK_SHARE = 0.15;
  /**
   * The first events go in at once, as a backlog: when the broker stops (once segmenter has processed
   * PROCESSED_BEFORE_STOP of them) segmenter is busy, with a transaction open. That is the hard case:
   * back from the outage, the broker may abort it for its age (transaction.timeout.ms, 10 s under
   * exactly-once) before segmenter's commit gets through; which of the two comes first is a race.
   */
  private static final int BURST = 3_000;
  private static final int PROCESSED_BEFORE_STOP = 1_000;
  private static final Duration OUTAGE = Duration.ofSeconds(20);
  private static final Duration DEADLINE = Duration.ofSeconds(180);
  private static final String DLQ = "segmenter-dlq";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ExternalKafka kafka;
  private EmbeddedSchemaRegistry registry;

  @BeforeEach
  void startDependencies() throws Exception {
    kafka = ExternalKafka.create();
    registry = EmbeddedSchemaRegistry.start();
  }

  @AfterEach
  void stopDependencies() throws Exception {
    if (registry != null) registry.close();
    if (kafka != null) {
      System.out.println("BrokerOutageIT: broker log " + kafka.log());
      kafka.close();
    }
  }

  @Test
  @Timeout(600)
  void oneRunningInstanceSurvivesABrokerOutageAndARegistryOutage() throws Exception {
    List<GeneratedEvent> events = generate();
    int brokerPhase = (int) (events.size() * BROKER_PHASE_SHARE);
    int port = SegmenterProcess.freePort();
    try (SegmenterProcess segmenter = SegmenterProcess.start("outage-run", instance(port), port, "run");
         EventSender sender = new EventSender(new SegmenterConfig(cluster()), producerSettings())) {
      segmenter.awaitReady(DEADLINE);
      brokerOutage(segmenter, sender, events.subList(0, brokerPhase));
      registryOutage(segmenter, sender, events, brokerPhase);
      assertThat(segmenter.logText()).as("segmenter log")
          .doesNotContain("-> ERROR").doesNotContain("-> PENDING_ERROR");
      assertThat(count(segmenter.logText(), "segmenter started")).as("service starts in the one process").isEqualTo(1);
      System.out.printf("BrokerOutageIT: stream threads replaced by the uncaught-exception handler: %d; log %s%n",
          count(segmenter.logText(), "stream thread failed; replacing it"), "outage-run-*.log");
    }
  }

  // ---------------------------------------------------------------- broker outage

  private void brokerOutage(SegmenterProcess segmenter, EventSender sender, List<GeneratedEvent> events)
      throws Exception {
    int heldBack = (int) (events.size() * (1 - HELD_BACK_SHARE));
    CountDownLatch brokerBack = new CountDownLatch(1);
    Producer producer = Producer.start(sender, events, heldBack, brokerBack);
    // Mid-stream: segmenter is well into the input and the producer is still going.
    awaitCondition("segmenter processed " + PROCESSED_BEFORE_STOP + " events", () ->
        processed(segmenter) >= PROCESSED_BEFORE_STOP);
    double processedBefore = processed(segmenter);
    int sentBefore = producer.sent();
    long unackedBefore = sentBefore - sender.acked();
    assertThat(sentBefore).as("events produced when the broker stops (the producer must still be going)")
        .isLessThan(heldBack);

    Instant stopAt = Instant.now();
    kafka.stop();
    Instant down = Instant.now();
    // The outage itself: segmenter is watched (alive, what /health/ready says) until it has lasted OUTAGE.
    Set<String> readinessDuring = new TreeSet<>();
    while (Duration.between(down, Instant.now()).compareTo(OUTAGE) < 0) {
      assertThat(segmenter.isAlive()).as("segmenter process alive during the broker outage").isTrue();
      readinessDuring.add(readiness(segmenter));
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500)); // sampling interval of the probe
    }
    Instant restartAt = Instant.now();
    kafka.start();
    Instant up = Instant.now();
    int sentDuringOutage = producer.sent() - sentBefore;
    brokerBack.countDown(); // the rest of the events go in now that the broker is back

    // Both watched in one loop, so that each time is measured from the restart.
    double processedAtRestart = processed(segmenter);
    Instant readyAgain = null;
    Instant resumed = null;
    while (readyAgain == null || resumed == null) {
      assertThat(Instant.now()).as("ready and processing again within %s of the restart", DEADLINE)
          .isBefore(up.plus(DEADLINE));
      if (readyAgain == null && "200".equals(readiness(segmenter))) readyAgain = Instant.now();
      if (resumed == null && processed(segmenter) > processedAtRestart) resumed = Instant.now();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // poll interval of a wait with a deadline
    }
    producer.await(DEADLINE);
    sender.flush();
    Instant lastAcked = Instant.now();
    assertThat(sender.acked()).as("events the broker acknowledged to the test's producer").isEqualTo(events.size());
    Instant caughtUp = awaitCaughtUp();
    assertThat(readiness(segmenter)).as("/health/ready once the backlog is processed").isEqualTo("200");

    assertThat(segmenter.isAlive()).as("the same segmenter process, never restarted").isTrue();
    Expected expected = Expected.of(events);
    assertInputTopicsHoldExactly(expected.events());
    Outcome outcome = assertEverythingProcessedOnce(segmenter, expected);
    assertChangeTopics(expected.customers());

    System.out.printf("BrokerOutageIT broker outage: SIGTERM to process exit %.1f s; broker down %.1f s (exit to "
            + "restart), unreachable %.1f s (SIGTERM to answering again); /health/ready during the outage %s%n",
        secs(stopAt, down), secs(down, restartAt), secs(stopAt, up), readinessDuring);
    // While the broker is away the producer takes records until it re-bootstraps (Kafka 4's
    // metadata.recovery.strategy) and forgets the topics; then send() waits for the broker (max.block.ms).
    System.out.printf("BrokerOutageIT broker outage: %d events produced (%d before the stop, of which %d not yet "
            + "acknowledged; %d taken by the producer while the broker was down; the rest after), %d customers; "
            + "segmenter had processed %.0f at the stop%n",
        events.size(), sentBefore, unackedBefore, sentDuringOutage, expected.customers().size(), processedBefore);
    System.out.printf("BrokerOutageIT broker outage: after the broker was back: /health/ready 200 in %.1f s, "
            + "processing resumed in %.1f s; all input processed and committed %.1f s after the restart (%.1f s "
            + "after the producer's last ack)%n",
        secs(up, readyAgain), secs(up, resumed), secs(up, caughtUp), secs(lastAcked, caughtUp));
    System.out.printf("BrokerOutageIT broker outage: %s%n", outcome);
  }

  // ---------------------------------------------------------------- registry outage

  private void registryOutage(SegmenterProcess segmenter, EventSender sender, List<GeneratedEvent> all, int from)
      throws Exception {
    List<GeneratedEvent> events = all.subList(from, all.size());
    registry.setAvailable(false);
    registry.resetRequestCount();
    Instant down = Instant.now();
    assertThat(registryStatus()).as("registry answers while unavailable").isEqualTo(503);
    long probes = 1;

    for (GeneratedEvent e : events) sender.send(e.customerId(), e.event());
    sender.flush(); // serialised with the ids the sender's client cached: the registry cannot answer
    Instant caughtUp = awaitCaughtUp();
    Expected expected = Expected.of(all);
    Outcome outcome = assertEverythingProcessedOnce(segmenter, expected);
    assertThat(registryStatus()).as("registry still unavailable when the events were seen processed").isEqualTo(503);
    probes++;
    long otherRequests = registry.requestCount() - probes;
    // Stronger than "survived": nobody even asked. segmenter's deserialisers (ids seen before) and
    // serialisers (schemas registered before), and the test's producer, all answered from their caches.
    assertThat(otherRequests).as("registry requests during the outage other than the test's probes").isZero();
    Instant upAt = Instant.now();
    registry.setAvailable(true);
    assertThat(registryStatus()).as("registry answers when available again").isEqualTo(200);

    assertThat(segmenter.isAlive()).as("the same segmenter process, never restarted").isTrue();
    assertThat(readiness(segmenter)).as("/health/ready after the registry outage").isEqualTo("200");
    assertChangeTopics(expected.customers());
    System.out.printf("BrokerOutageIT registry outage: %d more events produced and processed while the registry "
            + "answered 503 (%.1f s, committed %.1f s after the outage began); requests it refused besides the "
            + "test's probes: %d; %s%n",
        events.size(), secs(down, upAt), secs(down, caughtUp), otherRequests, outcome);
  }

  // ---------------------------------------------------------------- checks

  record Outcome(long processedMetric, long distinctEvents, double duplicateMetric, double invalidMetric, long deadLetters) {
    @Override
    public String toString() {
      return String.format("segmenter_events_in_total processed %d for %d distinct events (%d re-processed after "
              + "aborted transactions), duplicate %.0f, invalid %.0f; dead letters %d", processedMetric, distinctEvents,
          processedMetric - distinctEvents, duplicateMetric, invalidMetric, deadLetters);
    }
  }

  /**
   * Every customer's profile counts equal what was produced for them (nothing lost, nothing applied
   * twice), nothing was dead-lettered or taken for a duplicate, and the processed counter covers at
   * least every event.
   */
  private Outcome assertEverythingProcessedOnce(SegmenterProcess segmenter, Expected expected) throws Exception {
    Map<String, Map<String, Long>> wrong = new TreeMap<>();
    for (Map.Entry<String, Map<String, Long>> e : expected.counts().entrySet()) {
      Map<String, Long> actual = profileCounts(segmenter, e.getKey());
      if (!actual.equals(e.getValue())) {
        wrong.put(e.getKey() + " expected " + e.getValue(), actual);
      }
    }
    assertThat(wrong).as("customers whose profile does not hold exactly the events produced for them").isEmpty();

    PrometheusText metrics = PrometheusText.parse(segmenter.get("/metrics").body());
    long processed = Math.round(eventsIn(metrics, "processed"));
    double duplicate = eventsIn(metrics, "duplicate");
    double invalid = eventsIn(metrics, "invalid");
    long deadLetters = deadLetters();
    assertThat(deadLetters).as("records on the dead-letter topic %s", DLQ).isZero();
    assertThat(invalid).as("events counted invalid").isZero();
    // Under exactly-once an aborted transaction's records are re-processed from a restored store, in
    // which they are not yet seen: a retry counted here would mean state survived an abort.
    assertThat(duplicate).as("events counted as duplicates (none was produced twice)").isZero();
    assertThat(processed).as("segmenter_events_in_total{outcome=processed}").isGreaterThanOrEqualTo(expected.events());
    return new Outcome(processed, expected.events(), duplicate, invalid, deadLetters);
  }

  /** Every customer has a segment in customer-segments; per customer, change sequences are exactly 1..n. */
  private void assertChangeTopics(Set<String> customers) {
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", registry.url());
    try (SpecificAvroSerde<SegmentChange> changes = new SpecificAvroSerde<>(SegmentChange.class);
         SpecificAvroSerde<CustomerSegment> segments = new SpecificAvroSerde<>(CustomerSegment.class)) {
      changes.configure(serdeConfig, false);
      segments.configure(serdeConfig, false);
      Map<String, CustomerSegment> latest = new HashMap<>();
      try (TopicReader<CustomerSegment> reader = new TopicReader<>(kafka.bootstrapServers(), "customer-segments",
          segments.deserializer())) {
        reader.readToEnd(DEADLINE).forEach(r -> latest.put(r.key(), r.value()));
      }
      assertThat(latest.keySet()).as("customers with a segment in customer-segments (read_committed)")
          .containsAll(customers);
      Map<String, List<Long>> sequences = new HashMap<>();
      try (TopicReader<SegmentChange> reader = new TopicReader<>(kafka.bootstrapServers(), "segment-changes",
          changes.deserializer())) {
        for (ConsumerRecord<String, SegmentChange> r : reader.readToEnd(DEADLINE)) {
          sequences.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().getSequence());
        }
      }
      assertThat(sequences.keySet()).as("customers with segment changes").containsAll(customers);
      sequences.forEach((customer, seq) -> {
        List<Long> gapless = new ArrayList<>();
        for (long i = 1; i <= seq.size(); i++) gapless.add(i);
        assertThat(seq).as("change sequence numbers of %s on segment-changes", customer).isEqualTo(gapless);
      });
    }
  }

  /** The input topics hold exactly the events produced: the test's producer neither lost nor doubled any. */
  private void assertInputTopicsHoldExactly(long events) {
    long records = 0;
    for (String topic : List.of("clicks", "orders")) {
      try (TopicReader<byte[]> reader = new TopicReader<>(kafka.bootstrapServers(), topic, new ByteArrayDeserializer())) {
        records += reader.readToEnd(DEADLINE).size();
      }
    }
    assertThat(records).as("records in clicks and orders").isEqualTo(events);
  }

  /** Waits until segmenter's committed offsets reach the end of both input topics (all of it processed and committed). */
  private Instant awaitCaughtUp() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(List.of("clicks", "orders")).allTopicNames().get(30, TimeUnit.SECONDS)
          .forEach((topic, d) -> d.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
              OffsetSpec.latest())));
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
      return awaitCondition("segmenter committed all input " + ends, () -> {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(APP_ID).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return ends.entrySet().stream().allMatch(e ->
            committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
      });
    }
  }

  private long deadLetters() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(DLQ)) return 0; // nothing was ever dead-lettered
    }
    try (TopicReader<byte[]> reader = new TopicReader<>(kafka.bootstrapServers(), DLQ, new ByteArrayDeserializer())) {
      return reader.readToEnd(DEADLINE).size();
    }
  }

  /** The per-event counters of the customer's profile, as /customers/{id} shows them. */
  private static Map<String, Long> profileCounts(SegmenterProcess segmenter, String customer) throws Exception {
    String path = "/customers/" + URLEncoder.encode(customer, StandardCharsets.UTF_8);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    HttpResponse<String> response = segmenter.get(path);
    // 503 + Retry-After while a rebalance moves the key: ask again.
    while (response.statusCode() == 503 && Instant.now().isBefore(deadline)) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
      response = segmenter.get(path);
    }
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    JsonNode profile = JSON.readTree(response.body()).path("profile");
    Map<String, Long> counts = new TreeMap<>();
    for (String field : Expected.FIELDS) counts.put(field, profile.path(field).asLong(-1));
    return counts;
  }

  // ---------------------------------------------------------------- the input and what it must give

  /** The generated history ending now, in event-time order (the order a live producer would send it). */
  private static List<GeneratedEvent> generate() {
    GeneratorConfig config = GeneratorConfig.defaults().withCustomers(CUSTOMERS).withSpan(Duration.ofDays(DAYS))
        .withSeed(11).withCurrency("EUR")
        .withStart(Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(DAYS)));
    List<GeneratedEvent> events = new ArrayList<>();
    SyntheticGenerator.create(config).forEach(events::add);
    return events;
  }

  /**
   * Per customer, the profile counters the events must produce: each click type and each order
   * status has its own counter, so every event shows up in exactly one of them.
   */
  record Expected(Map<String, Map<String, Long>> counts, long events) {
    static final List<String> FIELDS = List.of("pageViews", "productViews", "searches", "cartAdds", "cartRemoves",
        "checkoutStarts", "orders", "cancellations", "returns");

    static Expected of(List<GeneratedEvent> events) {
      Map<String, Map<String, Long>> counts = new TreeMap<>();
      Set<String> ids = new HashSet<>();
      for (GeneratedEvent e : events) {
        // Distinct as segmenter de-duplicates: a repeated id at the same time would be a retry.
        assertThat(ids.add(dedupKey(e.event()))).as("generated event ids are distinct").isTrue();
        counts.computeIfAbsent(e.customerId(), c -> zeros()).merge(field(e.event()), 1L, Long::sum);
      }
      return new Expected(counts, events.size());
    }

    Set<String> customers() {
      return counts.keySet();
    }

    private static Map<String, Long> zeros() {
      Map<String, Long> m = new TreeMap<>();
      FIELDS.forEach(f -> m.put(f, 0L));
      return m;
    }

    private static String dedupKey(SpecificRecord event) {
      return event instanceof ClickEvent c ? "c:" + c.getEventId() + "@" + c.getOccurredAt()
          : "o:" + ((OrderEvent) event).getOrderId() + ":" + ((OrderEvent) event).getStatus() + "@"
              + ((OrderEvent) event).getOccurredAt();
    }

    private static String field(SpecificRecord event) {
      if (event instanceof OrderEvent o) {
        return switch (o.getStatus()) {
          case PLACED -> "orders";
          case CANCELLED -> "cancellations";
          case RETURNED -> "returns";
          default -> throw new AssertionError("generated order status " + o.getStatus());
        };
      }
      return switch (((ClickEvent) event).getType()) {
        case PAGE_VIEW -> "pageViews";
        case PRODUCT_VIEW -> "productViews";
        case SEARCH -> "searches";
        case ADD_TO_CART -> "cartAdds";
        case REMOVE_FROM_CART -> "cartRemoves";
        case CHECKOUT_START -> "checkoutStarts";
        default -> throw new AssertionError("generated click type " + ((ClickEvent) event).getType());
      };
    }
  }

  /**
   * Sends events on its own thread, the first {@link #BURST} at once, then at an even pace, so that
   * production goes on while the broker is away (the producer buffers; delivery.timeout.ms outlasts
   * the outage). The events from {@code holdFrom} on wait for {@code release}: they are what is
   * produced after the broker is back.
   */
  private static final class Producer {
    private final Thread thread;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Producer(EventSender sender, List<GeneratedEvent> events, int holdFrom, CountDownLatch release) {
      long nanosPerEvent = TimeUnit.SECONDS.toNanos(1) / EVENTS_PER_SECOND;
      thread = new Thread(() -> {
        long start = System.nanoTime();
        try {
          for (int i = 0; i < events.size(); i++) {
            if (i == holdFrom) release.await();
            if (release.getCount() > 0) {
              long wait = start + Math.max(0, i - BURST) * nanosPerEvent - System.nanoTime();
              if (wait > 0) LockSupport.parkNanos(wait); // the production rate, not a synchronisation
            }
            sender.send(events.get(i).customerId(), events.get(i).event());
            sent.incrementAndGet();
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "outage-it-producer");
    }

    static Producer start(EventSender sender, List<GeneratedEvent> events, int holdFrom, CountDownLatch release) {
      Producer p = new Producer(sender, events, holdFrom, release);
      p.thread.start();
      return p;
    }

    int sent() {
      if (failure.get() != null) throw new AssertionError("producing failed", failure.get());
      return sent.get();
    }

    void await(Duration timeout) throws InterruptedException {
      thread.join(timeout.toMillis());
      assertThat(thread.isAlive()).as("producer finished within %s", timeout).isFalse();
      sent();
    }
  }

  // ---------------------------------------------------------------- plumbing

  private Map<String, Object> cluster() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url());
  }

  /** The test's producer must outlast the outage: records wait in its buffer until the broker is back. */
  private Map<String, Object> producerSettings() {
    Map<String, Object> settings = new HashMap<>(cluster());
    settings.put("delivery.timeout.ms", (int) DEADLINE.toMillis());
    settings.put("max.block.ms", (int) DEADLINE.toMillis());
    // Fewer reconnection attempts (each one a warning in the build's output) while the broker is away.
    settings.put("reconnect.backoff.max.ms", 5_000);
    return settings;
  }

  private Map<String, String> instance(int httpPort) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("SEGMENTER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("SEGMENTER_SCHEMA_REGISTRY_URL", registry.url());
    env.put("SEGMENTER_APPLICATION_ID", APP_ID);
    env.put("SEGMENTER_STATE_DIR",
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "outage-state-").toString());
    env.put("SEGMENTER_HTTP_PORT", Integer.toString(httpPort));
    // Access control has its own test (HttpSecurityIT); here the endpoints are read without credentials.
    env.put("SEGMENTER_HTTP_ACCESS_CONTROL", "false");
    env.put("SEGMENTER_HTTP_ADVERTISED_HOST", "127.0.0.1");
    env.put("SEGMENTER_TOPICS_PARTITIONS", "4");
    env.put("SEGMENTER_NUM_STREAM_THREADS", "1");
    env.put("SEGMENTER_COMMIT_INTERVAL_MS", "200");
    // A small model early, so that the test is about the outage, not about waiting for data.
    env.put("SEGMENTER_MODEL_WARMUP_POINTS", "200");
    env.put("SEGMENTER_MODEL_MIN_BATCH_POINTS", "500");
    env.put("SEGMENTER_MODEL_DELTA_POINTS", "100");
    env.put("SEGMENTER_MODEL_DELTA_INTERVAL_MS", "500");
    env.put("SEGMENTER_INACTIVITY_PUNCTUATE_INTERVAL_MS", "1000");
    return env;
  }

  private static double processed(SegmenterProcess segmenter) throws Exception {
    return eventsIn(PrometheusText.parse(segmenter.get("/metrics").body()), "processed");
  }

  private static double eventsIn(PrometheusText metrics, String outcome) {
    return metrics.named("segmenter_events_in_total").stream()
        .filter(s -> outcome.equals(s.labels().get("outcome"))).mapToDouble(PrometheusText.Sample::value).sum();
  }

  /** The status of /health/ready, or what prevented an answer. */
  private static String readiness(SegmenterProcess segmenter) {
    try {
      return Integer.toString(segmenter.get("/health/ready").statusCode());
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private int registryStatus() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(registry.url() + "/subjects"))
        .timeout(Duration.ofSeconds(10)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  interface Check {
    boolean holds() throws Exception;
  }

  /** Polls until the check holds; fails after {@link #DEADLINE}. Returns when it first held. */
  private static Instant awaitCondition(String what, Check check) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!check.holds()) {
      assertThat(Instant.now()).as("%s within %s", what, DEADLINE).isBefore(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // poll interval of a wait with a deadline
    }
    return Instant.now();
  }

  private static double secs(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
    return n;
  }
}
