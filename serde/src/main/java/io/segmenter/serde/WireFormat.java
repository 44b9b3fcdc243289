package io.segmenter.serde;

import io.segmenter.serde.AvroSerdeException.Reason;

/**
 * The Confluent wire format: one magic byte {@code 0}, the schema's registry id as a 4-byte
 * big-endian int, then the Avro binary encoding of the datum. Kept byte-for-byte identical to
 * Confluent's KafkaAvroSerializer so that any Confluent-compatible consumer reads our records.
 */
public final class WireFormat {
  /** The only format version Confluent has defined. */
  public static final byte MAGIC_BYTE = 0;
  /** Magic byte plus schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Writes the header into the first {@link #HEADER_SIZE} bytes of {@code target}. */
  public static void writeHeader(byte[] target, int schemaId) {
    target[0] = MAGIC_BYTE;
    target[1] = (byte) (schemaId >>> 24);
    target[2] = (byte) (schemaId >>> 16);
    target[3] = (byte) (schemaId >>> 8);
    target[4] = (byte) schemaId;
  }

  /**
   * Checks the header of the payload at {@code data[offset, offset + length)} and returns its
   * schema id.
   *
   * @throws AvroSerdeException TRUNCATED when shorter than the header, BAD_MAGIC_BYTE when the
   *     first byte is not 0
   */
  public static int readSchemaId(byte[] data, int offset, int length) {
    if (length < HEADER_SIZE) {
      throw new AvroSerdeException(Reason.TRUNCATED,
          "payload of " + length + " bytes is shorter than the " + HEADER_SIZE
              + "-byte Confluent header (magic byte + schema id)");
    }
    byte magic = data[offset];
    if (magic != MAGIC_BYTE) {
      throw new AvroSerdeException(Reason.BAD_MAGIC_BYTE,
          String.format("expected magic byte 0x00 but found 0x%02X: not Confluent Avro wire format", magic & 0xFF));
    }
    return ((data[offset + 1] & 0xFF) << 24)
        | ((data[offset + 2] & 0xFF) << 16)
        | ((data[offset + 3] & 0xFF) << 8)
        | (data[offset + 4] & 0xFF);
  }
}
