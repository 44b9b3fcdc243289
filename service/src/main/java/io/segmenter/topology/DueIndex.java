package io.segmenter.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the inactivity index: the due time as 8 big-endian bytes, then the customer id. The store
 * orders keys bytewise, so a range scan from the smallest key up to "now" yields exactly the
 * customers whose re-evaluation is due, oldest first, without reading anyone else.
 */
final class DueIndex {
  private DueIndex() { }

  static Bytes key(long dueAt, String customerId) {
    byte[] id = customerId.getBytes(StandardCharsets.UTF_8);
    // Times before 1970 would sort after positive ones as unsigned bytes; nothing is due before 0.
    return Bytes.wrap(ByteBuffer.allocate(8 + id.length).putLong(Math.max(0, dueAt)).put(id).array());
  }

  /** Smallest key of all keys due at or before {@code dueAt}... exclusive upper bound for a range scan. */
  static Bytes upperBound(long now) {
    return Bytes.wrap(ByteBuffer.allocate(8).putLong(Math.max(0, now) + 1).array());
  }

  /** Smallest key due at or after {@code from}. */
  static Bytes lowerBound(long from) {
    return Bytes.wrap(ByteBuffer.allocate(8).putLong(Math.max(0, from)).array());
  }

  static long dueAt(Bytes key) {
    return ByteBuffer.wrap(key.get(), 0, 8).getLong();
  }

  static String customerId(Bytes key) {
    byte[] k = key.get();
    return new String(k, 8, k.length - 8, StandardCharsets.UTF_8);
  }
}
