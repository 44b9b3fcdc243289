package io.segmenter.serde;

import static io.segmenter.serde.DecodingFailuresTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.serde.AvroSerdeException.Reason;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.CompatibilityLevel;
import io.segmenter.serde.registry.MiniRegistry;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.SampleRecords;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry down, refusing credentials, or not knowing an id, through the real client over HTTP
 * ({@link MiniRegistry}): typed, with the reason, and bounded in time.
 */
@Timeout(30)
class RegistryFailuresTest {

  @Test
  void registryDownIsUnavailableWithinTheRetryBudget() {
    String deadUrl;
    try (MiniRegistry gone = MiniRegistry.start()) {
      deadUrl = gone.url(); // a port that was just freed: connections are refused
    }
    AvroSerializer<Click> serializer = new AvroSerializer<>();
    serializer.configure(Map.of("schema.registry.url", deadUrl, "max.retries", 2, "retries.wait.ms", 10), false);
    try {
      long start = System.nanoTime();

      AvroSerdeException e = expect(() -> serializer.serialize("clicks", SampleRecords.click(1)),
          Reason.REGISTRY_UNAVAILABLE, "clicks-value");

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(e.isRetriable()).isTrue();
    } finally {
      serializer.close();
    }
  }

  @Test
  void wrongCredentialsAreARegistryErrorSaying401() {
    try (MiniRegistry secured = MiniRegistry.startWithBasicAuth("segmenter", "s3cret")) {
      Map<String, Object> config = new HashMap<>();
      config.put("schema.registry.url", secured.url());
      config.put("basic.auth.credentials.source", "USER_INFO");
      config.put("basic.auth.user.info", "segmenter:wrong");
      AvroSerializer<Click> serializer = new AvroSerializer<>();
      serializer.configure(config, false);
      try {
        AvroSerdeException e = expect(() -> serializer.serialize("clicks", SampleRecords.click(1)),
            Reason.REGISTRY_ERROR, "401");
        assertThat(e.isRetriable()).isFalse();
        assertThat(e.getMessage()).doesNotContain("wrong");
      } finally {
        serializer.close();
      }

      config.put("basic.auth.user.info", "segmenter:s3cret");
      try (SpecificAvroSerde<Click> serde = new SpecificAvroSerde<>(Click.class)) {
        serde.configure(config, false);
        byte[] bytes = serde.serializer().serialize("clicks", SampleRecords.click(1));
        assertThat(serde.deserializer().deserialize("clicks", bytes)).isEqualTo(SampleRecords.click(1));
      }
    }
  }

  @Test
  void idsTheRegistryDoesNotKnowAreNamed() {
    try (MiniRegistry registry = MiniRegistry.start();
         SchemaRegistryClient client =
             CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url()))) {
      AvroSerializer<Click> serializer = new AvroSerializer<>(client);
      byte[] bytes = serializer.serialize("clicks", SampleRecords.click(1));
      WireFormat.writeHeader(bytes, 424_242);

      expect(() -> new AvroDeserializer<>(Click.class, client).deserialize("clicks", bytes),
          Reason.UNKNOWN_SCHEMA_ID, "424242");
    }
  }

  @Test
  void autoRegisterOffAndUseLatestThroughTheRealClient() {
    try (MiniRegistry registry = MiniRegistry.start();
         SchemaRegistryClient client =
             CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url()))) {
      AvroSerializer<Click> lookup = new AvroSerializer<>(client);
      lookup.configure(
          Map.of("schema.registry.url", registry.url(), AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false), false);
      expect(() -> lookup.serialize("clicks", SampleRecords.click(1)), Reason.SCHEMA_NOT_REGISTERED, "clicks-value");

      client.register("clicks-value", new Schema.Parser().parse("""
          {"type": "record", "name": "Click", "namespace": "io.segmenter.testing.avro", "fields": [
            {"name": "eventId", "type": "string"}]}"""));
      AvroSerializer<Click> latest = new AvroSerializer<>(client);
      latest.configure(Map.of("schema.registry.url", registry.url(),
          AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
          AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, true), false);

      expect(() -> latest.serialize("clicks", SampleRecords.click(1)), Reason.INCOMPATIBLE_SCHEMA, "version 1");
      expect(() -> lookup.serialize("clicks", SampleRecords.click(1)), Reason.SCHEMA_NOT_REGISTERED, "clicks-value");

      client.updateCompatibility("clicks-value", CompatibilityLevel.NONE); // the stand-in above is no ancestor
      int id = client.register("clicks-value", Click.getClassSchema());
      byte[] bytes = lookup.serialize("clicks", SampleRecords.click(1));
      assertThat(WireFormat.readSchemaId(bytes, 0, bytes.length)).isEqualTo(id);
    }
  }
}
