package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * segmenter against the Kafka and the schema registry that docker/compose.yaml runs: the same two
 * images (read from compose.yaml, not copied here), Apache Kafka's own image in KRaft mode and
 * Confluent's cp-schema-registry, in containers on one network. The service runs as users run it,
 * {@code java -jar segmenter-service.jar run} in its own process, and the tools jar's {@code generate}
 * feeds it; every generated customer must get a segment.
 *
 * <p>Named ContainersIT, not TestcontainersIT: Surefire's default includes {@code Test*}, and would
 * run it a second time as a unit test.
 *
 * <p>Needs a Docker engine: where there is none (as on the machines CI runs on today), JUnit reports
 * the class as skipped, not passed. Where Docker runs:
 * {@code mvn -B -ntp -pl schemas,serde,core,service,tools,integration-tests verify -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ContainersIT}.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersIT {
  private static final int CUSTOMERS = 200;
  private static final Duration DEADLINE = Duration.ofSeconds(180);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The registry's Kafka listener on the containers' network (the host's clients use the mapped port). */
  private static final String KAFKA_ON_NETWORK = "kafka:19092";

  private static final DockerFiles.Compose COMPOSE = DockerFiles.compose();
  private static final Network NETWORK = Network.newNetwork();

  @Container
  private static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse(COMPOSE.image("kafka")))
      .withNetwork(NETWORK)
      .withNetworkAliases("kafka")
      .withListener(KAFKA_ON_NETWORK)
      // One broker: exactly-once needs the transaction log's replication and min ISR at 1.
      .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
      .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
      .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");

  @Container
  private static final GenericContainer<?> REGISTRY = registry();

  /** compose.yaml's registry, its settings included, with Kafka at this network's address. */
  private static GenericContainer<?> registry() {
    Map<String, String> env = new HashMap<>(COMPOSE.environment("schema-registry"));
    env.put("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + KAFKA_ON_NETWORK);
    return new GenericContainer<>(DockerImageName.parse(COMPOSE.image("schema-registry")))
        .withNetwork(NETWORK)
        .withNetworkAliases("schema-registry")
        .withEnv(env)
        .withExposedPorts(8081)
        .dependsOn(KAFKA)
        .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));
  }

  private static Map<String, String> cluster() {
    return Map.of("SEGMENTER_BOOTSTRAP_SERVERS", KAFKA.getBootstrapServers(),
        "SEGMENTER_SCHEMA_REGISTRY_URL", "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081));
  }

  @Test
  @Timeout(300)
  void everyGeneratedCustomerGetsASegmentAgainstTheComposeFilesKafkaAndRegistry() throws Exception {
    int port = SegmenterProcess.freePort();
    Map<String, String> env = SegmenterProcess.smallInstance(cluster(), "testcontainers", "segmenter-testcontainers-it", port, 2);
    try (SegmenterProcess run = SegmenterProcess.start("testcontainers-run", env, port, "run")) {
      run.awaitReady(DEADLINE);

      SegmenterProcess.Finished generated = SegmenterProcess.runToEnd("testcontainers-generate", cluster(), DEADLINE,
          "generate", "--customers", Integer.toString(CUSTOMERS), "--days", "30", "--seed", "11");
      assertThat(generated.exitCode()).as("generate exit code; output:%n%s", generated.output()).isZero();
      Set<String> customers = inputCustomers();
      assertThat(customers).as("customers in the generated input").hasSize(CUSTOMERS);

      Set<String> assigned = awaitAssigned(customers);
      assertThat(assigned).as("customers with a segment on customer-segments").containsAll(customers);
      JsonNode segments = JSON.readTree(run.get("/segments").body());
      assertThat(segments).as("/segments").isNotEmpty();
      System.out.printf("ContainersIT: %d customers segmented against %s and %s%n", customers.size(),
          COMPOSE.image("kafka"), COMPOSE.image("schema-registry"));
    }
  }

  private static Set<String> inputCustomers() {
    return TopicReader.keys(KAFKA.getBootstrapServers(), DEADLINE, "clicks", "orders");
  }

  private static Set<String> awaitAssigned(Set<String> customers) {
    Set<String> assigned = new HashSet<>();
    Instant deadline = Instant.now().plus(DEADLINE);
    try (TopicReader<byte[]> reader = new TopicReader<>(KAFKA.getBootstrapServers(), "customer-segments", new ByteArrayDeserializer())) {
      while (!assigned.containsAll(customers)) {
        assertThat(Instant.now()).as("every customer assigned within %s (have %d of %d)", DEADLINE, assigned.size(),
            customers.size()).isBefore(deadline);
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) assigned.add(r.key());
      }
    }
    return assigned;
  }
}
