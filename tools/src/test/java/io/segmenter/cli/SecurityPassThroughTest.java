package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedKafka;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ClickEvent;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryException;
import io.segmenter.config.SettingsSources;
import io.segmenter.service.TopicSetup;
import io.segmenter.testing.TestTls;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Security settings given the way an operator gives them, SEGMENTER_* environment variables only,
 * reach every client segmenter builds: the Kafka Streams consumers, producer and admin of {@code run},
 * the admin that creates its topics, the producer and admin of {@code generate} and {@code replay},
 * and the schema registry client (TLS and Basic auth). First as configuration maps, then for real:
 * a broker whose only client listener requires SASL/PLAIN, and a registry that requires TLS and Basic
 * auth, which the clients can only use if the settings arrived.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecurityPassThroughTest {
  private static final String KAFKA_USER = "segmenter-svc";
  private static final String KAFKA_PASSWORD = secret();
  private static final String REGISTRY_USER = "registry-user";
  private static final String REGISTRY_PASSWORD = secret();

  @TempDir
  static Path dir;
  private static TestTls tls;
  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    tls = TestTls.generate(dir);
    kafka = EmbeddedKafka.startSaslPlain(KAFKA_USER, KAFKA_PASSWORD);
    registry = EmbeddedSchemaRegistry.builder().tls(tls.serverContext()).basicAuth(REGISTRY_USER, REGISTRY_PASSWORD).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) registry.close();
    if (kafka != null) kafka.close();
  }

  // ---- configuration maps: every client, every security setting -------------------------------

  @Test
  void kafkaSecuritySettingsFromTheEnvironmentReachEveryKafkaClient() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SEGMENTER_BOOTSTRAP_SERVERS", "broker-1:9093");
    env.put("SEGMENTER_SCHEMA_REGISTRY_URL", "http://registry:8081");
    env.put("SEGMENTER_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("SEGMENTER_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("SEGMENTER_SASL_JAAS_CONFIG",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" password=\"scram-secret\";");
    env.put("SEGMENTER_SASL_LOGIN_REFRESH_WINDOW_FACTOR", "0.9");
    env.put("SEGMENTER_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12");
    env.put("SEGMENTER_SSL_TRUSTSTORE_PASSWORD", "truststore-secret");
    env.put("SEGMENTER_SSL_TRUSTSTORE_TYPE", "PKCS12");
    env.put("SEGMENTER_SSL_KEYSTORE_LOCATION", "/etc/kafka/keystore.p12");
    env.put("SEGMENTER_SSL_KEYSTORE_PASSWORD", "keystore-secret");
    env.put("SEGMENTER_SSL_KEYSTORE_TYPE", "PKCS12");
    env.put("SEGMENTER_SSL_KEY_PASSWORD", "key-secret");
    env.put("SEGMENTER_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "https");
    env.put("SEGMENTER_SSL_ENABLED_PROTOCOLS", "TLSv1.3");
    Map<String, String> expected = new LinkedHashMap<>();
    env.forEach((variable, value) -> {
      if (variable.contains("SASL") || variable.contains("SSL") || variable.contains("SECURITY")) {
        expected.put(SettingsSources.settingName(variable), value);
      }
    });
    // The mapping itself: each variable names the Kafka key an operator means.
    assertThat(expected.keySet()).containsExactly("security.protocol", "sasl.mechanism", "sasl.jaas.config",
        "sasl.login.refresh.window.factor", "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type",
        "ssl.keystore.location", "ssl.keystore.password", "ssl.keystore.type", "ssl.key.password",
        "ssl.endpoint.identification.algorithm", "ssl.enabled.protocols");

    Map<String, Object> settings = options().settings(env);
    Map<String, Map<String, Object>> clients = clientsOf(settings);
    for (Map.Entry<String, Map<String, Object>> client : clients.entrySet()) {
      for (Map.Entry<String, String> e : expected.entrySet()) {
        assertThat(text(client.getValue().get(e.getKey()))).as("%s: %s", client.getKey(), e.getKey())
            .isEqualTo(e.getValue());
      }
    }
    System.out.printf("SecurityPassThroughTest: %d security settings x %d Kafka clients checked: %s%n",
        expected.size(), clients.size(), clients.keySet());
  }

  @Test
  void aClientPrefixedSettingWinsForThatClientOnly() {
    Map<String, String> env = Map.of(
        "SEGMENTER_BOOTSTRAP_SERVERS", "broker-1:9093",
        "SEGMENTER_SCHEMA_REGISTRY_URL", "http://registry:8081",
        "SEGMENTER_SASL_JAAS_CONFIG", "shared",
        "SEGMENTER_PRODUCER_SASL_JAAS_CONFIG", "producers-only",
        "SEGMENTER_ADMIN_SASL_JAAS_CONFIG", "admins-only");
    Map<String, Map<String, Object>> clients = clientsOf(options().settings(env));
    clients.forEach((name, config) -> {
      String want = name.contains("producer") ? "producers-only" : name.contains("admin") ? "admins-only" : "shared";
      assertThat(text(config.get("sasl.jaas.config"))).as(name).isEqualTo(want);
    });
  }

  /**
   * The Kafka clients segmenter builds, by who builds them, each with the configuration it is given.
   * run: SegmenterService.start gives Kafka Streams {@code config.streamsProperties()} and TopicSetup
   * {@code new StreamsConfig(props).getAdminConfigs("segmenter-setup")}; generate and replay: Topics
   * and EventSender use ClientSettings on the merged settings.
   */
  private static Map<String, Map<String, Object>> clientsOf(Map<String, Object> settings) {
    SegmenterConfig config = new SegmenterConfig(settings);
    StreamsConfig streams = new StreamsConfig(config.streamsProperties());
    Map<String, Map<String, Object>> clients = new LinkedHashMap<>();
    clients.put("run: streams main consumer", streams.getMainConsumerConfigs("segmenter", "segmenter-consumer", 0));
    clients.put("run: streams restore consumer", streams.getRestoreConsumerConfigs("segmenter-restore-consumer"));
    clients.put("run: streams global consumer", streams.getGlobalConsumerConfigs("segmenter-global-consumer"));
    clients.put("run: streams producer", streams.getProducerConfigs("segmenter-producer"));
    clients.put("run: streams admin", streams.getAdminConfigs("segmenter-admin"));
    clients.put("run: topic setup admin", streams.getAdminConfigs("segmenter-setup"));
    clients.put("generate/replay: EventSender producer", ClientSettings.producer(settings));
    clients.put("generate/replay: Topics admin", ClientSettings.admin(settings));
    return clients;
  }

  @Test
  void registryTlsAndBasicAuthSettingsReachTheRegistryClient() {
    Map<String, String> env = new HashMap<>(registryEnv(REGISTRY_PASSWORD));
    // Every command needs a broker too (ClusterOptions names both when missing); never contacted here.
    env.put("SEGMENTER_BOOTSTRAP_SERVERS", "127.0.0.1:1");
    SegmenterConfig config = new SegmenterConfig(options().settings(env));
    // The registry client of run (SegmenterService.start) and of generate/replay (EventSender):
    // CachedSchemaRegistryClient.fromProperties(config.serdeConfig()).
    try (CachedSchemaRegistryClient client = CachedSchemaRegistryClient.fromProperties(config.serdeConfig())) {
      assertThat(client.config().usesBasicAuth()).isTrue();
      assertThat(client.config().sslContext()).isPresent();
      assertThat(client.config().toString()).doesNotContain(REGISTRY_PASSWORD).doesNotContain(TestTls.PASSWORD);
      int id = client.register("pass-through-value", ClickEvent.getClassSchema());
      assertThat(client.getSchemaById(id)).isEqualTo(ClickEvent.getClassSchema());
    }
    // The registry really demands both: without them the same call fails.
    Map<String, String> noAuth = new HashMap<>(env);
    noAuth.remove("SEGMENTER_BASIC_AUTH_USER_INFO");
    noAuth.remove("SEGMENTER_BASIC_AUTH_CREDENTIALS_SOURCE");
    try (CachedSchemaRegistryClient client = CachedSchemaRegistryClient.fromProperties(
        new SegmenterConfig(options().settings(noAuth)).serdeConfig())) {
      assertThatThrownBy(() -> client.register("pass-through-value", ClickEvent.getClassSchema()))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }
    Map<String, String> noTrust = new HashMap<>(env);
    noTrust.keySet().removeIf(k -> k.startsWith("SEGMENTER_SCHEMA_REGISTRY_SSL_"));
    noTrust.put("SEGMENTER_MAX_RETRIES", "0");
    try (CachedSchemaRegistryClient client = CachedSchemaRegistryClient.fromProperties(
        new SegmenterConfig(options().settings(noTrust)).serdeConfig())) {
      assertThatThrownBy(() -> client.register("pass-through-value", ClickEvent.getClassSchema()))
          .as("the JVM's default CAs do not trust the test certificate").isInstanceOf(SchemaRegistryException.class);
    }
  }

  // ---- for real: a SASL-only broker, a TLS + Basic auth registry -------------------------------

  @Test
  void theBrokersClientListenerRefusesClientsWithoutTheRightPassword() throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).isNotNull();
    }
    Map<String, Object> none = Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "request.timeout.ms", 2000, "default.api.timeout.ms", 4000);
    try (Admin admin = Admin.create(none)) {
      // The broker closes the connection at the first request that is not part of a SASL handshake;
      // the client reconnects and retries until its timeout.
      assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .as("no credentials (PLAINTEXT to the SASL listener)").isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }
    Map<String, Object> wrong = new HashMap<>(kafka.clientConfig());
    wrong.put("sasl.jaas.config", EmbeddedKafka.plainJaasConfig(KAFKA_USER, "not-" + KAFKA_PASSWORD));
    try (Admin admin = Admin.create(wrong)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .as("wrong password").isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void runsTopicSetupAdminAuthenticatesWithTheSettingsAlone() throws Exception {
    Map<String, String> env = new HashMap<>(kafkaEnv(KAFKA_PASSWORD, "setup"));
    env.putAll(registryEnv(REGISTRY_PASSWORD));
    SegmenterConfig config = new SegmenterConfig(options().settings(env));
    Map<String, Object> admin = new StreamsConfig(config.streamsProperties()).getAdminConfigs("segmenter-setup");
    List<String> created = TopicSetup.createMissing(config, admin);
    assertThat(created).hasSize(TopicSetup.topics(config).size()).allMatch(t -> t.startsWith("setup-"));

    Map<String, String> wrong = new HashMap<>(env);
    wrong.putAll(kafkaEnv("not-" + KAFKA_PASSWORD, "setup-wrong"));
    SegmenterConfig wrongConfig = new SegmenterConfig(options().settings(wrong));
    assertThatThrownBy(() -> TopicSetup.createMissing(wrongConfig,
        new StreamsConfig(wrongConfig.streamsProperties()).getAdminConfigs("segmenter-setup")))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);
  }

  @Test
  void generateAndReplayProduceThroughSaslAndTheSecuredRegistryWithTheEnvironmentAlone() throws Exception {
    Map<String, String> env = new HashMap<>(kafkaEnv(KAFKA_PASSWORD, "gen"));
    env.putAll(registryEnv(REGISTRY_PASSWORD));
    env.put("SEGMENTER_TOPICS_PARTITIONS", "2");
    Outcome generated = run("generate", env, "--customers", "20", "--days", "3", "--seed", "3", "--create-topics");
    assertThat(generated.code()).as(generated.err()).isZero();
    long reported = events(generated.out());
    assertThat(reported).isPositive();

    env.put("SEGMENTER_CURRENCY", "GBP");
    Path csv = Files.writeString(dir.resolve("tiny.csv"), """
        Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country
        100,A1,"BOX, RED",2,2010-01-02 10:01,1.5,12345.0,United Kingdom
        C102,A1,"BOX, RED",-2,2010-01-01 08:00,1.5,777,United Kingdom
        """);
    Outcome replayed = run("replay", env, csv.toString());
    assertThat(replayed.code()).as(replayed.err()).isZero();

    long clicks = countRecords("gen-clicks");
    long orders = countRecords("gen-orders");
    assertThat(clicks + orders).as("generate's events and replay's 2 orders, in the topics").isEqualTo(reported + 2);
    System.out.printf("SecurityPassThroughTest: generate %d events + replay 2 orders through SASL_PLAINTEXT and a TLS + "
        + "Basic auth registry; in the topics: %d clicks, %d orders%n", reported, clicks, orders);

    Map<String, String> wrong = new HashMap<>(env);
    wrong.putAll(kafkaEnv("not-" + KAFKA_PASSWORD, "gen"));
    Outcome refused = run("generate", wrong, "--customers", "2", "--days", "1", "--create-topics");
    assertThat(refused.code()).isEqualTo(ErrorReporter.FAILED);
    assertThat(refused.err()).contains("Authentication failed").doesNotContain(KAFKA_PASSWORD);
    // Said by the reachability check, in one line, before any topic is listed or created.
    assertThat(refused.err().lines().toList()).singleElement().asString()
        .startsWith("segmenter generate: Kafka at " + kafka.bootstrapServers() + " (bootstrap.servers) refused to "
            + "authenticate this client: ");
    System.out.printf("SecurityPassThroughTest: a wrong SASL password: %s", refused.err());
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /** Kafka connection, SASL and every topic name (with a prefix, so that tests do not share topics). */
  private static Map<String, String> kafkaEnv(String password, String topicPrefix) {
    Map<String, String> env = new HashMap<>();
    env.put("SEGMENTER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("SEGMENTER_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("SEGMENTER_SASL_MECHANISM", "PLAIN");
    env.put("SEGMENTER_SASL_JAAS_CONFIG", EmbeddedKafka.plainJaasConfig(KAFKA_USER, password));
    for (String key : List.of(SegmenterConfig.TOPIC_CLICKS, SegmenterConfig.TOPIC_ORDERS,
        SegmenterConfig.TOPIC_SEGMENT_CHANGES, SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS, SegmenterConfig.TOPIC_MODEL_DELTAS,
        SegmenterConfig.TOPIC_MODEL, SegmenterConfig.TOPIC_DLQ, SegmenterConfig.TOPIC_ERASURES,
        SegmenterConfig.TOPIC_SEGMENT_CATALOG)) {
      String variable = SettingsSources.ENV_PREFIX
          + key.substring("segmenter.".length()).toUpperCase(java.util.Locale.ROOT).replace('.', '_');
      env.put(variable, topicPrefix + "-" + key.substring("segmenter.topic.".length()).replace('.', '-'));
    }
    return env;
  }

  /** The registry over TLS (trusting the test certificate) with Basic auth. */
  private static Map<String, String> registryEnv(String password) {
    Map<String, String> env = new HashMap<>();
    env.put("SEGMENTER_SCHEMA_REGISTRY_URL", registry.url());
    env.put("SEGMENTER_BASIC_AUTH_CREDENTIALS_SOURCE", "USER_INFO");
    env.put("SEGMENTER_BASIC_AUTH_USER_INFO", REGISTRY_USER + ":" + password);
    tls.clientProperties().forEach((key, value) ->
        env.put(SettingsSources.ENV_PREFIX + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value));
    return env;
  }

  /** ClusterOptions as picocli leaves them when no option is given: settings come from the environment only. */
  private static ClusterOptions options() {
    return new ClusterOptions();
  }

  record Outcome(int code, String out, String err) { }

  /** Runs a command of the real command line in this JVM with {@code env} as its environment. */
  private static Outcome run(String command, Map<String, String> env, String... args) {
    CommandLine cl = SegmenterTools.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    Object cmd = cl.getSubcommands().get(command).getCommand();
    if (cmd instanceof GenerateCommand g) g.environment = env;
    if (cmd instanceof ReplayCommand r) r.environment = env;
    String[] all = new String[args.length + 1];
    all[0] = command;
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cl.execute(all);
    return new Outcome(code, out.toString(), err.toString());
  }

  private static long events(String generateOutput) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("generate: ([0-9,]+) events \\(").matcher(generateOutput);
    assertThat(m.find()).as(generateOutput).isTrue();
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  /** Records in every partition of a topic, counted by a client with the broker's SASL settings. */
  private static long countRecords(String topic) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("isolation.level", "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Set<TopicPartition> partitions = new TreeSet<>(java.util.Comparator.comparingInt(TopicPartition::partition));
      consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static String text(Object value) {
    return value instanceof Password p ? p.value() : value == null ? null : value.toString();
  }

  private static String secret() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return "pw-" + HexFormat.of().formatHex(b);
  }
}
