package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.events.ClickEvent;
import io.segmenter.serde.GenericAvroSerde;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.CompatibilityLevel;
import io.segmenter.serde.registry.RegisteredSchema;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The project's registry client and serde against a real, independent implementation of the
 * Confluent Schema Registry API (Apicurio's ccompat API), not only against the project's own
 * embedded one.
 */
@Timeout(120)
class ApicurioRegistryIT {
  private static ApicurioRegistry apicurio;
  private static SchemaRegistryClient client;

  @BeforeAll
  static void start() throws Exception {
    apicurio = ApicurioRegistry.start();
    client = CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", apicurio.url()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (apicurio != null) {
      apicurio.close();
    }
  }

  @Test
  void registersLooksUpAndFetchesByIdBothWays() {
    Schema schema = ClickEvent.getClassSchema();
    int id = client.register("apicurio-clicks-value", schema);

    assertThat(client.getId("apicurio-clicks-value", schema)).isEqualTo(id);
    // A fresh client has empty caches: this really goes to Apicurio and parses its answer.
    try (SchemaRegistryClient fresh = newClient()) {
      assertThat(fresh.getSchemaById(id)).isEqualTo(schema);
      assertThat(fresh.getId("apicurio-clicks-value", schema)).isEqualTo(id);
      RegisteredSchema latest = fresh.getLatestVersion("apicurio-clicks-value");
      assertThat(latest.id()).isEqualTo(id);
      assertThat(latest.schema()).isEqualTo(schema);
      assertThat(latest.subject()).isEqualTo("apicurio-clicks-value");
      assertThat(fresh.getVersions("apicurio-clicks-value")).containsExactly(latest.version());
      assertThat(fresh.getSubjects()).contains("apicurio-clicks-value");
    }
  }

  @Test
  void compatibilityLevelIsSetAndEnforced() {
    String subject = "apicurio-evolving-value";
    Schema v1 = record(false, false);
    Schema v2 = record(true, false);   // adds a field with a default: BACKWARD compatible
    Schema v3 = record(true, true);    // adds a field without a default: not BACKWARD compatible

    client.register(subject, v1);
    assertThat(client.updateCompatibility(subject, CompatibilityLevel.BACKWARD)).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(client.getCompatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);

    assertThat(client.isCompatible(subject, v2)).isTrue();
    assertThat(client.isCompatible(subject, v3)).isFalse();
    int v2Id = client.register(subject, v2);
    assertThat(client.getLatestVersion(subject).id()).isEqualTo(v2Id);

    assertThatThrownBy(() -> client.register(subject, v3))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.errorCode()).isEqualTo(409);
          assertThat(e.getMessage()).containsIgnoringCase("incompatible");
        });
  }

  @Test
  void unknownIdIsReportedWithTheRegistrysErrorCode() {
    assertThatThrownBy(() -> client.getSchemaById(987_654))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(404);
          assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
          assertThat(e.isRetriable()).isFalse();
        });
  }

  @Test
  void specificAndGenericRoundTripsCarryApicuriosSchemaId() {
    Map<String, Object> config = Map.of("schema.registry.url", apicurio.url());
    try (SpecificAvroSerde<ClickEvent> specific = new SpecificAvroSerde<>(ClickEvent.class, client);
         GenericAvroSerde generic = new GenericAvroSerde(client)) {
      specific.configure(config, false);
      generic.configure(config, false);
      ClickEvent event = Fixtures.click("c-1", 1);

      byte[] bytes = specific.serializer().serialize("apicurio-serde-clicks", event);

      int id = client.getLatestVersion("apicurio-serde-clicks-value").id();
      assertThat(bytes[0]).isZero();
      assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
      assertThat(specific.deserializer().deserialize("apicurio-serde-clicks", bytes)).isEqualTo(event);

      GenericRecord asGeneric = generic.deserializer().deserialize("apicurio-serde-clicks", bytes);
      assertThat(asGeneric.get("customerId").toString()).isEqualTo("c-1");
      byte[] again = generic.serializer().serialize("apicurio-serde-clicks", asGeneric);
      assertThat(again).isEqualTo(bytes);
    }
  }

  private static SchemaRegistryClient newClient() {
    return CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", apicurio.url()));
  }

  private static Schema record(boolean withDefaultedField, boolean withRequiredField) {
    SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("Evolving").namespace("io.segmenter.it")
        .fields().requiredString("id");
    if (withDefaultedField) {
      fields = fields.name("channel").type().stringType().stringDefault("web");
    }
    if (withRequiredField) {
      fields = fields.requiredLong("mandatory");
    }
    return fields.endRecord();
  }
}
