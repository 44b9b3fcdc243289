package io.segmenter.serde;

import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.io.DatumReader;

/** What the decoder caches per schema id: the writer's and reader's schemas and the resolving reader. */
final class DecodePlan {
  final int schemaId;
  final Schema writer;
  final Schema reader;
  final DatumReader<Object> datumReader;
  /** Why the reader cannot read the writer's data, or null when Avro deems the pair compatible. */
  final String incompatibility;

  DecodePlan(int schemaId, Schema writer, Schema reader, DatumReader<Object> datumReader) {
    this.schemaId = schemaId;
    this.writer = writer;
    this.reader = reader;
    this.datumReader = datumReader;
    this.incompatibility = writer == reader ? null : incompatibility(reader, writer);
  }

  /**
   * Worked out once per id, not to reject data up front (Avro can read a pair it deems incompatible
   * as long as the data avoids the incompatible branch) but to tell, when a read fails, whether
   * the schemas or the bytes are to blame.
   */
  private static String incompatibility(Schema reader, Schema writer) {
    try {
      SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
      if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        return null;
      }
      return result.getResult().getIncompatibilities().stream()
          .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
          .collect(Collectors.joining("; "));
    } catch (RuntimeException e) {
      return "compatibility check failed: " + e.getMessage();
    }
  }
}
