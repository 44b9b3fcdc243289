package io.segmenter.serde;

import io.segmenter.serde.AvroSerdeException.Reason;
import io.segmenter.serde.registry.IntKeyedCache;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryException;
import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Kafka-free core of the deserializer: Confluent wire-format bytes in, record out. Thread-safe.
 *
 * <p>Decodes straight from the caller's array (no copy). Hostile length prefixes cannot make it
 * allocate much: Avro 1.12.2's BinaryDecoder over an array knows how many bytes remain and
 * refuses a string, bytes, array or map claiming more than that (EOFException, reported as
 * TRUNCATED), pre-allocates at most 1024 collection slots, and caps collections of zero-byte
 * elements (e.g. {@code array<null>}) with a heap-aware limit (SystemLimitException, reported as
 * CORRUPT_PAYLOAD). The tests prove each case.
 */
final class AvroWireDecoder {

  private final SchemaRegistryClient client;
  private final ReaderSelection readers;
  // One plan per schema id the registry knows (unknown ids throw and are not kept), like the
  // client's own id -> schema cache: bounded by the registry's schemas, not by the traffic.
  private final IntKeyedCache<DecodePlan> plans = new IntKeyedCache<>();

  AvroWireDecoder(SchemaRegistryClient client, ReaderSelection readers) {
    this.client = client;
    this.readers = readers;
  }

  /** Null gives null (tombstone). */
  Object decode(byte[] data) {
    return data == null ? null : decode(data, 0, data.length);
  }

  /**
   * Decodes the payload at {@code data[offset, offset + length)}.
   *
   * @throws AvroSerdeException TRUNCATED, BAD_MAGIC_BYTE, UNKNOWN_SCHEMA_ID, CORRUPT_PAYLOAD,
   *     INCOMPATIBLE_SCHEMA, REGISTRY_ERROR or REGISTRY_UNAVAILABLE
   */
  Object decode(byte[] data, int offset, int length) {
    int schemaId = WireFormat.readSchemaId(data, offset, length);
    DecodePlan plan = plans.get(schemaId);
    if (plan == null) {
      plan = plans.putIfAbsent(schemaId, plan(schemaId));
    }
    DecodeScratch scratch = DecodeScratch.acquire();
    try {
      BinaryDecoder decoder = scratch.bind(data, offset + WireFormat.HEADER_SIZE, length - WireFormat.HEADER_SIZE);
      Object record = read(plan, decoder);
      int trailing = decoder.remainingBytes();
      if (trailing > 0) {
        throw new AvroSerdeException(Reason.CORRUPT_PAYLOAD,
            trailing + " trailing bytes after the record (schema id " + schemaId + ", " + plan.writer.getFullName() + ")");
      }
      return record;
    } finally {
      scratch.release();
    }
  }

  private static Object read(DecodePlan plan, BinaryDecoder decoder) {
    try {
      return plan.datumReader.read(null, decoder);
    } catch (EOFException e) {
      throw new AvroSerdeException(Reason.TRUNCATED,
          "the Avro body ends before the record does (" + where(plan) + ")"
              + (e.getMessage() != null ? ": " + e.getMessage() : ""), e);
    } catch (IOException e) {
      throw failure(plan, Reason.CORRUPT_PAYLOAD, e);
    } catch (SystemLimitException e) {
      throw failure(plan, Reason.CORRUPT_PAYLOAD, e);
    } catch (SecurityException e) {
      throw new AvroSerdeException(Reason.INCOMPATIBLE_SCHEMA,
          "a class of the reader's schema is not in a package Avro trusts (" + where(plan) + "): " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // AvroTypeException, AvroRuntimeException, and what bad bytes make Avro or a conversion throw
      // (index out of bounds for a union or enum index, NumberFormatException for an empty decimal,
      // DateTimeException...): the schemas' fault if they cannot be resolved, else the bytes'.
      if (plan.incompatibility != null) {
        throw new AvroSerdeException(Reason.INCOMPATIBLE_SCHEMA,
            "data written with " + plan.writer.getFullName() + " (schema id " + plan.schemaId
                + ") cannot be read as " + plan.reader.getFullName() + ": " + plan.incompatibility
                + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
      }
      throw failure(plan, Reason.CORRUPT_PAYLOAD, e);
    }
  }

  private static AvroSerdeException failure(DecodePlan plan, Reason reason, Exception e) {
    return new AvroSerdeException(reason,
        "undecodable Avro body (" + where(plan) + "): " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }

  private static String where(DecodePlan plan) {
    return "schema id " + plan.schemaId + ", writer " + plan.writer.getFullName() + ", reader " + plan.reader.getFullName();
  }

  private DecodePlan plan(int schemaId) {
    Schema writer;
    try {
      writer = client.getSchemaById(schemaId);
    } catch (SchemaRegistryException e) {
      if (RegistryFailures.isNotFound(e)) {
        throw new AvroSerdeException(Reason.UNKNOWN_SCHEMA_ID,
            "schema id " + schemaId + " is not known to the registry (" + RegistryFailures.describe(e) + ")", e);
      }
      throw RegistryFailures.translate(e, "fetching schema id " + schemaId);
    } catch (RuntimeException e) {
      throw RegistryFailures.unexpected(e, "fetching schema id " + schemaId);
    }
    return readers.planFor(schemaId, writer);
  }

  /** Per-thread decoder, re-bound to each payload; a re-entrant call on one thread gets its own. */
  private static final class DecodeScratch {
    private static final ThreadLocal<DecodeScratch> PER_THREAD = ThreadLocal.withInitial(DecodeScratch::new);

    private BinaryDecoder decoder;
    private boolean inUse;

    static DecodeScratch acquire() {
      DecodeScratch scratch = PER_THREAD.get();
      if (scratch.inUse) {
        scratch = new DecodeScratch();
      }
      scratch.inUse = true;
      return scratch;
    }

    BinaryDecoder bind(byte[] data, int offset, int length) {
      decoder = DecoderFactory.get().binaryDecoder(data, offset, length, decoder);
      return decoder;
    }

    void release() {
      inUse = false;
    }
  }
}
