package io.segmenter.serde.registry;

/**
 * Schema compatibility levels, with the meaning Confluent Schema Registry gives them. "New" is the
 * schema being registered, "old" the registered version(s) it is checked against.
 */
public enum CompatibilityLevel {
  /** No check. */
  NONE,
  /** Readers using the new schema can read data written with the latest version. */
  BACKWARD,
  /** As BACKWARD, against every registered version. */
  BACKWARD_TRANSITIVE,
  /** Readers using the latest version can read data written with the new schema. */
  FORWARD,
  /** As FORWARD, against every registered version. */
  FORWARD_TRANSITIVE,
  /** BACKWARD and FORWARD against the latest version. */
  FULL,
  /** BACKWARD and FORWARD against every registered version. */
  FULL_TRANSITIVE
}
