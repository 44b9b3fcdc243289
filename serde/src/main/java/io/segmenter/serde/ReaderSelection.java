package io.segmenter.serde;

import io.segmenter.serde.AvroSerdeException.Reason;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Which schema and Java representation a payload is read into, given its writer's schema. The
 * resulting DatumReader resolves writer to reader (Avro schema resolution), so data written with an
 * older or newer compatible schema reads into the reader's shape, with defaults for added fields.
 */
abstract class ReaderSelection {

  /** Reads into the given generated class, whatever record version the writer used. */
  static ReaderSelection specificClass(Class<? extends SpecificRecord> recordClass) {
    return new SpecificClass(recordClass);
  }

  /** Reads into the generated class named by the writer schema's full name. */
  static ReaderSelection specificByWriterName() {
    return new SpecificByWriterName();
  }

  /** Reads GenericRecords with {@code readerSchema}, or with the writer's schema when it is null. */
  static ReaderSelection generic(Schema readerSchema, GenericData data) {
    return new Generic(readerSchema, data);
  }

  /** A reader for data written with {@code writer}; INCOMPATIBLE_SCHEMA when there is none. */
  abstract DecodePlan planFor(int schemaId, Schema writer);

  private static final class SpecificClass extends ReaderSelection {
    private final Schema readerSchema;
    private final SpecificData data;

    SpecificClass(Class<? extends SpecificRecord> recordClass) {
      this.data = SpecificData.getForClass(recordClass);
      this.readerSchema = data.getSchema(recordClass);
    }

    @Override
    DecodePlan planFor(int schemaId, Schema writer) {
      return new DecodePlan(schemaId, writer, readerSchema, new SpecificDatumReader<>(writer, readerSchema, data));
    }
  }

  private static final class SpecificByWriterName extends ReaderSelection {
    @Override
    DecodePlan planFor(int schemaId, Schema writer) {
      Class<?> recordClass;
      try {
        recordClass = SpecificData.get().getClass(writer);
      } catch (SecurityException e) {
        throw new AvroSerdeException(Reason.INCOMPATIBLE_SCHEMA,
            "the class for " + writer.getFullName() + " (schema id " + schemaId + ") is not in a package Avro trusts:"
                + " pass the class to the serde (SpecificAvroSerde(Class)) or add its package to the system property"
                + " org.apache.avro.SERIALIZABLE_PACKAGES", e);
      }
      if (recordClass == null || !SpecificRecord.class.isAssignableFrom(recordClass)) {
        throw new AvroSerdeException(Reason.INCOMPATIBLE_SCHEMA,
            "no generated SpecificRecord class " + SpecificData.getClassName(writer) + " on the class path for schema id "
                + schemaId + " (" + AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG + "=true)");
      }
      @SuppressWarnings("unchecked")
      Class<? extends SpecificRecord> specific = (Class<? extends SpecificRecord>) recordClass;
      SpecificData data = SpecificData.getForClass(specific);
      Schema readerSchema = data.getSchema(specific);
      return new DecodePlan(schemaId, writer, readerSchema, new SpecificDatumReader<>(writer, readerSchema, data));
    }
  }

  private static final class Generic extends ReaderSelection {
    private final Schema readerSchema;
    private final GenericData data;

    Generic(Schema readerSchema, GenericData data) {
      this.readerSchema = readerSchema;
      this.data = data;
    }

    @Override
    DecodePlan planFor(int schemaId, Schema writer) {
      Schema reader = readerSchema != null ? readerSchema : writer;
      DatumReader<Object> datumReader = new GenericDatumReader<>(writer, reader, data);
      return new DecodePlan(schemaId, writer, reader, datumReader);
    }
  }
}
