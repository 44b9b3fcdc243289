package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.segmenter.serde.AvroSerdeException.Reason;
import io.segmenter.testing.avro.Assignment;
import io.segmenter.testing.avro.Click;
import io.segmenter.testing.avro.Order;
import io.segmenter.testing.avro.SampleRecords;
import io.segmenter.testing.avro.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded mutations of thousands of valid payloads (bit flips, byte overwrites, truncations,
 * extensions, insertions, header rewrites) through specific, by-name and generic readers: every
 * outcome is a record or an AvroSerdeException, never another exception and never an Error.
 */
@Timeout(120)
class FuzzTest {
  private static final long SEED = 20_261_101L;
  private static final int VALID_PAYLOADS = 2_000;
  private static final int MUTATIONS_PER_PAYLOAD = 6;

  @Test
  void mutatedPayloadsGiveARecordOrTheTypedException() {
    Random random = new Random(SEED);
    InMemoryRegistryClient registry = new InMemoryRegistryClient(1);
    AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
    AvroDeserializer<Object> byName = new AvroDeserializer<>(registry);
    byName.configure(
        Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true, "schema.registry.url", "http://unused"), false);
    List<Deserializer<?>> readers = List.of(
        new AvroDeserializer<Click>(Click.class, registry),
        new AvroDeserializer<Order>(Order.class, registry),
        new AvroDeserializer<Assignment>(Assignment.class, registry),
        new AvroDeserializer<Snapshot>(Snapshot.class, registry),
        new AvroDeserializer<GenericRecord>(registry),
        byName);

    List<byte[]> valid = new ArrayList<>();
    for (int i = 0; i < VALID_PAYLOADS; i++) {
      valid.add(serializer.serialize("fuzz", record(i)));
    }

    Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
    int records = 0;
    int runs = 0;
    for (byte[] original : valid) {
      for (int m = 0; m < MUTATIONS_PER_PAYLOAD; m++) {
        byte[] mutated = mutate(original, random);
        Deserializer<?> reader = readers.get(random.nextInt(readers.size()));
        runs++;
        try {
          reader.deserialize("fuzz", mutated);
          records++;
        } catch (AvroSerdeException e) {
          reasons.merge(e.reason(), 1, Integer::sum);
        } catch (Throwable t) {
          fail("seed " + SEED + ", run " + runs + ": " + t + " for " + HexFormat.of().formatHex(mutated), t);
        }
      }
    }

    assertThat(records + reasons.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(runs);
    assertThat(records).as("some mutations still decode").isPositive();
    assertThat(reasons).as("the fuzz reached every decoding failure")
        .containsKeys(Reason.TRUNCATED, Reason.CORRUPT_PAYLOAD, Reason.BAD_MAGIC_BYTE, Reason.UNKNOWN_SCHEMA_ID,
            Reason.INCOMPATIBLE_SCHEMA);
  }

  private static Object record(int i) {
    switch (i % 5) {
      case 0:
        return SampleRecords.order(i);
      case 1:
        return SampleRecords.assignment(i % 2 == 0);
      case 2:
        return SampleRecords.snapshot();
      default:
        return SampleRecords.click(i);
    }
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] bytes = original.clone();
    switch (random.nextInt(7)) {
      case 0: { // flip one to four bits
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
          int at = random.nextInt(bytes.length);
          bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
      }
      case 1: { // overwrite a byte in the body
        int at = WireFormat.HEADER_SIZE + random.nextInt(bytes.length - WireFormat.HEADER_SIZE);
        bytes[at] = (byte) random.nextInt(256);
        return bytes;
      }
      case 2: // truncate anywhere, header included
        return Arrays.copyOf(bytes, random.nextInt(bytes.length));
      case 3: { // extend with random bytes
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
        for (int i = bytes.length; i < longer.length; i++) {
          longer[i] = (byte) random.nextInt(256);
        }
        return longer;
      }
      case 4: { // insert a random byte
        int at = random.nextInt(bytes.length + 1);
        byte[] inserted = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, inserted, 0, at);
        inserted[at] = (byte) random.nextInt(256);
        System.arraycopy(bytes, at, inserted, at + 1, bytes.length - at);
        return inserted;
      }
      case 5: // another schema id: a neighbour (another registered schema) or anything
        WireFormat.writeHeader(bytes, random.nextBoolean() ? 1 + random.nextInt(6) : random.nextInt());
        return bytes;
      default: { // a varint-looking run of 0xFF bytes: huge or negative lengths and counts
        int at = WireFormat.HEADER_SIZE + random.nextInt(bytes.length - WireFormat.HEADER_SIZE);
        for (int i = at; i < Math.min(bytes.length, at + 1 + random.nextInt(9)); i++) {
          bytes[i] = (byte) 0xFF;
        }
        return bytes;
      }
    }
  }
}
