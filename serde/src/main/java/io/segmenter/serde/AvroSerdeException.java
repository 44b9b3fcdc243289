package io.segmenter.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The one exception the Avro serde throws, carrying a machine-readable {@link Reason}. It extends
 * Kafka's {@link SerializationException} so that Kafka's deserialization exception handlers see it;
 * the dead-letter handling reads {@link #reason()} to say why a record was rejected.
 */
public class AvroSerdeException extends SerializationException {
  private static final long serialVersionUID = 1L;

  /** Why a record could not be serialised or deserialised. */
  public enum Reason {
    /** The first byte is not the Confluent magic byte 0. */
    BAD_MAGIC_BYTE(false),
    /** Fewer bytes than the 5-byte header, or the Avro body ends before the record does. */
    TRUNCATED(false),
    /** The schema id in the header is not known to the registry. */
    UNKNOWN_SCHEMA_ID(false),
    /** The Avro body cannot be decoded with the writer's schema (bad lengths, bad union index, trailing bytes, ...). */
    CORRUPT_PAYLOAD(false),
    /** The writer's schema cannot be resolved to the reader's schema, or no reader class exists for it. */
    INCOMPATIBLE_SCHEMA(false),
    /** The record's schema is not registered under the subject and auto-registration is off. */
    SCHEMA_NOT_REGISTERED(false),
    /** The record does not fit its own schema (e.g. null in a non-null field, decimal of the wrong scale). */
    INVALID_RECORD(false),
    /** The registry refused the request for another reason (e.g. 401, 409 on registration). */
    REGISTRY_ERROR(false),
    /** The registry could not be reached after the configured retries; trying again later may succeed. */
    REGISTRY_UNAVAILABLE(true);

    private final boolean retriable;

    Reason(boolean retriable) {
      this.retriable = retriable;
    }

    /** True when the same bytes may succeed later (the fault is not in the record). */
    public boolean isRetriable() {
      return retriable;
    }
  }

  private final Reason reason;

  public AvroSerdeException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public AvroSerdeException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** Shorthand for {@code reason().isRetriable()}. */
  public boolean isRetriable() {
    return reason.isRetriable();
  }
}
