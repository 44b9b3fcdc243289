package io.segmenter.serde;

import static io.segmenter.serde.DecodingFailuresTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.serde.AvroSerdeException.Reason;
import io.segmenter.serde.registry.SchemaRegistryException;
import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.Order;
import io.segmenter.testing.avro.SampleRecords;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Records that do not fit, ids that cannot be found, registries that refuse: typed, with the reason. */
@Timeout(10)
class EncodingFailuresTest {
  private static final Map<String, Object> NO_AUTO_REGISTER =
      Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false, "schema.registry.url", "http://unused");
  private static final Map<String, Object> USE_LATEST = Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false",
      AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, "true", "schema.registry.url", "http://unused");

  private final InMemoryRegistryClient registry = new InMemoryRegistryClient();

  @Test
  void nullInANonNullFieldIsAnInvalidRecordNamingTheField() {
    Click click = SampleRecords.click(1);
    click.setSessionId(null);

    AvroSerdeException e = expect(() -> new AvroSerializer<>(registry).serialize("clicks", click),
        Reason.INVALID_RECORD, "sessionId");
    assertThat(registry.calls()).as("an invalid record registers nothing").isZero();
    assertThat(e.isRetriable()).isFalse();
  }

  @Test
  void decimalThatNeedsRoundingToTheSchemasScaleIsAnInvalidRecord() {
    Order order = SampleRecords.order(1);
    order.setAmount(new BigDecimal("12.34567")); // the schema says scale 4: Avro will not round

    expect(() -> new AvroSerializer<>(registry).serialize("orders", order), Reason.INVALID_RECORD,
        "Cannot encode decimal with scale 5 as scale 4");
  }

  @Test
  void decimalBeyondThePrecisionIsAnInvalidRecord() {
    Order order = SampleRecords.order(1);
    order.setAmount(new BigDecimal("123456789012345.0000")); // 19 digits, precision 18

    expect(() -> new AvroSerializer<>(registry).serialize("orders", order), Reason.INVALID_RECORD, "precision 19");
  }

  @Test
  void decimalOfASmallerScaleIsRescaledExactlyAsAvroDoes() {
    Order order = SampleRecords.order(1);
    order.setAmount(new BigDecimal("12.5"));
    AvroSerializer<Order> serializer = new AvroSerializer<>(registry);

    byte[] bytes = serializer.serialize("orders", order);

    assertThat(new AvroDeserializer<Order>(Order.class, registry).deserialize("orders", bytes).getAmount())
        .isEqualTo(new BigDecimal("12.5000"));
  }

  @Test
  void wrongJavaTypeIsAnInvalidRecordThatDoesNotQuoteTheValue() {
    GenericRecord record = new GenericData.Record(GoldenBytesTest.GOLDEN_SCHEMA);
    DecodingFailuresTest.goldenGeneric().getSchema().getFields()
        .forEach(f -> record.put(f.name(), DecodingFailuresTest.goldenGeneric().get(f.name())));
    record.put("small", "secret-customer-value");

    AvroSerdeException e = expect(() -> new AvroSerializer<>(registry).serialize("golden", record),
        Reason.INVALID_RECORD, "java.lang.String");
    assertThat(e.getMessage()).contains("small").doesNotContain("secret-customer-value");
    assertThat(e.getCause()).isNull();
  }

  @Test
  void somethingOtherThanAnAvroRecordIsRefused() {
    expect(() -> new AvroSerializer<>(registry).serialize("clicks", "just a string"),
        Reason.INVALID_RECORD, "java.lang.String");
  }

  @Test
  void unregisteredSchemaWithAutoRegisterOffIsNotRegistered() {
    AvroSerializer<Click> serializer = new AvroSerializer<>(registry);
    serializer.configure(NO_AUTO_REGISTER, false);

    expect(() -> serializer.serialize("clicks", SampleRecords.click(1)), Reason.SCHEMA_NOT_REGISTERED, "clicks-value");
  }

  @Test
  void registeredSchemaWithAutoRegisterOffIsLookedUp() {
    int id = registry.register("clicks-value", Click.getClassSchema());
    AvroSerializer<Click> serializer = new AvroSerializer<>(registry);
    serializer.configure(NO_AUTO_REGISTER, false);

    byte[] bytes = serializer.serialize("clicks", SampleRecords.click(1));

    assertThat(WireFormat.readSchemaId(bytes, 0, bytes.length)).isEqualTo(id);
  }

  @Test
  void useLatestVersionWritesTheLatestIdWhenTheCanonicalFormMatches() {
    // Same record with the docs stripped: a different schema text, the same parsing canonical form.
    Schema withoutDocs = new Schema.Parser().parse(Click.getClassSchema().toString().replaceAll(
        "\"doc\":\"(?:[^\"\\\\]|\\\\.)*\",", ""));
    assertThat(withoutDocs.toString()).isNotEqualTo(Click.getClassSchema().toString());
    int latestId = registry.register("clicks-value", withoutDocs);
    AvroSerializer<Click> serializer = new AvroSerializer<>(registry);
    serializer.configure(USE_LATEST, false);

    byte[] bytes = serializer.serialize("clicks", SampleRecords.click(1));

    assertThat(WireFormat.readSchemaId(bytes, 0, bytes.length)).isEqualTo(latestId);
    assertThat(new AvroDeserializer<Click>(Click.class, registry).deserialize("clicks", bytes))
        .isEqualTo(SampleRecords.click(1));
  }

  @Test
  void useLatestVersionRefusesARecordOfAnotherShape() {
    registry.register("clicks-value", GoldenBytesTest.GOLDEN_SCHEMA);
    AvroSerializer<Click> serializer = new AvroSerializer<>(registry);
    serializer.configure(USE_LATEST, false);

    AvroSerdeException e = expect(() -> serializer.serialize("clicks", SampleRecords.click(1)),
        Reason.INCOMPATIBLE_SCHEMA, "latest version");
    assertThat(e.getMessage()).contains(AvroSerdeConfig.USE_LATEST_VERSION_CONFIG + "=false");
  }

  @Test
  void useLatestVersionOnAnEmptySubjectIsNotRegistered() {
    AvroSerializer<Click> serializer = new AvroSerializer<>(registry);
    serializer.configure(USE_LATEST, false);

    expect(() -> serializer.serialize("clicks", SampleRecords.click(1)), Reason.SCHEMA_NOT_REGISTERED, "clicks-value");
  }

  @Test
  void registryWithoutAnswerIsUnavailableAndRetriable() {
    registry.failWith(new SchemaRegistryException("connect timed out", SchemaRegistryException.NO_RESPONSE,
        SchemaRegistryException.NO_ERROR_CODE));

    AvroSerdeException e = expect(() -> new AvroSerializer<>(registry).serialize("clicks", SampleRecords.click(1)),
        Reason.REGISTRY_UNAVAILABLE, "connect timed out");
    assertThat(e.isRetriable()).isTrue();
  }

  @Test
  void registry503IsUnavailable() {
    registry.failWith(new SchemaRegistryException("Service Unavailable", 503, 50003));
    expect(() -> new AvroSerializer<>(registry).serialize("clicks", SampleRecords.click(1)),
        Reason.REGISTRY_UNAVAILABLE, "HTTP 503");
  }

  @Test
  void registryRefusalKeepsStatusErrorCodeAndMessage() {
    registry.failWith(new SchemaRegistryException("Schema being registered is incompatible with an earlier schema",
        409, 409));

    AvroSerdeException e = expect(() -> new AvroSerializer<>(registry).serialize("clicks", SampleRecords.click(1)),
        Reason.REGISTRY_ERROR, "HTTP 409, error_code 409: Schema being registered is incompatible");
    assertThat(e.getCause()).isInstanceOf(SchemaRegistryException.class);
  }

  @Test
  void aClientThrowingSomethingElseStillGivesTheTypedException() {
    registry.failWith(new IllegalStateException("client closed"));
    expect(() -> new AvroSerializer<>(registry).serialize("clicks", SampleRecords.click(1)),
        Reason.REGISTRY_ERROR, "client closed");
  }

  @Test
  void afterAFailureTheNextCallTriesTheRegistryAgain() {
    AvroSerializer<Click> serializer = new AvroSerializer<>(registry);
    registry.failWith(new SchemaRegistryException("down", SchemaRegistryException.NO_RESPONSE, -1));
    expect(() -> serializer.serialize("clicks", SampleRecords.click(1)), Reason.REGISTRY_UNAVAILABLE, "down");

    registry.heal();

    assertThat(serializer.serialize("clicks", SampleRecords.click(1))).isNotEmpty();
  }
}
