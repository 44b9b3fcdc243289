package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.SegmentChange;
import io.segmenter.internal.ModelVersion;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.topology.InternalSerdes;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scale-out and fail-over with the executable jar: three {@code segmenter run} processes of one
 * application share six input partitions, with one standby replica of every task
 * ({@code num.standby.replicas=1}). A first batch of events is processed by all three; then, while a
 * second batch (new customers and more events for the old ones) is still being produced, the
 * instance that runs the model aggregator is SIGKILLed. The two survivors must take over its
 * partitions and the model path, consume every event, agree on every customer and on the model
 * version, and their outputs must show that nothing was lost or counted twice.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ScaleOutIT {
  private static final String APPLICATION_ID = "segmenter-scale-out-it";
  /** The model topics, named after the application id by default. */
  private static final String MODEL_DELTAS = APPLICATION_ID + "-model-deltas";
  private static final String MODEL = APPLICATION_ID + "-model";
  private static final List<String> INSTANCES = List.of("run-1", "run-2", "run-3");
  private static final int PARTITIONS = 6;
  private static final int FIRST_CUSTOMERS = 300;
  private static final int ALL_CUSTOMERS = 450;
  private static final int FIRST_DAYS = 7;
  private static final int SECOND_DAYS = 4;
  /** The second batch's ~12,000 events take ~25 s at this pace: the kill lands in the middle of it. */
  private static final int SECOND_BATCH_EVENTS_PER_SECOND = 500;
  /** Events of the second batch the victim must have processed before it is killed. */
  private static final int VICTIM_SECOND_BATCH_EVENTS = 100;
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;
  private static CachedSchemaRegistryClient registryClient;
  private static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    registry = EmbeddedSchemaRegistry.start();
    registryClient = CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url()));
    admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (admin != null) admin.close();
    if (registryClient != null) registryClient.close();
    if (registry != null) registry.close();
    if (kafka != null) kafka.close();
  }

  private static Map<String, String> cluster() {
    return Map.of("SEGMENTER_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "SEGMENTER_SCHEMA_REGISTRY_URL", registry.url());
  }

  /** One secret for every instance of the deployment (what a mounted Secret would hold). */
  private static Path peerSecret() throws Exception {
    Path file = Path.of(System.getProperty("java.io.tmpdir"), "scale-out-peer-secret");
    if (!Files.exists(file)) Files.writeString(file, "scale-out-it-peer-secret-of-at-least-32-bytes");
    return file;
  }

  private static Map<String, String> instance(String name, int httpPort) throws Exception {
    Map<String, String> env = new HashMap<>(cluster());
    env.put("SEGMENTER_APPLICATION_ID", APPLICATION_ID);
    // The consumer client ids start with it: the group's member list tells which instance owns what.
    env.put("SEGMENTER_CLIENT_ID", name);
    env.put("SEGMENTER_STATE_DIR", Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name + "-state-").toString());
    env.put("SEGMENTER_HTTP_PORT", Integer.toString(httpPort));
    // Access control has its own test (HttpSecurityIT); here the endpoints are read without credentials.
    env.put("SEGMENTER_HTTP_ACCESS_CONTROL", "false");
    env.put("SEGMENTER_HTTP_ADVERTISED_HOST", "127.0.0.1");
    env.put("SEGMENTER_TOPICS_PARTITIONS", Integer.toString(PARTITIONS));
    env.put("SEGMENTER_NUM_STREAM_THREADS", "1");
    env.put("SEGMENTER_NUM_STANDBY_REPLICAS", "1");
    // The survivors answer from their standby replicas while the owner is down (off by default); the
    // instances ask each other for stale copies, signed with the deployment's shared secret.
    env.put("SEGMENTER_HTTP_STALE_READS", "true");
    env.put("SEGMENTER_HTTP_PEER_SECRET_FILE", peerSecret().toString());
    // A SIGKILLed member says no goodbye: the group coordinator only drops it when its session
    // times out, 45 s by default. 6 s is the broker's minimum (group.min.session.timeout.ms); the
    // heartbeat must be well inside it. (The killed instance's open transaction is aborted by the
    // coordinator after Kafka Streams' transaction.timeout.ms, 10 s, which bounds the takeover too.)
    env.put("SEGMENTER_SESSION_TIMEOUT_MS", "6000");
    env.put("SEGMENTER_HEARTBEAT_INTERVAL_MS", "1500");
    env.put("SEGMENTER_COMMIT_INTERVAL_MS", "200");
    // A small model early, so that the test is about fail-over, not about waiting for data.
    env.put("SEGMENTER_MODEL_WARMUP_POINTS", "200");
    env.put("SEGMENTER_MODEL_MIN_BATCH_POINTS", "500");
    env.put("SEGMENTER_MODEL_DELTA_POINTS", "100");
    env.put("SEGMENTER_MODEL_DELTA_INTERVAL_MS", "500");
    env.put("SEGMENTER_INACTIVITY_PUNCTUATE_INTERVAL_MS", "1000");
    return env;
  }

  @Test
  void survivorsTakeOverAKilledInstanceMidStreamAndLoseNothing() throws Exception {
    Instant testStart = Instant.now();
    Map<String, SegmenterProcess> running = new LinkedHashMap<>();
    try {
      for (String name : INSTANCES) {
        int port = SegmenterProcess.freePort();
        running.put(name, SegmenterProcess.start(name, instance(name, port), port, "run"));
      }
      for (SegmenterProcess p : running.values()) p.awaitReady(DEADLINE);
      // All three in the group before any data: with empty stores every instance is caught up, so
      // the assignor spreads the tasks at once.
      Map<String, Set<TopicPartition>> owned = awaitAssignment(INSTANCES);

      // Both batches are one history in time order: the first covers its first 7 days, the second
      // (other seed, the same customers and 150 new ones) the last 4, ending now.
      Instant historyStart = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(FIRST_DAYS + SECOND_DAYS));
      SegmenterProcess.Finished first = SegmenterProcess.runToEnd("generate-1", cluster(), DEADLINE, "generate",
          "--customers", Integer.toString(FIRST_CUSTOMERS), "--start", historyStart.toString(),
          "--days", Integer.toString(FIRST_DAYS), "--seed", "7");
      assertThat(first.exitCode()).as("generate (first batch) exit code; output:\n%s", first.output()).isZero();
      long firstEvents = inputEvents();
      Set<String> firstCustomers = inputCustomers();
      assertThat(firstCustomers).as("customers of the first batch").hasSize(FIRST_CUSTOMERS);
      awaitAssigned(firstCustomers);
      // All of the first batch processed: what the counters add from here on is the second batch.
      awaitInputConsumed();

      // The work is shared: every instance processed events of its own partitions and has the model.
      Map<String, Double> processedBefore = new TreeMap<>();
      for (String name : INSTANCES) {
        processedBefore.put(name, processed(running.get(name)));
        assertThat(processedBefore.get(name)).as("events processed by %s", name).isPositive();
        assertThat(running.get(name).get("/model").statusCode()).as("/model on %s", name).isEqualTo(200);
      }
      String victim = ownerOf(owned, new TopicPartition(MODEL_DELTAS, 0));
      List<String> survivors = INSTANCES.stream().filter(n -> !n.equals(victim)).toList();
      System.out.printf("ScaleOutIT: first batch %d events, %d customers; input partitions %s; processed %s; "
          + "model aggregator on %s%n", firstEvents, firstCustomers.size(), inputPartitionsByInstance(owned),
          processedBefore, victim);

      List<SegmenterProcess> alive = survivors.stream().map(running::get).toList();
      String probe = aCustomerServedBy(alive.get(0), firstCustomers, address(running.get(victim)));

      CompletableFuture<SegmenterProcess.Finished> second = CompletableFuture.supplyAsync(() -> generate("generate-2",
          "--customers", Integer.toString(ALL_CUSTOMERS), "--start", historyStart.plus(Duration.ofDays(FIRST_DAYS)).toString(),
          "--days", Integer.toString(SECOND_DAYS), "--seed", "8", "--rate", Integer.toString(SECOND_BATCH_EVENTS_PER_SECOND)));
      CompletableFuture<Instant> producedAt = second.thenApply(finished -> Instant.now());
      SegmenterProcess doomed = running.get(victim);
      awaitCondition("the victim processing the second batch", DEADLINE,
          () -> processed(doomed) >= processedBefore.get(victim) + VICTIM_SECOND_BATCH_EVENTS);
      long versionAtKill = version(running.get(survivors.get(0)).get("/model"));
      long producedAtKill = inputEvents() - firstEvents;
      doomed.kill();
      Instant killedAt = Instant.now();
      assertThat(second).as("the second batch still being produced when the instance is killed").isNotDone();
      assertThat(doomed.isAlive()).isFalse();
      // Until the group notices, Kafka Streams still names the dead instance as the owner: the
      // survivors cannot forward to it and answer from their standby replica instead (stale: true).
      String standbyAnswer = awaitStaleAnswer(alive, probe, address(doomed));
      double staleAfter = secondsSince(killedAt);

      Map<String, Set<TopicPartition>> taken = awaitAssignment(survivors);
      double rebalanced = secondsSince(killedAt);
      SegmenterProcess.Finished secondDone = second.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      assertThat(secondDone.exitCode()).as("generate (second batch) exit code; output:\n%s", secondDone.output()).isZero();
      double productionEnded = Duration.between(killedAt, producedAt.get()).toMillis() / 1000.0;
      Set<String> customers = inputCustomers();
      // The second batch's customers include the first's and new ones (a quiet one may have no event in 4 days).
      assertThat(customers).as("customers of both batches").containsAll(firstCustomers)
          .hasSizeGreaterThan(FIRST_CUSTOMERS).hasSizeLessThanOrEqualTo(ALL_CUSTOMERS);
      awaitAssigned(customers);
      double allAssigned = secondsSince(killedAt);
      awaitInputConsumed();
      double drained = secondsSince(killedAt);
      long allEvents = inputEvents();
      System.out.printf("ScaleOutIT: killed %s (model aggregator) %d events into the second batch; a stale answer from "
              + "the standby on %s %.1f s after the kill; survivors own %s %.1f s after the kill; second batch produced "
              + "until %.1f s after the kill; every customer assigned after %.1f s; all %d input events consumed and "
              + "committed after %.1f s%n", victim, producedAtKill, standbyAnswer, staleAfter,
          inputPartitionsByInstance(taken), rebalanced, productionEnded, allAssigned, allEvents, drained);
      Instant checksStart = Instant.now();

      long finalVersion = assertSameModelAsTheModelTopic(alive);
      assertThat(finalVersion).as("model version after the takeover (the aggregator moved with its task)")
          .isGreaterThan(versionAtKill);
      assertSegmentsComplete(alive, customers.size());
      Outputs outputs = assertEveryCustomerConsistent(alive, customers);

      System.out.printf("ScaleOutIT: model version %d at the kill, %d on %s afterwards (= the model topic's latest); "
              + "%d customers (%d + %d new); %d events (%d + %d); %d segment changes, sequences 1..n without gaps%n",
          versionAtKill, finalVersion, survivors, customers.size(), firstCustomers.size(),
          customers.size() - firstCustomers.size(), allEvents, firstEvents, allEvents - firstEvents,
          outputs.changeCount());
      System.out.printf("ScaleOutIT: checks after the drain %.1f s; %.1f s from the first start to here%n",
          secondsSince(checksStart), secondsSince(testStart));

      Map<String, CompletableFuture<Integer>> exits = new TreeMap<>();
      for (String name : survivors) {
        SegmenterProcess p = running.get(name);
        assertThat(p.logText()).as("log of survivor %s", name).doesNotContain("-> ERROR").doesNotContain("-> PENDING_ERROR");
        exits.put(name, CompletableFuture.supplyAsync(() -> stop(p))); // both at once: each takes seconds
      }
      for (Map.Entry<String, CompletableFuture<Integer>> e : exits.entrySet()) {
        // 143 = 128 + SIGTERM: the JVM's exit status after a signal, whatever the shutdown hook does.
        assertThat(e.getValue().get()).as("exit status of %s after SIGTERM", e.getKey()).isEqualTo(143);
      }
    } finally {
      for (SegmenterProcess p : running.values()) p.close();
    }
  }

  /** {@code generate} run to its end on another thread (the test kills an instance meanwhile). */
  private static SegmenterProcess.Finished generate(String name, String... options) {
    List<String> args = new ArrayList<>(List.of("generate"));
    args.addAll(List.of(options));
    try {
      return SegmenterProcess.runToEnd(name, cluster(), DEADLINE, args.toArray(String[]::new));
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /** SIGTERM and the exit status, on another thread. */
  private static int stop(SegmenterProcess p) {
    try {
      return p.stop(Duration.ofSeconds(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  // ---- the consumer group, seen by the broker ---------------------------------------------------

  /**
   * Waits until the group is stable with exactly these instances as members, each owning input
   * partitions, and together every input partition and the aggregator's model-deltas partition.
   */
  private static Map<String, Set<TopicPartition>> awaitAssignment(List<String> instances) throws Exception {
    Map<String, Set<TopicPartition>> owned = new TreeMap<>();
    Set<TopicPartition> required = new HashSet<>(inputPartitions());
    required.add(new TopicPartition(MODEL_DELTAS, 0));
    awaitCondition("group of " + instances + " owning every partition", DEADLINE, () -> {
      owned.clear();
      owned.putAll(assignment());
      Set<TopicPartition> all = new HashSet<>();
      owned.values().forEach(all::addAll);
      return owned.keySet().equals(Set.copyOf(instances)) && all.containsAll(required)
          && owned.values().stream().allMatch(tps -> tps.stream().anyMatch(tp -> tp.topic().equals("clicks")));
    });
    return owned;
  }

  /** Partitions per instance of a stable group; empty while it rebalances. */
  private static Map<String, Set<TopicPartition>> assignment() throws Exception {
    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APPLICATION_ID)).describedGroups()
        .get(APPLICATION_ID).get(10, TimeUnit.SECONDS);
    if (group.groupState() != GroupState.STABLE) return Map.of();
    Map<String, Set<TopicPartition>> owned = new TreeMap<>();
    for (MemberDescription m : group.members()) {
      // Kafka Streams names its consumer <client.id>-StreamThread-<n>-consumer.
      String instance = m.clientId().substring(0, m.clientId().indexOf("-StreamThread-"));
      owned.computeIfAbsent(instance, k -> new HashSet<>()).addAll(m.assignment().topicPartitions());
    }
    return owned;
  }

  private static String ownerOf(Map<String, Set<TopicPartition>> owned, TopicPartition tp) {
    return owned.entrySet().stream().filter(e -> e.getValue().contains(tp)).map(Map.Entry::getKey).findFirst()
        .orElseThrow(() -> new AssertionError(tp + " not assigned: " + owned));
  }

  private static Map<String, Integer> inputPartitionsByInstance(Map<String, Set<TopicPartition>> owned) {
    Map<String, Integer> n = new TreeMap<>();
    owned.forEach((k, v) -> n.put(k, (int) v.stream().filter(tp -> tp.topic().equals("clicks")).count()));
    return n;
  }

  private static List<TopicPartition> inputPartitions() {
    List<TopicPartition> tps = new ArrayList<>();
    for (String topic : List.of("clicks", "orders")) {
      for (int p = 0; p < PARTITIONS; p++) tps.add(new TopicPartition(topic, p));
    }
    return tps;
  }

  private static Map<TopicPartition, Long> endOffsets() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicPartition tp : inputPartitions()) latest.put(tp, OffsetSpec.latest());
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** Events in the input topics (generate sends no duplicates: every record is a distinct event). */
  private static long inputEvents() throws Exception {
    return endOffsets().values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Waits until the application's committed offsets reach the end of every input partition. With
   * exactly-once the offsets commit in the transaction of the outputs and state they produced, so
   * this is "every event processed and its effects committed", including the killed one's partitions.
   */
  private static void awaitInputConsumed() throws Exception {
    Map<TopicPartition, Long> ends = endOffsets();
    awaitCondition("committed offsets at the end of every input partition " + ends, DEADLINE, () -> {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APPLICATION_ID)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      return ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
          && committed.get(e.getKey()).offset() >= e.getValue());
    });
  }

  // ---- topics ------------------------------------------------------------------------------------

  /** Customer ids in the input topics (keys of clicks and orders). */
  private static Set<String> inputCustomers() {
    Set<String> ids = new HashSet<>(inputCounts("clicks").keySet());
    ids.addAll(inputCounts("orders").keySet());
    return ids;
  }

  /** Records per customer id in one input topic. */
  private static Map<String, Integer> inputCounts(String topic) {
    Map<String, Integer> counts = new HashMap<>();
    try (TopicReader<byte[]> reader = new TopicReader<>(kafka.bootstrapServers(), topic, new ByteArrayDeserializer())) {
      reader.readToEnd(DEADLINE).forEach(r -> counts.merge(r.key(), 1, Integer::sum));
    }
    return counts;
  }

  /** Waits until every one of these customers has a record in customer-segments (read_committed). */
  private static void awaitAssigned(Set<String> customers) throws Exception {
    Set<String> assigned = new HashSet<>();
    try (TopicReader<byte[]> reader = new TopicReader<>(kafka.bootstrapServers(), "customer-segments", new ByteArrayDeserializer())) {
      awaitCondition("every one of " + customers.size() + " customers in customer-segments", DEADLINE, () -> {
        reader.poll(Duration.ofMillis(200)).forEach(r -> assigned.add(r.key()));
        return assigned.containsAll(customers);
      });
    }
  }

  private static <T extends SpecificRecord> TopicReader<T> reader(String topic, Class<T> type) {
    SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type, registryClient);
    serde.configure(Map.of("schema.registry.url", registry.url()), false);
    return new TopicReader<>(kafka.bootstrapServers(), topic, serde.deserializer());
  }

  // ---- what the survivors serve ------------------------------------------------------------------

  /** A customer whose partition this instance's answer says the other instance owns. */
  private static String aCustomerServedBy(SegmenterProcess asked, Set<String> customers, String owner) throws Exception {
    for (String id : new TreeSet<>(customers)) {
      HttpResponse<String> r = asked.get("/customers/" + id);
      if (r.statusCode() == 200 && r.headers().firstValue("X-Segmenter-Served-By").orElse("").equals(owner)) return id;
    }
    throw new AssertionError("no customer served by " + owner);
  }

  /**
   * Asks the survivors about a customer of the killed instance until one answers from a standby
   * replica; returns the instance whose standby answered. An answer from a new active owner first
   * means the outage window passed unseen, which fails.
   */
  private static String awaitStaleAnswer(List<SegmenterProcess> alive, String customer, String dead) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (true) {
      for (SegmenterProcess p : alive) {
        HttpResponse<String> r = p.get("/customers/" + customer);
        if (r.statusCode() != 200) continue; // 503 while the group rebalances
        JsonNode answer = JSON.readTree(r.body());
        String by = answer.path("servedBy").asText();
        assertThat(by).as("instance that answered after the kill").isNotEqualTo(dead);
        assertThat(answer.path("stale").asBoolean())
            .as("a survivor's answer before the takeover (from %s) says stale: true", by).isTrue();
        return by;
      }
      assertThat(Instant.now()).as("an answer from a standby replica").isBefore(deadline);
      TimeUnit.MILLISECONDS.sleep(100); // poll interval of a condition with a deadline
    }
  }

  private static String address(SegmenterProcess p) {
    return p.baseUrl().substring("http://".length());
  }

  /** /model on every survivor: one version, and the newest one on the model topic. */
  private static long assertSameModelAsTheModelTopic(List<SegmenterProcess> alive) throws Exception {
    long[] seen = new long[alive.size() + 1];
    try (TopicReader<ModelVersion> models = new TopicReader<>(kafka.bootstrapServers(), MODEL,
        InternalSerdes.modelVersions().deserializer())) {
      awaitCondition("the same model version on the survivors as the newest on the model topic", DEADLINE, () -> {
        List<ConsumerRecord<String, ModelVersion>> all = models.readToEnd(DEADLINE);
        seen[0] = all.isEmpty() ? -1 : all.get(all.size() - 1).value().getVersion();
        for (int i = 0; i < alive.size(); i++) seen[i + 1] = version(alive.get(i).get("/model"));
        for (long v : seen) if (v != seen[0]) return false;
        return true;
      });
    }
    assertThat(seen[0]).as("model version").isPositive();
    return seen[0];
  }

  /** /segments on every survivor: complete (both asked), equal, populations summing to every customer. */
  private static void assertSegmentsComplete(List<SegmenterProcess> alive, int customers) throws Exception {
    List<JsonNode> answers = new ArrayList<>();
    awaitCondition("/segments complete and equal on the survivors", DEADLINE, () -> {
      answers.clear();
      for (SegmenterProcess p : alive) {
        HttpResponse<String> r = p.get("/segments");
        if (r.statusCode() != 200) return false;
        answers.add(JSON.readTree(r.body()));
      }
      return answers.stream().allMatch(a -> !a.path("partial").asBoolean(true) && a.path("customers").asLong() == customers)
          && answers.stream().map(ScaleOutIT::populations).distinct().count() == 1;
    });
    for (JsonNode a : answers) {
      assertThat(a.path("instances").asInt()).as("instances in /segments after the takeover").isEqualTo(alive.size());
      assertThat(a.path("instancesAnswered").asInt()).isEqualTo(alive.size());
      assertThat(populations(a).values().stream().mapToLong(Long::longValue).sum()).as("sum of populations")
          .isEqualTo(customers);
    }
  }

  private static Map<Integer, Long> populations(JsonNode segments) {
    Map<Integer, Long> result = new TreeMap<>();
    for (JsonNode s : segments.path("segments")) result.put(s.path("id").asInt(), s.path("population").asLong());
    return result;
  }

  /** The committed outputs, per customer. */
  private record Outputs(Map<String, List<SegmentChange>> changes, Map<String, CustomerSegment> segments) {
    static Outputs read(TopicReader<SegmentChange> changeReader, TopicReader<CustomerSegment> segmentReader) {
      Map<String, List<SegmentChange>> changes = new HashMap<>();
      for (ConsumerRecord<String, SegmentChange> r : changeReader.readToEnd(DEADLINE)) {
        changes.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
      }
      Map<String, CustomerSegment> segments = new HashMap<>();
      for (ConsumerRecord<String, CustomerSegment> r : segmentReader.readToEnd(DEADLINE)) segments.put(r.key(), r.value());
      return new Outputs(changes, segments);
    }

    long changeCount() {
      return changes.values().stream().mapToLong(List::size).sum();
    }
  }

  /**
   * For every customer: the segment-changes sequence is 1..n (no gap: nothing lost; no repeat: nothing
   * emitted twice), customer-segments holds the last change's segment, both survivors answer 200 with
   * that segment and sequence from the same fresh (not standby) store, and the profile counted every
   * input event of the customer exactly once, those of the killed instance's partitions included.
   */
  private static Outputs assertEveryCustomerConsistent(List<SegmenterProcess> alive, Set<String> customers) throws Exception {
    Map<String, Integer> clicks = inputCounts("clicks");
    Map<String, Integer> orders = inputCounts("orders");
    Set<String> survivorAddresses = new HashSet<>();
    for (SegmenterProcess p : alive) survivorAddresses.add(address(p));
    Map<String, Integer> servedBy = new ConcurrentHashMap<>();
    // A few customers at a time: most of a request's time is waiting (forwarding, a busy machine).
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (TopicReader<SegmentChange> changeReader = reader("segment-changes", SegmentChange.class);
         TopicReader<CustomerSegment> segmentReader = reader("customer-segments", CustomerSegment.class)) {
      Outputs outputs = Outputs.read(changeReader, segmentReader);
      Set<String> pending = new HashSet<>(customers);
      Map<String, String> disagreements = new TreeMap<>();
      Instant deadline = Instant.now().plus(DEADLINE);
      while (!pending.isEmpty()) {
        Outputs snapshot = outputs;
        Map<String, Future<String>> problems = new TreeMap<>();
        for (String id : pending) {
          problems.put(id, pool.submit(() -> check(id, snapshot, alive, survivorAddresses, clicks, orders, servedBy)));
        }
        disagreements.clear();
        for (Map.Entry<String, Future<String>> e : problems.entrySet()) {
          String problem = result(e.getValue());
          if (problem != null) disagreements.put(e.getKey(), problem);
        }
        // A model version landing between the topic read and the HTTP calls moves a customer
        // legitimately: read the outputs again and ask again about those only.
        pending = new HashSet<>(disagreements.keySet());
        assertThat(pending.isEmpty() || Instant.now().isBefore(deadline))
            .as("customers still inconsistent after %s: %s", DEADLINE, disagreements).isTrue();
        if (!pending.isEmpty()) outputs = Outputs.read(changeReader, segmentReader);
      }
      System.out.printf("ScaleOutIT: every customer answered 200 by both survivors; answers served by %s%n",
          new TreeMap<>(servedBy));
      assertThat(servedBy.keySet()).as("instances whose stores answered").isEqualTo(survivorAddresses);
      return outputs;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The value of a finished check; its assertion error (or exception) as if thrown here. */
  private static <T> T result(Future<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) throw error;
      if (e.getCause() instanceof Exception exception) throw exception;
      throw e;
    }
  }

  /** Null when the customer is consistent, else what is not (hard failures throw at once). */
  private static String check(String id, Outputs outputs, List<SegmenterProcess> alive, Set<String> survivorAddresses,
      Map<String, Integer> clicks, Map<String, Integer> orders, Map<String, Integer> servedBy) throws Exception {
    List<SegmentChange> changes = outputs.changes().getOrDefault(id, List.of());
    assertThat(changes).as("segment changes of %s", id).isNotEmpty();
    for (int i = 0; i < changes.size(); i++) {
      assertThat(changes.get(i).getSequence()).as("change %d of %s (1..n, no gap, no duplicate)", i + 1, id)
          .isEqualTo(i + 1L);
    }
    SegmentChange last = changes.get(changes.size() - 1);
    CustomerSegment current = outputs.segments().get(id);
    assertThat(current).as("customer-segments record of %s", id).isNotNull();
    if (current.getSegment().getId() != last.getNewSegment().getId()) return "customer-segments behind segment-changes";
    String owner = null;
    for (SegmenterProcess p : alive) {
      HttpResponse<String> r = p.get("/customers/" + id);
      assertThat(r.statusCode()).as("%s%s: %s", p.baseUrl(), r.uri().getPath(), r.body()).isEqualTo(200);
      JsonNode answer = JSON.readTree(r.body());
      String by = answer.path("servedBy").asText();
      assertThat(by).as("instance that served %s", id).isIn(survivorAddresses);
      assertThat(r.headers().firstValue("X-Segmenter-Served-By")).hasValue(by);
      if (owner == null) owner = by;
      assertThat(by).as("both survivors read %s from the same store", id).isEqualTo(owner);
      if (answer.path("stale").asBoolean(true)) return "stale answer";
      if (answer.at("/segment/changeSequence").asLong() != changes.size()
          || answer.at("/segment/id").asInt(-1) != last.getNewSegment().getId()) {
        return "answer " + answer.path("segment") + " vs change " + last.getSequence() + " to " + last.getNewSegment().getId();
      }
      JsonNode profile = answer.path("profile");
      long clicksCounted = profile.path("pageViews").asLong() + profile.path("productViews").asLong()
          + profile.path("searches").asLong() + profile.path("cartAdds").asLong() + profile.path("cartRemoves").asLong()
          + profile.path("checkoutStarts").asLong();
      long ordersCounted = profile.path("orders").asLong() + profile.path("cancellations").asLong()
          + profile.path("returns").asLong();
      assertThat(clicksCounted).as("clicks in the profile of %s (each input click once)", id)
          .isEqualTo(clicks.getOrDefault(id, 0).longValue());
      assertThat(ordersCounted).as("order events in the profile of %s (each input order event once)", id)
          .isEqualTo(orders.getOrDefault(id, 0).longValue());
    }
    servedBy.merge(owner, 1, Integer::sum);
    return null;
  }

  // ---- small helpers -----------------------------------------------------------------------------

  /** segmenter_events_in_total{outcome="processed"} of one instance. */
  private static double processed(SegmenterProcess p) throws Exception {
    double sum = 0;
    for (PrometheusText.Sample s : PrometheusText.parse(p.get("/metrics").body()).named("segmenter_events_in_total")) {
      if ("processed".equals(s.labels().get("outcome"))) sum += s.value();
    }
    return sum;
  }

  private static long version(HttpResponse<String> model) throws Exception {
    return model.statusCode() == 200 ? JSON.readTree(model.body()).path("version").asLong(-1) : -1;
  }

  private static double secondsSince(Instant start) {
    return Duration.between(start, Instant.now()).toMillis() / 1000.0;
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void awaitCondition(String what, Duration timeout, Check check) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!check.holds()) {
      if (Instant.now().isAfter(deadline)) throw new AssertionError("not within " + timeout + ": " + what);
      TimeUnit.MILLISECONDS.sleep(200); // poll interval of a condition with a deadline, not a synchronisation
    }
  }
}
