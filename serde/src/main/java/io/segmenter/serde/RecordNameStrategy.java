package io.segmenter.serde;

import org.apache.avro.Schema;

/** The record's full name, whatever the topic: one lineage per record type, shared by topics. */
public final class RecordNameStrategy implements SubjectNameStrategy {
  @Override
  public String subjectName(String topic, boolean isKey, Schema schema) {
    return SubjectNameStrategy.recordFullName(schema);
  }

  @Override
  public String toString() {
    return "RecordNameStrategy";
  }
}
