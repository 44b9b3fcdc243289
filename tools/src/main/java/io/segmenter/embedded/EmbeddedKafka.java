package io.segmenter.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker inside the JVM (demo, tests, benchmarks): one combined KRaft broker+controller from Apache's own
 * {@code kafka-test-common-runtime}, data under {@code target/}. Internal topics get replication
 * factor 1, without which transactions (exactly-once) hang on a one-node cluster.
 *
 * <p>{@link #start()} opens a PLAINTEXT listener; {@link #startSaslPlain(String, String)} one that
 * requires SASL/PLAIN authentication (for tests of a secured cluster).
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
  /** The broker's own identity on its SASL listener (inter-broker traffic such as transaction markers). */
  private static final String BROKER_USER = "broker";

  private final KafkaClusterTestKit cluster;
  /** What a client needs besides bootstrap.servers: nothing, or the SASL settings of the one client user. */
  private final Map<String, Object> security;

  private EmbeddedKafka(KafkaClusterTestKit cluster, Map<String, Object> security) {
    this.cluster = cluster;
    this.security = security;
  }

  public static EmbeddedKafka start() throws Exception {
    return start(new TestKitNodes.Builder(), Map.of(), Map.of());
  }

  /**
   * A broker whose client listener accepts only SASL_PLAINTEXT with mechanism PLAIN and exactly one
   * client user, {@code username} / {@code password}: a client without credentials, or with a wrong
   * password, cannot use it. {@link #clientConfig()} holds the settings a client needs.
   *
   * <p>The controller listener stays PLAINTEXT (it is not for clients). Authentication only: there is
   * no authorizer, so an authenticated user may do anything (the tests are about connecting, not ACLs).
   *
   * <p>Side effect of the test kit: it writes a JAAS file with its own users and points the JVM-wide
   * {@code java.security.auth.login.config} at it. The broker does not use it (the listener's own
   * {@code sasl.jaas.config} below wins), and clients of this JVM must bring their own
   * {@code sasl.jaas.config}, as any real client does.
   *
   * @param username the client user; letters, digits, '-' and '_' only (it goes into a JAAS option name)
   * @param password the client's password; no '"' or '\' (it goes into a quoted JAAS value)
   */
  public static EmbeddedKafka startSaslPlain(String username, String password) throws Exception {
    if (!username.matches("[A-Za-z0-9_-]+") || username.equals(BROKER_USER)) {
      throw new IllegalArgumentException("SASL user name must be [A-Za-z0-9_-]+ and not '" + BROKER_USER + "'");
    }
    if (password.isEmpty() || password.contains("\"") || password.contains("\\")) {
      throw new IllegalArgumentException("SASL password must be non-empty, without '\"' or '\\'");
    }
    ListenerName listener = ListenerName.normalised("EXTERNAL"); // clients and inter-broker traffic
    TestKitNodes.Builder nodes = new TestKitNodes.Builder()
        .setBrokerListenerName(listener)
        .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT);
    // Random per broker: nothing outside this JVM can know it, and no test can rely on a default.
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    String brokerPassword = HexFormat.of().formatHex(secret);
    // The listener's own JAAS settings: the broker's identity (username/password) and the accepted
    // users (user_NAME="password"). They take precedence over the test kit's JVM-wide JAAS file.
    String serverJaas = PLAIN_LOGIN_MODULE + " required username=\"" + BROKER_USER + "\" password=\"" + brokerPassword
        + "\" user_" + BROKER_USER + "=\"" + brokerPassword + "\" user_" + username + "=\"" + password + "\";";
    Map<String, String> brokerProps = Map.of(
        "sasl.enabled.mechanisms", "PLAIN",
        "sasl.mechanism.inter.broker.protocol", "PLAIN",
        listener.configPrefix() + "plain.sasl.jaas.config", serverJaas,
        // The test kit would install StandardAuthorizer with its own super user and deny everyone else.
        "authorizer.class.name", "");
    Map<String, Object> security = Map.of(
        "security.protocol", SecurityProtocol.SASL_PLAINTEXT.name,
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", plainJaasConfig(username, password));
    return start(nodes, brokerProps, security);
  }

  /** The client's {@code sasl.jaas.config} for SASL/PLAIN with these credentials. */
  public static String plainJaasConfig(String username, String password) {
    return PLAIN_LOGIN_MODULE + " required username=\"" + username + "\" password=\"" + password + "\";";
  }

  private static EmbeddedKafka start(TestKitNodes.Builder nodes, Map<String, String> brokerProps,
      Map<String, Object> security) throws Exception {
    Path base = Files.createTempDirectory("kraft-");
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(
            nodes
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(base)
                .build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "4")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("transaction.state.log.num.partitions", "4")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        // Lets a test ask for a session shorter than a real broker's 6 s minimum (AtomicStepIT waits
        // out a failed thread's session ten times); clients keep their 45 s default unless they ask.
        .setConfigProp("group.min.session.timeout.ms", "1000");
    brokerProps.forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster = builder.build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new EmbeddedKafka(cluster, security);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public void createTopic(String name, int partitions) throws Exception {
    // Our own client settings, not the test kit's admin(): on a SASL broker that one logs in as the
    // test kit's built-in admin user, which the listener here does not accept.
    try (Admin admin = Admin.create(clientConfig())) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
    }
  }

  /** bootstrap.servers, plus security.protocol, sasl.mechanism and sasl.jaas.config on a SASL broker. */
  public Map<String, Object> clientConfig() {
    if (security.isEmpty()) return Map.of("bootstrap.servers", bootstrapServers());
    Map<String, Object> config = new HashMap<>(security);
    config.put("bootstrap.servers", bootstrapServers());
    return Map.copyOf(config);
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
