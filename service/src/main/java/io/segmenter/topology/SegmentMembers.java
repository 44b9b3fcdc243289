package io.segmenter.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the segment-membership index: the segment id as 4 big-endian bytes, then the customer id.
 * A prefix scan lists the members of one segment, so that when a new model version changes what a
 * segment may hold (a centre newly named Champions), exactly its members are re-evaluated, without
 * a scan of every profile. The ids are those of {@link io.segmenter.evaluation.MemberLists}.
 */
final class SegmentMembers {
  private SegmentMembers() { }

  static Bytes key(int segmentId, String customerId) {
    byte[] id = customerId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(4 + id.length).putInt(segmentId).put(id).array());
  }

  /** Inclusive lower bound of the keys of {@code segmentId}. */
  static Bytes from(int segmentId) {
    return Bytes.wrap(ByteBuffer.allocate(4).putInt(segmentId).array());
  }

  /** Exclusive upper bound of the keys of {@code segmentId} (segment ids are never negative). */
  static Bytes to(int segmentId) {
    return Bytes.wrap(ByteBuffer.allocate(4).putInt(segmentId + 1).array());
  }

  static String customerId(Bytes key) {
    byte[] k = key.get();
    return new String(k, 4, k.length - 4, StandardCharsets.UTF_8);
  }
}
