package io.segmenter.topology;

import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import io.segmenter.serde.AvroClassTrust;
import io.segmenter.topology.RejectedRecord.Reason;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The encoding of segmenter's internal records: model versions (model topic), mini-batch deltas
 * (model-deltas topic) and the model aggregator's state. It needs no schema registry, so a registry
 * that is re-created empty, or another deployment's registry, loses or bricks nothing:
 * <pre>
 *   byte 0      format version (1)
 *   bytes 1-8   the writer schema's fingerprint (CRC-64-AVRO of its parsing canonical form), big-endian
 *   bytes 9-    the record, Avro binary
 * </pre>
 * The fingerprint makes each record self-describing: the reader resolves it against the schemas this
 * release knows (today each record's current schema; when a schema evolves, its older forms are
 * added to {@link #READERS}), so that records written by an older release stay readable. The format
 * byte leaves room for another envelope later. Records of the aggregator's state written before this
 * encoding existed are Avro's single-object encoding (0xC3 0x01, then a little-endian fingerprint),
 * and are read too.
 *
 * <p>Decoding never trusts a length: Avro's decoder over an array knows how many bytes remain and
 * refuses a string or array claiming more, and bytes left over after the record are an error.
 * Every failure is a {@link RejectedRecord} with its reason, never a crash.
 */
public final class InternalCodec {
  public static final byte FORMAT = 1;
  private static final int HEADER = 9;
  private static final int LEGACY_HEADER = 10;

  // Before any reader exists: Avro 1.12 loads only classes of packages it trusts.
  static {
    AvroClassTrust.trust(ModelVersion.class);
    AvroClassTrust.trust(ModelDelta.class);
    AvroClassTrust.trust(SegmentCatalogEntry.class);
  }

  private static final long VERSION_FINGERPRINT = fingerprint(ModelVersion.getClassSchema());
  private static final long DELTA_FINGERPRINT = fingerprint(ModelDelta.getClassSchema());
  private static final long CATALOG_FINGERPRINT = fingerprint(SegmentCatalogEntry.getClassSchema());

  /**
   * Per record class, a reader for every schema this release can read, by fingerprint: each resolves
   * what that schema wrote to the class's current schema: the current one, and the forms earlier
   * releases wrote (1: before the customer panel, segment events and explanations).
   */
  private static final Map<Class<?>, Map<Long, SpecificDatumReader<?>>> READERS = Map.of(
      ModelVersion.class, readers(ModelVersion.getClassSchema(),
          List.of(ModelVersion.getClassSchema(), older("ModelVersion-1.avsc"))),
      ModelDelta.class, readers(ModelDelta.getClassSchema(),
          List.of(ModelDelta.getClassSchema(), older("ModelDelta-1.avsc"))),
      SegmentCatalogEntry.class, readers(SegmentCatalogEntry.getClassSchema(), List.of(SegmentCatalogEntry.getClassSchema())));

  private InternalCodec() { }

  public static byte[] encode(ModelVersion v) {
    return encode(v, ModelVersion.getClassSchema(), VERSION_FINGERPRINT);
  }

  public static byte[] encode(ModelDelta d) {
    return encode(d, ModelDelta.getClassSchema(), DELTA_FINGERPRINT);
  }

  /** The aggregator's copy of the catalog entry it last published for a segment. */
  public static byte[] encode(SegmentCatalogEntry e) {
    return encode(e, SegmentCatalogEntry.getClassSchema(), CATALOG_FINGERPRINT);
  }

  public static SegmentCatalogEntry decodeCatalogEntry(byte[] bytes) throws RejectedRecord {
    return decode(bytes, SegmentCatalogEntry.class);
  }

  public static ModelVersion decodeVersion(byte[] bytes) throws RejectedRecord {
    return decode(bytes, ModelVersion.class);
  }

  public static ModelDelta decodeDelta(byte[] bytes) throws RejectedRecord {
    return decode(bytes, ModelDelta.class);
  }

  private static byte[] encode(SpecificRecord record, Schema schema, long fingerprint) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    out.write(FORMAT);
    out.writeBytes(ByteBuffer.allocate(8).putLong(fingerprint).array());
    // Buffered: a delta or an aggregator's pending batch is thousands of doubles, and the direct
    // encoder made one (synchronised) stream write per double. Same bytes either way.
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      new SpecificDatumWriter<SpecificRecord>(schema).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toByteArray();
  }

  private static <T> T decode(byte[] bytes, Class<T> type) throws RejectedRecord {
    if (bytes == null) throw new RejectedRecord(Reason.TOMBSTONE, "a null value (tombstone)");
    int offset;
    long fingerprint;
    if (bytes.length >= HEADER && bytes[0] == FORMAT) {
      fingerprint = ByteBuffer.wrap(bytes, 1, 8).getLong();
      offset = HEADER;
    } else if (bytes.length >= LEGACY_HEADER && bytes[0] == (byte) 0xC3 && bytes[1] == 0x01) {
      fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      offset = LEGACY_HEADER;
    } else {
      throw new RejectedRecord(Reason.UNKNOWN_FORMAT, bytes.length + " bytes starting with "
          + (bytes.length == 0 ? "nothing" : String.format("0x%02x", bytes[0] & 0xff))
          + ", not segmenter's internal encoding (format " + FORMAT + ")");
    }
    SpecificDatumReader<T> reader = reader(fingerprint, type);
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null);
    try {
      T record = reader.read(null, decoder);
      if (!decoder.isEnd()) throw new RejectedRecord(Reason.CORRUPT, "bytes left over after the " + type.getSimpleName());
      return record;
    } catch (EOFException e) {
      throw new RejectedRecord(Reason.CORRUPT, "the " + type.getSimpleName() + " ends early", e);
    } catch (IOException | RuntimeException e) {
      // What bad bytes make Avro throw: AvroRuntimeException, a bad union or enum index, a length
      // beyond the bytes left, a limit exceeded.
      throw new RejectedRecord(Reason.CORRUPT, "undecodable " + type.getSimpleName() + ": "
          + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** A schema an earlier release wrote, kept as a resource beside this class (schemas/NAME). */
  private static Schema older(String name) {
    try (var in = InternalCodec.class.getResourceAsStream("schemas/" + name)) {
      if (in == null) throw new IllegalStateException("missing resource schemas/" + name);
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<Long, SpecificDatumReader<?>> readers(Schema current, List<Schema> known) {
    Map<Long, SpecificDatumReader<?>> byFingerprint = new HashMap<>();
    for (Schema writer : known) byFingerprint.put(fingerprint(writer), new SpecificDatumReader<>(writer, current));
    return Map.copyOf(byFingerprint);
  }

  @SuppressWarnings("unchecked")
  private static <T> SpecificDatumReader<T> reader(long fingerprint, Class<T> type) throws RejectedRecord {
    SpecificDatumReader<?> reader = READERS.get(type).get(fingerprint);
    if (reader == null) {
      throw new RejectedRecord(Reason.UNKNOWN_SCHEMA, "written with a schema this release does not know as a "
          + type.getSimpleName() + " (fingerprint " + Long.toHexString(fingerprint) + ")");
    }
    return (SpecificDatumReader<T>) reader;
  }

  static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }
}
