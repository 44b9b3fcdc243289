package io.segmenter.serde;

import org.apache.avro.Schema;

/**
 * Names the registry subject a record's schema is registered under, as Confluent's strategies of
 * the same names do. Implementations are stateless and thread-safe; the serializer calls them only
 * when its cache misses, so they may allocate.
 */
public interface SubjectNameStrategy {

  /**
   * @param topic the topic the record is written to
   * @param isKey whether the record is the record key
   * @param schema the record's schema
   */
  String subjectName(String topic, boolean isKey, Schema schema);

  /** The record's full name, which the record-based strategies need. */
  static String recordFullName(Schema schema) {
    switch (schema.getType()) {
      case RECORD:
      case ENUM:
      case FIXED:
        return schema.getFullName();
      default:
        throw new AvroSerdeException(AvroSerdeException.Reason.INVALID_RECORD,
            "a record-name subject strategy needs a named schema, got a " + schema.getType());
    }
  }
}
