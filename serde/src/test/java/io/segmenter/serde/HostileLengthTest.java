package io.segmenter.serde;

import static io.segmenter.serde.DecodingFailuresTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.serde.AvroSerdeException.Reason;
import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.SampleRecords;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A few bytes claiming a string, bytes, array or map of 2^30 elements must fail fast with the
 * typed exception and without allocating anything near that size: measured with the JVM's
 * per-thread allocation counter. Avro 1.12.2 checks lengths against the bytes left in the array;
 * these tests pin that (and our choice of the array-backed decoder that makes it possible).
 */
@Timeout(10)
class HostileLengthTest {
  /** 2^30 zig-zag encoded is 2^31 = 8 * 128^4: groups 0, 0, 0, 0, 8 -> 80 80 80 80 08. */
  private static final String TWO_POW_30 = "8080808008";
  /** Far below what any of the claimed lengths would need (1 GiB to 8 GiB). */
  private static final long ALLOCATION_BUDGET = 4L << 20;

  private static final Schema HOSTILE = new Schema.Parser().parse("""
      {"type": "record", "name": "Hostile", "namespace": "io.segmenter.serde.test", "fields": [
        {"name": "blob", "type": "bytes"},
        {"name": "names", "type": {"type": "array", "items": "string"}},
        {"name": "counts", "type": {"type": "map", "values": "long"}},
        {"name": "nothings", "type": {"type": "array", "items": "null"}}
      ]}""");

  private final InMemoryRegistryClient registry = new InMemoryRegistryClient(7);
  private AvroDeserializer<Click> clicks;
  private AvroDeserializer<GenericRecord> generic;
  private int hostileId;

  @BeforeEach
  void warmUp() {
    AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
    clicks = new AvroDeserializer<>(Click.class, registry);
    generic = new AvroDeserializer<>(registry);
    // Warm the plans (registry fetch, reader building) so that only decoding is measured below.
    byte[] click = serializer.serialize("clicks", SampleRecords.click(1));
    assertThat(clicks.deserialize("clicks", click)).isNotNull();
    GenericRecord empty = new GenericData.Record(HOSTILE);
    empty.put("blob", java.nio.ByteBuffer.allocate(0));
    empty.put("names", java.util.List.of());
    empty.put("counts", java.util.Map.of());
    empty.put("nothings", java.util.List.of());
    byte[] hostile = serializer.serialize("hostile", empty);
    hostileId = WireFormat.readSchemaId(hostile, 0, hostile.length);
    assertThat(generic.deserialize("hostile", hostile)).isNotNull();
  }

  @Test
  void stringClaimingAGigabyteIsTruncated() {
    byte[] payload = payload(7, TWO_POW_30 + "41414141");  // Click.eventId claims 2^30 bytes
    expectCheap(() -> expect(() -> clicks.deserialize("clicks", payload), Reason.TRUNCATED, "1073741824"));
  }

  @Test
  void bytesClaimingAGigabyteAreTruncated() {
    byte[] payload = payload(hostileId, TWO_POW_30 + "00");
    expectCheap(() -> expect(() -> generic.deserialize("hostile", payload), Reason.TRUNCATED, "1073741824"));
  }

  @Test
  void arrayClaimingAGigaElementsIsTruncated() {
    byte[] payload = payload(hostileId, "00" + TWO_POW_30 + "0261");
    expectCheap(() -> expect(() -> generic.deserialize("hostile", payload), Reason.TRUNCATED, "1073741824"));
  }

  @Test
  void mapClaimingAGigaEntriesIsTruncated() {
    // Avro's fast reader does not pre-size maps; it reads entries (each at least one byte for its
    // key) until the bytes run out, so the claim costs nothing.
    byte[] payload = payload(hostileId, "00" + "00" + TWO_POW_30 + "026102");
    expectCheap(() -> expect(() -> generic.deserialize("hostile", payload), Reason.TRUNCATED, "Hostile"));
  }

  @Test
  void arrayOfNullsClaimingAGigaElementsIsCorrupt() {
    // Nulls take no bytes, so the bytes left cannot bound them: Avro's heap-aware cap does.
    byte[] payload = payload(hostileId, "00" + "00" + "00" + TWO_POW_30 + "00");
    expectCheap(() -> expect(() -> generic.deserialize("hostile", payload), Reason.CORRUPT_PAYLOAD, "1073741824"));
  }

  @Test
  void arrayClaimingMoreThanJavaCanHoldIsCorrupt() {
    // 2^40 elements: zig-zag 2^41 = 2 * 128^5 -> 80 80 80 80 80 02.
    byte[] payload = payload(hostileId, "00" + "808080808002" + "0261");
    expectCheap(() -> expect(() -> generic.deserialize("hostile", payload), Reason.CORRUPT_PAYLOAD, "Hostile"));
  }

  private static byte[] payload(int id, String bodyHex) {
    byte[] body = HexFormat.of().parseHex(bodyHex);
    byte[] payload = new byte[WireFormat.HEADER_SIZE + body.length];
    WireFormat.writeHeader(payload, id);
    System.arraycopy(body, 0, payload, WireFormat.HEADER_SIZE, body.length);
    return payload;
  }

  private static void expectCheap(Runnable decode) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    decode.run();
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated while failing").isLessThan(ALLOCATION_BUDGET);
  }
}
