package io.segmenter.topology;

/**
 * An event that is schema-valid but cannot be true (negative amount, missing customer id, far-future
 * time, foreign currency). Thrown by the processor so that Kafka Streams' processing exception
 * handler routes the record's original bytes to the dead-letter topic (KIP-1033/KIP-1034) and the
 * stream continues. Messages never contain personal data: they end up in logs and DLQ headers.
 */
public final class InvalidEventException extends RuntimeException {
  private final String reason;

  public InvalidEventException(String reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  /** Machine-readable reason, e.g. NEGATIVE_AMOUNT. */
  public String reason() {
    return reason;
  }
}
