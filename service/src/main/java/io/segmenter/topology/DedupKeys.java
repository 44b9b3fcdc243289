package io.segmenter.topology;

/**
 * Keys of the de-duplication store: the customer id, a NUL, then the event's own id ({@code c:} and
 * the click's event id, or {@code o:}, the order id and the status: an order arrives once per
 * status). The customer id comes first so that one key range holds every entry of one customer:
 * an erasure deletes them, and expired ones are pruned, without a per-customer index.
 */
final class DedupKeys {
  /** NUL separates the customer id from the rest; it sorts before every character an id part can start with. */
  private static final char SEPARATOR = '\u0000';

  private DedupKeys() { }

  static String click(String customerId, String eventId) {
    return customerId + SEPARATOR + "c:" + eventId;
  }

  static String order(String customerId, String orderId, String status) {
    return customerId + SEPARATOR + "o:" + orderId + ":" + status;
  }

  /** Smallest key of the customer (inclusive bound of a range). */
  static String from(String customerId) {
    return customerId + SEPARATOR;
  }

  /**
   * Upper bound of the customer's keys (inclusive bound of a range, itself never a key). The store compares
   * serialised (UTF-8) keys bytewise: every key of the customer is the prefix, then NUL, then a
   * {@code c} or an {@code o}, so it sorts below the prefix followed by the byte 0x01; and no other
   * customer's key lies in between, since their id differs before the NUL or is longer (the NUL then
   * compares with a character of that id, above 0x01 for any printable id).
   */
  static String to(String customerId) {
    return customerId + '\u0001';
  }
}
