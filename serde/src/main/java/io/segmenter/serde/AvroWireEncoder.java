package io.segmenter.serde;

import io.segmenter.serde.AvroSerdeException.Reason;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Kafka-free core of the serializer: record in, Confluent wire-format bytes out. Thread-safe.
 *
 * <p>Hot path (schema and topic seen before): one lookup by schema (Schema caches its hash code and
 * equals short-circuits on identity, which SpecificRecords and decoded GenericRecords share), one by
 * topic, an encode into the thread's scratch buffer, and one copy into the returned array. No
 * registry call, no key object, no subject string.
 */
final class AvroWireEncoder {
  /** Past this many distinct schemas, new ones are resolved without caching (bounded memory). */
  private static final int MAX_CACHED_SCHEMAS = 1_000;

  private final SchemaIdResolver ids;
  private final SubjectNameStrategy subjectNames;
  private final boolean isKey;
  private final GenericData genericData;
  private final ConcurrentHashMap<Schema, SchemaSlot> slots = new ConcurrentHashMap<>();

  AvroWireEncoder(SchemaIdResolver ids, SubjectNameStrategy subjectNames, boolean isKey, GenericData genericData) {
    this.ids = ids;
    this.subjectNames = subjectNames;
    this.isKey = isKey;
    this.genericData = genericData;
  }

  /**
   * @param topic the topic the record goes to (the subject depends on it)
   * @param record a SpecificRecord, GenericRecord or other Avro GenericContainer; null gives null
   * @throws AvroSerdeException INVALID_RECORD, SCHEMA_NOT_REGISTERED, INCOMPATIBLE_SCHEMA,
   *     REGISTRY_ERROR or REGISTRY_UNAVAILABLE
   */
  byte[] encode(String topic, Object record) {
    if (record == null) {
      return null; // tombstone
    }
    Objects.requireNonNull(topic, "topic");
    if (!(record instanceof GenericContainer)) {
      throw new AvroSerdeException(Reason.INVALID_RECORD,
          "only Avro records (SpecificRecord, GenericRecord) can be serialised, got a " + record.getClass().getName());
    }
    Schema schema = ((GenericContainer) record).getSchema();
    SchemaSlot slot = slotFor(schema);
    EncodeScratch scratch = EncodeScratch.acquire(WireFormat.HEADER_SIZE);
    try {
      // Encode before resolving the id: a record that does not fit its schema must not register it.
      write(slot.writerFor(record), schema, record, scratch);
      byte[] bytes = scratch.out.toByteArray();
      WireFormat.writeHeader(bytes, slot.idFor(topic));
      return bytes;
    } finally {
      scratch.release();
    }
  }

  private SchemaSlot slotFor(Schema schema) {
    SchemaSlot slot = slots.get(schema);
    if (slot == null) {
      if (slots.size() >= MAX_CACHED_SCHEMAS) {
        return new SchemaSlot(schema);
      }
      slot = slots.computeIfAbsent(schema, SchemaSlot::new);
    }
    return slot;
  }

  private static void write(DatumWriter<Object> writer, Schema schema, Object record, EncodeScratch scratch) {
    try {
      writer.write(record, scratch.encoder);
      scratch.encoder.flush();
    } catch (NullPointerException | ClassCastException | AvroRuntimeException | IllegalArgumentException
        | ArithmeticException e) {
      // Deliberately no cause: Avro's messages may quote record values (see InvalidRecordMessages).
      throw new AvroSerdeException(Reason.INVALID_RECORD, InvalidRecordMessages.describe(schema, e));
    } catch (IOException e) {
      // The scratch stream does not fail; an IOException would come from a custom encoding.
      throw new AvroSerdeException(Reason.INVALID_RECORD,
          "record of " + schema.getFullName() + " could not be encoded: " + e.getClass().getName());
    }
  }

  /** What is cached per schema: its writers and its id per topic. */
  private final class SchemaSlot {
    private final Schema schema;
    private final ConcurrentHashMap<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    // Created on first use; a race creates two equivalent writers, which is harmless.
    private volatile DatumWriter<Object> specificWriter;
    private volatile DatumWriter<Object> genericWriter;

    SchemaSlot(Schema schema) {
      this.schema = schema;
    }

    DatumWriter<Object> writerFor(Object record) {
      if (record instanceof SpecificRecord) {
        DatumWriter<Object> writer = specificWriter;
        if (writer == null) {
          // The generated class's own model carries its conversions (BigDecimal, Instant...).
          writer = new SpecificDatumWriter<>(schema, SpecificData.getForClass(record.getClass()));
          specificWriter = writer;
        }
        return writer;
      }
      DatumWriter<Object> writer = genericWriter;
      if (writer == null) {
        writer = new GenericDatumWriter<>(schema, genericData);
        genericWriter = writer;
      }
      return writer;
    }

    int idFor(String topic) {
      Integer id = idsByTopic.get(topic);
      if (id == null) {
        // Not computeIfAbsent: a registry call must not run while holding the map's bin lock.
        id = ids.resolve(subjectNames.subjectName(topic, isKey, schema), schema);
        idsByTopic.putIfAbsent(topic, id);
      }
      return id;
    }
  }
}
