package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Features;
import io.segmenter.model.MiniBatchAccumulator;
import io.segmenter.topology.RejectedRecord.Reason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InternalCodecTest {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

  private static ModelDelta delta() {
    MiniBatchAccumulator batch = new MiniBatchAccumulator(Features.DIMENSION);
    for (int i = 0; i < 5; i++) {
      double[] p = new double[Features.DIMENSION];
      Arrays.fill(p, i);
      batch.add(p, i % 2, NOW.toEpochMilli() + i, 10);
    }
    return ModelCodec.toAvro(batch.drain("0_1", 3, 7));
  }

  @Test
  void modelVersionsAndDeltasRoundTripWithoutAnyRegistry() throws Exception {
    ModelVersion v = SeedModels.championsAndAtRisk(NOW);
    byte[] bytes = InternalCodec.encode(v);
    assertThat(bytes[0]).isEqualTo(InternalCodec.FORMAT);
    assertThat(InternalCodec.decodeVersion(bytes)).isEqualTo(v);
    ModelDelta d = delta();
    assertThat(InternalCodec.decodeDelta(InternalCodec.encode(d))).isEqualTo(d);
  }

  @Test
  void afterTheNineByteHeaderComesAvrosPlainBinaryEncodingOfTheRecord() throws Exception {
    // Written through a buffered encoder; the bytes must be those of Avro's direct one (what earlier
    // releases wrote and what any Avro reader expects).
    // 500 points: a sample of 500 x 14 doubles, many times the buffered encoder's 2 kB buffer.
    MiniBatchAccumulator batch = new MiniBatchAccumulator(Features.DIMENSION);
    Random random = new Random(3);
    for (int i = 0; i < 500; i++) {
      double[] p = new double[Features.DIMENSION];
      for (int t = 0; t < p.length; t++) p[t] = random.nextGaussian();
      batch.add(p, i % 3, NOW.toEpochMilli() + i, 500, i);
    }
    ModelDelta d = ModelCodec.toAvro(batch.drain("0_1", 3, 7));
    java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
    org.apache.avro.io.BinaryEncoder direct = org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(plain, null);
    new org.apache.avro.specific.SpecificDatumWriter<ModelDelta>(ModelDelta.getClassSchema()).write(d, direct);
    direct.flush();
    byte[] bytes = InternalCodec.encode(d);
    assertThat(bytes.length).isGreaterThan(50_000);
    assertThat(Arrays.copyOfRange(bytes, 9, bytes.length)).isEqualTo(plain.toByteArray());
  }

  @Test
  void theAggregatorStateOfEarlierReleasesAvroSingleObjectEncodingIsStillRead() throws Exception {
    ModelVersion v = SeedModels.championsAndAtRisk(NOW);
    ByteBuffer legacy = v.toByteBuffer();
    byte[] bytes = new byte[legacy.remaining()];
    legacy.get(bytes);
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(InternalCodec.decodeVersion(bytes)).isEqualTo(v);
  }

  @Test
  void junkOfAnyLengthIsRejectedWithAReasonNeverThrownAsSomethingElse() {
    Random random = new Random(7);
    for (int length = 0; length < 300; length++) {
      byte[] junk = new byte[length];
      random.nextBytes(junk);
      if (length > 0 && random.nextBoolean()) junk[0] = InternalCodec.FORMAT; // past the first check
      assertThatThrownBy(() -> InternalCodec.decodeVersion(junk)).isInstanceOf(RejectedRecord.class);
      assertThatThrownBy(() -> InternalCodec.decodeDelta(junk)).isInstanceOf(RejectedRecord.class);
    }
    assertThat(reason(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).isEqualTo(Reason.UNKNOWN_FORMAT);
    assertThat(reason(null)).isEqualTo(Reason.TOMBSTONE);
  }

  @Test
  void aRecordCutShortOrWithBytesLeftOverIsCorrupt() {
    byte[] good = InternalCodec.encode(SeedModels.championsAndAtRisk(NOW));
    assertThat(reason(Arrays.copyOf(good, good.length - 3))).isEqualTo(Reason.CORRUPT);
    assertThat(reason(Arrays.copyOf(good, good.length + 2))).isEqualTo(Reason.CORRUPT);
  }

  @Test
  void aHostileLengthPrefixDoesNotAllocateWhatItClaims() {
    byte[] good = InternalCodec.encode(SeedModels.championsAndAtRisk(NOW));
    // After the header and the version (a long), the features array's block count: claim 2^31 - 1.
    byte[] hostile = Arrays.copyOf(good, 20);
    int at = 9;
    while ((hostile[at] & 0x80) != 0) at++; // skip the zig-zag varint of the version
    hostile[at + 1] = (byte) 0xFE;
    hostile[at + 2] = (byte) 0xFF;
    hostile[at + 3] = (byte) 0xFF;
    hostile[at + 4] = (byte) 0xFF;
    hostile[at + 5] = (byte) 0x0F;
    assertThat(reason(hostile)).isEqualTo(Reason.CORRUPT);
  }

  @Test
  void aRecordWrittenWithAnUnknownSchemaOrAnotherRecordTypeIsNamedAsSuch() {
    Schema other = SchemaBuilder.record("Other").namespace("x").fields().requiredLong("a").endRecord();
    byte[] bytes = ByteBuffer.allocate(17).put(InternalCodec.FORMAT).putLong(InternalCodec.fingerprint(other))
        .putLong(0).array();
    assertThat(reason(bytes)).isEqualTo(Reason.UNKNOWN_SCHEMA);
    byte[] aDelta = InternalCodec.encode(delta());
    assertThatThrownBy(() -> InternalCodec.decodeVersion(aDelta)).isInstanceOf(RejectedRecord.class)
        .extracting(e -> ((RejectedRecord) e).reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
  }

  private static Reason reason(byte[] bytes) {
    try {
      InternalCodec.decodeVersion(bytes);
      throw new AssertionError("decoded");
    } catch (RejectedRecord e) {
      return e.reason();
    }
  }
}
