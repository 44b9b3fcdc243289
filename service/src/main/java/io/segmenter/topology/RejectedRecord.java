package io.segmenter.topology;

/**
 * An internal record (a model version, a mini-batch delta, an aggregator state entry) that cannot
 * be used: it does not decode, or it decodes to something impossible. The reader skips it, counts
 * it ({@code segmenter_internal_records_rejected_total}) and keeps what it had.
 */
final class RejectedRecord extends Exception {
  /** Why; the metric's label values (bounded). */
  enum Reason {
    /** A null value: a delete marker where only records belong. */
    TOMBSTONE,
    /** Not segmenter's internal encoding (or a format version this release does not know). */
    UNKNOWN_FORMAT,
    /** Written with a schema this release does not know (a newer release's record). */
    UNKNOWN_SCHEMA,
    /** The bytes end early, run on, or do not decode. */
    CORRUPT,
    /** A number that must be finite is NaN or infinite. */
    NOT_FINITE,
    /** The wrong shape: centre count outside 1..64, a vector of the wrong length, duplicate ids, other features. */
    WRONG_SHAPE,
    /** A model version not newer than the one in force. */
    NOT_NEWER
  }

  private final Reason reason;

  RejectedRecord(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  RejectedRecord(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }
}
