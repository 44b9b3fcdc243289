package io.segmenter.serde.registry;

import org.apache.avro.Schema;

/** A schema as registered under a subject: its subject, version, global id and the schema itself. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {}
