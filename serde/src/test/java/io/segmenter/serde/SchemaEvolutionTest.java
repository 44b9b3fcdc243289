package io.segmenter.serde;

import static io.segmenter.serde.DecodingFailuresTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.serde.AvroSerdeException.Reason;
import io.segmenter.serde.registry.MiniRegistryFixture;
import io.segmenter.serde.registry.SchemaRegistryException;
import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.SampleRecords;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Producers evolve schemas; readers on a newer version read older data; incompatible versions are
 * refused (by {@link io.segmenter.serde.registry.MiniRegistry}, at BACKWARD). How segmenter's own
 * schemas evolved is tested with them, in the service and tools modules.
 */
@Timeout(60)
class SchemaEvolutionTest {
  private static final String CUSTOMER_V1 = """
      {"type": "record", "name": "Customer", "namespace": "io.segmenter.test", "fields": [
        {"name": "id", "type": "string"}]}""";
  private static final String CUSTOMER_V2 = """
      {"type": "record", "name": "Customer", "namespace": "io.segmenter.test", "fields": [
        {"name": "id", "type": "string"},
        {"name": "segment", "type": "string", "default": "none"}]}""";
  private static final String CUSTOMER_V3_NO_DEFAULT = """
      {"type": "record", "name": "Customer", "namespace": "io.segmenter.test", "fields": [
        {"name": "id", "type": "string"},
        {"name": "segment", "type": "string", "default": "none"},
        {"name": "tier", "type": "int"}]}""";

  @RegisterExtension
  static final MiniRegistryFixture REGISTRY = new MiniRegistryFixture();

  @Test
  void v1DataReadWithV2GetsTheDefault() {
    Schema v1 = new Schema.Parser().parse(CUSTOMER_V1);
    Schema v2 = new Schema.Parser().parse(CUSTOMER_V2);
    try (GenericAvroSerde writer = new GenericAvroSerde(REGISTRY.client());
         GenericAvroSerde v2Reader = new GenericAvroSerde(REGISTRY.client(), v2)) {
      writer.configure(Map.of("schema.registry.url", REGISTRY.registry().url()), false);
      v2Reader.configure(Map.of("schema.registry.url", REGISTRY.registry().url()), false);
      byte[] v1Bytes = writer.serializer().serialize("customers", new GenericRecordBuilder(v1).set("id", "c-1").build());
      byte[] v2Bytes = writer.serializer().serialize("customers",
          new GenericRecordBuilder(v2).set("id", "c-2").set("segment", "Champions").build());

      GenericRecord oldData = v2Reader.deserializer().deserialize("customers", v1Bytes);
      GenericRecord newData = v2Reader.deserializer().deserialize("customers", v2Bytes);

      assertThat(oldData.getSchema()).isEqualTo(v2);
      assertThat(oldData.get("id").toString()).isEqualTo("c-1");
      assertThat(oldData.get("segment").toString()).isEqualTo("none");
      assertThat(newData.get("segment").toString()).isEqualTo("Champions");
      assertThat(REGISTRY.client().getVersions("customers-value")).hasSize(2);
      assertThat(WireFormat.readSchemaId(v1Bytes, 0, v1Bytes.length))
          .isNotEqualTo(WireFormat.readSchemaId(v2Bytes, 0, v2Bytes.length));
    }
  }

  @Test
  void olderDataReadsIntoTheGeneratedClass() {
    // An older Click: the current one without channel and device (nullable, default null).
    Click click = SampleRecords.click(7);

    Click read = SerdeChecks.writtenByAnOlderVersion(REGISTRY, Click.class, "old-clicks", click, "channel", "device");

    assertThat(read.getChannel()).isNull();
    assertThat(read.getDevice()).isNull();
    assertThat(read.getEventId()).isEqualTo(click.getEventId());
    assertThat(read.getPrice()).isEqualTo(click.getPrice());
    assertThat(read.getOccurredAt()).isEqualTo(click.getOccurredAt());
  }

  @Test
  void anIncompatibleVersionIsRefusedWithTheRegistrysConflict() {
    try (GenericAvroSerde writer = new GenericAvroSerde(REGISTRY.client())) {
      writer.configure(Map.of("schema.registry.url", REGISTRY.registry().url()), false);
      writer.serializer().serialize("tiers", new GenericRecordBuilder(new Schema.Parser().parse(CUSTOMER_V2))
          .set("id", "c-1").set("segment", "x").build());
      GenericRecord v3 = new GenericRecordBuilder(new Schema.Parser().parse(CUSTOMER_V3_NO_DEFAULT))
          .set("id", "c-1").set("segment", "x").set("tier", 2).build();

      AvroSerdeException e = expect(() -> writer.serializer().serialize("tiers", v3), Reason.REGISTRY_ERROR, "409");

      assertThat(e.getCause()).isInstanceOfSatisfying(SchemaRegistryException.class,
          cause -> assertThat(cause.httpStatus()).isEqualTo(409));
      assertThat(e.getMessage()).contains("tiers-value").contains(cause(e).getMessage());
      assertThat(e.isRetriable()).isFalse();
      assertThat(REGISTRY.client().getVersions("tiers-value")).hasSize(1);
    }
  }

  private static Throwable cause(Throwable e) {
    return e.getCause();
  }
}
