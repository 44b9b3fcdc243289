package io.segmenter.topology;

import io.segmenter.clv.PredictiveSegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the segment-membership index: the segment id as 4 big-endian bytes, then the customer id.
 * A prefix scan lists the members of one segment, so that when a new model version changes what a
 * segment may hold (a centre newly named Champions), exactly its members are re-evaluated, without
 * a scan of every profile.
 */
final class SegmentMembers {
  /** Pseudo segment of the customers seen before the first model version. */
  static final int UNASSIGNED = Integer.MAX_VALUE - 1;
  /**
   * Predictive segments are listed in the same index under pseudo ids from here on (one per
   * {@link PredictiveSegment}), so that their populations are counted the same way. Far above any
   * centre id (ids grow by one per re-seeded centre).
   */
  static final int PREDICTIVE_BASE = Integer.MAX_VALUE - 64;

  static int predictive(PredictiveSegment segment) {
    return PREDICTIVE_BASE + segment.ordinal();
  }

  /** Whether the id is a real centre's (not UNASSIGNED, not a predictive segment). */
  static boolean isCentre(int id) {
    return id >= 0 && id < PREDICTIVE_BASE;
  }

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
