package io.segmenter.topology;

/**
 * An event that is schema-valid but cannot be true (negative amount, missing customer id, far-future
 * time, foreign currency). Thrown by the processor so that Kafka Streams' processing exception
 * handler routes the record's original bytes to the dead-letter topic (KIP-1033/KIP-1034) and the
 * stream continues. Messages never contain personal data: they end up in logs and DLQ headers.
 */
public final class InvalidEventException extends RuntimeException {
  /**
   * Why an event was refused: the {@code segmenter.dlq.reason} header and the {@code reason} label of
   * {@code segmenter_events_invalid_total}. An enum so that the metric can be registered at 0 for every
   * reason at start (dashboards and alerts then see every series before the first bad record).
   */
  public enum Reason {
    MISSING_EVENT_ID, MISSING_ORDER_ID, MISSING_CUSTOMER_ID, INVALID_CUSTOMER_ID, KEY_MISMATCH,
    UNKNOWN_ENUM_SYMBOL, NEGATIVE_PRICE, NEGATIVE_AMOUNT, NEGATIVE_ITEM_COUNT, ABSURD_AMOUNT,
    FOREIGN_CURRENCY, FUTURE_TIMESTAMP, TIMESTAMP_TOO_OLD, UNEXPECTED_TYPE, INVALID_CAMPAIGN_ID
  }

  private final Reason reason;

  public InvalidEventException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  /** Machine-readable reason, e.g. NEGATIVE_AMOUNT. */
  public String reason() {
    return reason.name();
  }
}
