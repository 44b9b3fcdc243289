package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.serde.AvroSerdeException.Reason;
import io.segmenter.serde.registry.SchemaRegistryException;
import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.Order;
import io.segmenter.testing.avro.SampleRecords;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every way a payload can be wrong gives the typed exception with the right reason, quickly. */
@Timeout(10)
class DecodingFailuresTest {
  private final InMemoryRegistryClient registry = new InMemoryRegistryClient(1);
  private final AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
  private final AvroDeserializer<Click> clicks = new AvroDeserializer<>(Click.class, registry);

  /** A valid Click payload; see GoldenBytesTest for the layout of the body. */
  private byte[] golden() {
    return serializer.serialize("clicks", GoldenBytesTest.goldenClick());
  }

  @Test
  void nullIsATombstone() {
    assertThat(clicks.deserialize("clicks", (byte[]) null)).isNull();
    assertThat(clicks.deserialize("clicks", null, (ByteBuffer) null)).isNull();
    assertThat(serializer.serialize("clicks", null)).isNull();
  }

  @Test
  void payloadShorterThanTheHeaderIsTruncated() {
    expect(() -> clicks.deserialize("clicks", new byte[] {0, 0, 0, 1}), Reason.TRUNCATED, "4 bytes");
    expect(() -> clicks.deserialize("clicks", new byte[0]), Reason.TRUNCATED, "0 bytes");
  }

  @Test
  void wrongFirstByteIsABadMagicByteNamingTheByte() {
    byte[] bytes = golden();
    bytes[0] = 0x7B;
    expect(() -> clicks.deserialize("clicks", bytes), Reason.BAD_MAGIC_BYTE, "0x7B");
  }

  @Test
  void plainJsonIsABadMagicByte() {
    expect(() -> clicks.deserialize("clicks", "{\"eventId\":1}".getBytes()), Reason.BAD_MAGIC_BYTE, "0x7B");
  }

  @Test
  void unknownSchemaIdIsNamed() {
    byte[] bytes = golden();
    WireFormat.writeHeader(bytes, 987_654);
    expect(() -> clicks.deserialize("clicks", bytes), Reason.UNKNOWN_SCHEMA_ID, "987654");
  }

  @Test
  void bodyEndingEarlyIsTruncated() {
    byte[] bytes = golden();
    expect(() -> clicks.deserialize("clicks", Arrays.copyOf(bytes, bytes.length - 2)), Reason.TRUNCATED, "schema id 1");
    expect(() -> clicks.deserialize("clicks", Arrays.copyOf(bytes, WireFormat.HEADER_SIZE)), Reason.TRUNCATED,
        "io.segmenter.testing.avro.Click");
  }

  @Test
  void bytesAfterTheRecordAreCorruptAndCounted() {
    byte[] bytes = golden();
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    expect(() -> clicks.deserialize("clicks", longer), Reason.CORRUPT_PAYLOAD, "3 trailing bytes");
  }

  @Test
  void negativeStringLengthIsCorrupt() {
    byte[] bytes = golden();
    bytes[5] = 0x05; // eventId's length varint: zigzag 5 = -3
    expect(() -> clicks.deserialize("clicks", bytes), Reason.CORRUPT_PAYLOAD, "negative");
  }

  @Test
  void unionBranchOutOfRangeIsCorrupt() {
    byte[] bytes = golden();
    int productIdBranch = 5 + 4 + 5 + 4 + 1; // header, eventId, customerId, sessionId, type
    assertThat(bytes[productIdBranch]).isEqualTo((byte) 0x02);
    bytes[productIdBranch] = 0x0A; // branch 5 of a 2-branch union
    expect(() -> clicks.deserialize("clicks", bytes), Reason.CORRUPT_PAYLOAD, "io.segmenter.testing.avro.Click");
  }

  @Test
  void enumIndexOutOfRangeIsCorrupt() {
    byte[] bytes = golden();
    int type = 5 + 4 + 5 + 4;
    assertThat(bytes[type]).isEqualTo((byte) 0x08);
    bytes[type] = 0x40; // symbol 32 of 7
    expect(() -> clicks.deserialize("clicks", bytes), Reason.CORRUPT_PAYLOAD, "schema id 1");
  }

  @Test
  void anotherRecordTypeIsIncompatibleWithTheReaderClass() {
    byte[] order = serializer.serialize("orders", SampleRecords.order(1));
    expect(() -> clicks.deserialize("orders", order), Reason.INCOMPATIBLE_SCHEMA, "io.segmenter.testing.avro.Order");
  }

  @Test
  void specificReaderWithoutAGeneratedClassIsIncompatible() {
    GenericRecord golden = goldenGeneric();
    byte[] bytes = serializer.serialize("golden", golden);
    AvroDeserializer<Object> byName = new AvroDeserializer<>(registry);
    byName.configure(
        Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true, "schema.registry.url", "http://unused"), false);

    expect(() -> byName.deserialize("golden", bytes), Reason.INCOMPATIBLE_SCHEMA, "io.segmenter.serde.test.Golden");
  }

  @Test
  void specificReaderNeverLoadsAClassFromAnUntrustedPackage() {
    // A writer schema naming a JDK class: Avro's class check must refuse it, not instantiate it.
    Schema gadget = new Schema.Parser().parse(
        "{\"type\":\"record\",\"name\":\"HashMap\",\"namespace\":\"java.util\",\"fields\":[]}");
    byte[] bytes = serializer.serialize("gadgets", new GenericData.Record(gadget));
    AvroDeserializer<Object> byName = new AvroDeserializer<>(registry);
    byName.configure(
        Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "true", "schema.registry.url", "http://unused"), false);

    expect(() -> byName.deserialize("gadgets", bytes), Reason.INCOMPATIBLE_SCHEMA, "trust");
  }

  @Test
  void registryOutageWhileFetchingAnIdIsRetriable() {
    byte[] bytes = golden();
    AvroDeserializer<Click> fresh = new AvroDeserializer<>(Click.class, registry);
    registry.failWith(new SchemaRegistryException("connection refused", SchemaRegistryException.NO_RESPONSE,
        SchemaRegistryException.NO_ERROR_CODE));

    AvroSerdeException e = expect(() -> fresh.deserialize("clicks", bytes), Reason.REGISTRY_UNAVAILABLE, "connection refused");
    assertThat(e.isRetriable()).isTrue();
  }

  @Test
  void decodesInPlaceFromAHeapBufferSlice() {
    byte[] bytes = golden();
    byte[] padded = new byte[bytes.length + 20];
    System.arraycopy(bytes, 0, padded, 7, bytes.length);
    ByteBuffer slice = ByteBuffer.wrap(padded, 7, bytes.length).slice();

    assertThat(clicks.deserialize("clicks", null, slice)).isEqualTo(GoldenBytesTest.goldenClick());
    assertThat(slice.position()).isZero();
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    assertThat(clicks.deserialize("clicks", null, direct)).isEqualTo(GoldenBytesTest.goldenClick());
  }

  static GenericRecord goldenGeneric() {
    GenericRecord record = new GenericData.Record(GoldenBytesTest.GOLDEN_SCHEMA);
    record.put("small", -3);
    record.put("big", -129L);
    record.put("flag", true);
    record.put("ratio", 1.5);
    record.put("amount", ByteBuffer.wrap(new byte[] {(byte) 0xFF, 0x6A}));
    record.put("tags", java.util.List.of("a", "bc"));
    record.put("at", 1_704_067_200_000L);
    record.put("day", 19_723);
    return record;
  }

  static AvroSerdeException expect(ThrowingCallable call, Reason reason, String messagePart) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(thrown).isInstanceOf(AvroSerdeException.class);
    AvroSerdeException e = (AvroSerdeException) thrown;
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage()).contains(messagePart);
    return e;
  }

}
