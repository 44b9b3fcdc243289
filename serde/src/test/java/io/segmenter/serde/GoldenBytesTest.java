package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.ClickKind;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of the Confluent wire format, worked out by hand from the Avro 1.12 specification
 * (never produced by Avro here): if these pass, any Confluent-compatible consumer reads our output.
 *
 * <p>Avro binary rules used below: int and long are zig-zag encoded ((n << 1) ^ (n >> 63)) then
 * written as a varint, 7 bits per byte, least significant group first, high bit set on every byte
 * but the last. Strings and bytes are a long length then the raw bytes. A union is the long index of
 * its branch then the branch's value. An enum is the int index of its symbol. A decimal (bytes) is
 * the two's-complement big-endian unscaled value in as few bytes as keep the sign. timestamp-millis
 * is a long of milliseconds since the epoch, date an int of days since the epoch. A double is 8
 * bytes of IEEE 754, little-endian. An array is blocks of (long count, items), closed by count 0.
 */
class GoldenBytesTest {
  /** The id our stub registry hands out first: 0x01020304 shows the byte order of the header. */
  private static final int SCHEMA_ID = 0x01020304;
  /** 2024-01-01T00:00:00Z = 1,704,067,200,000 ms = 19,723 days after the epoch. */
  private static final Instant NEW_YEAR_2024 = Instant.parse("2024-01-01T00:00:00Z");

  private static final String CLICK_GOLDEN_HEX = String.join("",
      "00",          // magic byte 0
      "01020304",    // schema id 0x01020304, big-endian
      "06656d31",    // eventId "em1": length 3 -> zigzag 6 = 0x06; 'e' 0x65 'm' 0x6d '1' 0x31
      "08632d3432",  // customerId "c-42": length 4 -> 0x08; 'c' 0x63 '-' 0x2d '4' 0x34 '2' 0x32
      "06732d39",    // sessionId "s-9": length 3 -> 0x06; 's' 0x73 '-' 0x2d '9' 0x39
      "08",          // type ADD_TO_CART: symbol index 4 -> zigzag 8 = 0x08
      "020a736b752d37", // productId "sku-7": union branch 1 (string) -> 0x02; length 5 -> 0x0a; "sku-7"
      "00",          // category null: union branch 0 (null) -> 0x00, no value
      // price 129.9900 at scale 4: unscaled 1,299,900 = 0x13D5BC; 0x13 has its high bit clear, so
      // three bytes keep the sign: 13 d5 bc. Union branch 1 -> 0x02; byte length 3 -> 0x06.
      "020613d5bc",
      "0206776562",  // channel "web": branch 1 -> 0x02; length 3 -> 0x06; 'w' 0x77 'e' 0x65 'b' 0x62
      "00",          // device null: branch 0 -> 0x00
      // occurredAt 1,704,067,200,000 ms: zigzag doubles it to 3,408,134,400,000. In 7-bit groups,
      // least significant first: 3,408,134,400,000 = 0 + 80*128 + 15*128^2 + 37*128^3 + 24*128^4
      // + 99*128^5, i.e. groups 0, 80, 15, 37, 24, 99 = 0x00 0x50 0x0f 0x25 0x18 0x63; every group but
      // the last gets the continuation bit 0x80: 80 d0 8f a5 98 63.
      "80d08fa59863");

  /** A small schema that covers what Click does not: negative numbers, boolean, double, array, date. */
  static final Schema GOLDEN_SCHEMA = new Schema.Parser().parse("""
      {"type": "record", "name": "Golden", "namespace": "io.segmenter.serde.test", "fields": [
        {"name": "small", "type": "int"},
        {"name": "big", "type": "long"},
        {"name": "flag", "type": "boolean"},
        {"name": "ratio", "type": "double"},
        {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
        {"name": "at", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}}
      ]}""");

  private static final String GOLDEN_HEX = String.join("",
      "00", "01020304",          // header: magic byte, id 0x01020304
      "05",                      // small -3: zigzag (-3 << 1) ^ -1 = 5 -> 0x05
      "8102",                    // big -129: zigzag 257 = 2*128 + 1 -> groups 1, 2 -> 0x81 0x02
      "01",                      // flag true -> 0x01
      "000000000000f83f",        // ratio 1.5 = 0x3FF8000000000000, written little-endian
      // amount -1.50 at scale 2: unscaled -150. +150 = 0x96 has its high bit set, so the shortest
      // two's complement of -150 takes two bytes: 0x10000 - 150 = 0xFF6A. Length 2 -> zigzag 0x04.
      "04ff6a",
      "04" + "0261" + "046263" + "00", // tags ["a", "bc"]: one block of 2 (zigzag 0x04), "a", "bc", end 0
      "02" + "80d08fa59863",     // at: union branch 1 -> 0x02, then 1,704,067,200,000 as for Click
      // day 19,723 (2024-01-01): zigzag 39,446 = 2*128^2 + 52*128 + 22 -> groups 22, 52, 2
      // -> 0x96 (22 | 0x80), 0xb4 (52 | 0x80), 0x02.
      "96b402");

  @Test
  void clickEventSerialisesToTheHandDerivedBytes() {
    try (SpecificAvroSerde<Click> serde = new SpecificAvroSerde<>(Click.class,
        new InMemoryRegistryClient(SCHEMA_ID))) {
      byte[] bytes = serde.serializer().serialize("clicks", goldenClick());

      assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(CLICK_GOLDEN_HEX);
    }
  }

  @Test
  void handDerivedClickBytesDeserialiseToTheRecord() {
    InMemoryRegistryClient registry = new InMemoryRegistryClient(SCHEMA_ID);
    registry.register("clicks-value", Click.getClassSchema());
    try (SpecificAvroSerde<Click> serde = new SpecificAvroSerde<>(Click.class, registry)) {
      Click read = serde.deserializer().deserialize("clicks", HexFormat.of().parseHex(CLICK_GOLDEN_HEX));

      assertThat(read).isEqualTo(goldenClick());
    }
  }

  @Test
  void genericRecordWithRawLogicalValuesSerialisesToTheHandDerivedBytes() {
    GenericRecord record = new GenericData.Record(GOLDEN_SCHEMA);
    record.put("small", -3);
    record.put("big", -129L);
    record.put("flag", true);
    record.put("ratio", 1.5);
    record.put("amount", ByteBuffer.wrap(new byte[] {(byte) 0xFF, 0x6A}));
    record.put("tags", List.of("a", "bc"));
    record.put("at", NEW_YEAR_2024.toEpochMilli());
    record.put("day", 19_723);
    try (GenericAvroSerde serde = new GenericAvroSerde(new InMemoryRegistryClient(SCHEMA_ID))) {
      assertThat(HexFormat.of().formatHex(serde.serializer().serialize("golden", record))).isEqualTo(GOLDEN_HEX);
    }
  }

  @Test
  void genericRecordWithConvertedLogicalValuesGivesTheSameBytesAndReadsBackConverted() {
    GenericRecord record = new GenericData.Record(GOLDEN_SCHEMA);
    record.put("small", -3);
    record.put("big", -129L);
    record.put("flag", true);
    record.put("ratio", 1.5);
    record.put("amount", new BigDecimal("-1.50"));
    record.put("tags", List.of("a", "bc"));
    record.put("at", NEW_YEAR_2024);
    record.put("day", LocalDate.of(2024, 1, 1));
    try (GenericAvroSerde serde = new GenericAvroSerde(new InMemoryRegistryClient(SCHEMA_ID))) {
      serde.configure(Map.of(AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, "true"), false);

      byte[] bytes = serde.serializer().serialize("golden", record);
      assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(GOLDEN_HEX);

      GenericRecord read = serde.deserializer().deserialize("golden", bytes);
      assertThat(read.get("amount")).isEqualTo(new BigDecimal("-1.50"));
      assertThat(read.get("at")).isEqualTo(NEW_YEAR_2024);
      assertThat(read.get("day")).isEqualTo(LocalDate.of(2024, 1, 1));
      assertThat(read.get("big")).isEqualTo(-129L);
      assertThat(read.get("tags").toString()).isEqualTo("[a, bc]");
    }
  }

  static Click goldenClick() {
    return Click.newBuilder()
        .setEventId("em1")
        .setCustomerId("c-42")
        .setSessionId("s-9")
        .setType(ClickKind.ADD_TO_CART)
        .setProductId("sku-7")
        .setCategory(null)
        .setPrice(new BigDecimal("129.9900"))
        .setChannel("web")
        .setDevice(null)
        .setOccurredAt(NEW_YEAR_2024)
        .build();
  }
}
