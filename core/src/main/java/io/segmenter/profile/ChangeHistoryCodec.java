package io.segmenter.profile;

import io.segmenter.events.ChangeReason;
import io.segmenter.profile.ChangeHistory.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact, versioned binary form of a {@link ChangeHistory} for the segment-history store and its
 * changelog. About 20 bytes per change (epoch times as varints, the event time as its distance to the
 * emission).
 *
 * <p>Layout: byte 0 is the format version ({@value #VERSION}); then the number of entries (varint),
 * then each entry, newest first, as its length in bytes (varint) followed by its fields in this
 * order, without tags ("varint" unsigned LEB128, "zz" zig-zag varint):
 *
 * <pre>
 *  sequence varint, at zz (emission, epoch ms), at - eventTime zz, fromSegment zz, toSegment zz,
 *  reason u8 (0 UNKNOWN, 1 EVENT, 2 INACTIVITY, 3 MODEL, 4 ERASURE, 5 PREDICTIVE),
 *  modelVersion zz, fromPredictive zz, toPredictive zz
 * </pre>
 *
 * <p><b>Evolution rule</b> (as {@link ProfileCodec}'s): fields are only ever appended to an entry,
 * never reordered, removed or retyped, and the version byte stays 1 while that holds. Every entry
 * carries its length, so the decoder skips fields after the last one it knows (bytes written by a
 * newer release still restore on an older one), and a field appended later is read only where the
 * entry's bytes hold it. A reason code this release does not know reads as UNKNOWN. A field cut in
 * the middle, a bad value or an unknown version is corruption and fails with
 * {@link IllegalArgumentException}.
 */
public final class ChangeHistoryCodec {
  public static final byte VERSION = 1;
  private static final ChangeReason[] REASONS = {ChangeReason.UNKNOWN, ChangeReason.EVENT, ChangeReason.INACTIVITY,
      ChangeReason.MODEL, ChangeReason.ERASURE, ChangeReason.PREDICTIVE, ChangeReason.STRATEGY};

  private ChangeHistoryCodec() { }

  public static byte[] encode(ChangeHistory history) {
    BinaryOut out = new BinaryOut(16 + 24 * history.size());
    out.u8(VERSION);
    out.varint(history.size());
    BinaryOut entry = new BinaryOut(32);
    for (Entry e : history.entries()) {
      entry.clear();
      writeEntry(e, entry);
      out.varint(entry.size());
      out.bytes(entry);
    }
    return out.toByteArray();
  }

  public static ChangeHistory decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException("change history bytes are empty: no format version byte");
    }
    if (bytes[0] != VERSION) {
      throw new IllegalArgumentException("unsupported change history format version " + (bytes[0] & 0xff)
          + " (this release reads " + VERSION + ")");
    }
    BinaryIn in = new BinaryIn("change history", bytes, 1);
    // Each entry takes at least its length byte: a corrupt count must not allocate gigabytes.
    int n = in.length("change history", 1);
    List<Entry> entries = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int outer = in.limit(in.varint());
      entries.add(readEntry(in));
      in.release(outer); // fields a newer release appended are skipped
    }
    if (in.hasMore()) throw new IllegalArgumentException("change history has bytes after its last entry");
    return new ChangeHistory(entries);
  }

  private static void writeEntry(Entry e, BinaryOut o) {
    o.varint(e.sequence());
    o.zz(e.at());
    o.zz(e.at() - e.eventTime());
    o.zz(e.fromSegment());
    o.zz(e.toSegment());
    o.u8(code(e.reason()));
    o.zz(e.modelVersion());
    o.zz(e.fromPredictive());
    o.zz(e.toPredictive());
    // Append new fields here, and read them in readEntry only while in.hasMore().
  }

  private static Entry readEntry(BinaryIn in) {
    long sequence = in.count("sequence");
    long at = in.zz();
    long eventTime = at - in.zz();
    int from = segment(in, "fromSegment");
    int to = segment(in, "toSegment");
    int code = in.u8();
    ChangeReason reason = code < REASONS.length ? REASONS[code] : ChangeReason.UNKNOWN;
    long modelVersion = in.zz();
    int fromPredictive = segment(in, "fromPredictive");
    int toPredictive = segment(in, "toPredictive");
    return new Entry(sequence, at, eventTime, from, to, reason, modelVersion, fromPredictive, toPredictive);
  }

  private static int segment(BinaryIn in, String name) {
    int id = in.int32(name);
    if (id < ChangeHistory.NONE) throw new IllegalArgumentException(name + " is " + id + ", below -1 (none)");
    return id;
  }

  private static int code(ChangeReason reason) {
    for (int c = 0; c < REASONS.length; c++) if (REASONS[c] == reason) return c;
    throw new IllegalArgumentException("no code for change reason " + reason + ": append one to the layout");
  }
}
