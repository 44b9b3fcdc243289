package io.segmenter.cli;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.ErasureRequest;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.service.Reachability;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code erase}: sends one ErasureRequest per customer id to the erasure topic, keyed by the id, and
 * waits until the broker has them. The running service then deletes everything it holds about each
 * customer (docs/PRIVACY.md). Prints the request ids for the audit trail, not the customer ids.
 */
@Command(name = "erase", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description = {"Ask segmenter to forget customers (GDPR article 17, CCPA).",
        "One ErasureRequest per id on the erasure topic (segmenter.topic.erasures). See docs/PRIVACY.md for what "
            + "is deleted."},
    footerHeading = UsageExamples.HEADING,
    footer = {"  " + UsageExamples.TOOLS_JAR + " erase cust-000123 cust-000456 \\",
        "      " + UsageExamples.LOCAL_KAFKA + " \\",
        "      " + UsageExamples.LOCAL_REGISTRY,
        "  " + UsageExamples.TOOLS_JAR + " erase cust-000123 \\",
        "      --config segmenter.properties --request-id ticket-4711"})
final class EraseCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster;

  @Parameters(arity = "1..*", paramLabel = "CUSTOMER_ID", description = "Ids of the customers to forget.")
  List<String> customerIds;

  @Option(names = "--request-id", paramLabel = "ID",
      description = "Id of the request for your audit trail (default: a random UUID); with several customers, suffixed -1, -2, ...")
  String requestId;

  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() throws Exception {
    if (customerIds.stream().anyMatch(String::isBlank)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "a CUSTOMER_ID is blank");
    }
    Map<String, Object> settings = cluster.settings(environment);
    SegmenterConfig config = new SegmenterConfig(settings);
    // Settings first (a malformed registry URL too), then whether Kafka and the registry answer.
    Reachability.check(config, ClientSettings.adminWithBootstrap(settings));
    String topic = config.getString(SegmenterConfig.TOPIC_ERASURES);
    String base = requestId != null ? requestId : UUID.randomUUID().toString();
    Map<String, Object> producerConfig = new HashMap<>(ClientSettings.producer(settings));
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ClientSettings.bootstrapServers(settings));
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    try (SchemaRegistryClient registry = CachedSchemaRegistryClient.fromProperties(config.serdeConfig())) {
      SpecificAvroSerde<ErasureRequest> serde = new SpecificAvroSerde<>(ErasureRequest.class, registry);
      serde.configure(config.serdeConfig(), false);
      try (KafkaProducer<String, ErasureRequest> producer =
               new KafkaProducer<>(producerConfig, new StringSerializer(), serde.serializer())) {
        Instant now = Instant.now();
        for (int i = 0; i < customerIds.size(); i++) {
          String id = customerIds.size() == 1 ? base : base + "-" + (i + 1);
          String customer = customerIds.get(i);
          RecordMetadata m = producer.send(new ProducerRecord<>(topic, customer, new ErasureRequest(id, customer, now))).get();
          System.out.printf("erasure request %s sent to %s-%d@%d%n", id, m.topic(), m.partition(), m.offset());
        }
      }
    }
    return 0;
  }
}
