package io.segmenter.serde.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/** Schemas of one evolving record for the tests. */
final class TestSchemas {
  /** id, email. */
  static final Schema V1 = fields(false, false);
  /** V1 plus a field with a default: BACKWARD compatible with V1. */
  static final Schema V2 = fields(true, false);
  /** V1 plus a field without a default: not BACKWARD compatible with V1. */
  static final Schema V3 = fields(false, true);

  private TestSchemas() {}

  /** A distinct record schema per name, for tests that need many. */
  static Schema named(String name) {
    return SchemaBuilder.record(name).namespace("io.segmenter.test").fields().requiredString("id").endRecord();
  }

  private static Schema fields(boolean withDefaulted, boolean withRequired) {
    SchemaBuilder.FieldAssembler<Schema> f =
        SchemaBuilder.record("Customer").namespace("io.segmenter.test").fields().requiredString("id").requiredString("email");
    if (withDefaulted) {
      f = f.name("tier").type().stringType().stringDefault("basic");
    }
    if (withRequired) {
      f = f.requiredLong("createdAt");
    }
    return f.endRecord();
  }
}
