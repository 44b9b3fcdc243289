package io.segmenter.profile;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Input cursor of the store codecs ({@link ProfileCodec}, {@link ChangeHistoryCodec}, and
 * io.segmenter.strategy's, hence public); running out inside a field is corruption and fails with
 * {@link IllegalArgumentException}, naming what was read.
 */
public final class BinaryIn {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final String what;
  private final byte[] buf;
  private int pos;
  /** Where the current bounded part ends (see {@link #limit}); the array's end otherwise. */
  private int end;

  /** @param what what the bytes hold ("profile"), for the error messages */
  public BinaryIn(String what, byte[] buf, int pos) {
    this.what = what;
    this.buf = buf;
    this.pos = pos;
    this.end = buf.length;
  }

  public boolean hasMore() {
    return pos < end;
  }

  /**
   * Bounds reading to the next {@code length} bytes (a length-prefixed part); returns the previous
   * end, to give back to {@link #release} once the part is read.
   */
  public int limit(long length) {
    if (length < 0 || length > end - pos) {
      throw new IllegalArgumentException(what + " part of " + length + " bytes exceeds the remaining bytes at offset " + pos);
    }
    int previous = end;
    end = pos + (int) length;
    return previous;
  }

  /** Skips what is left of the bounded part (written by a newer release) and lifts the bound. */
  public void release(int previousEnd) {
    pos = end;
    end = previousEnd;
  }

  public int u8() {
    if (pos >= end) {
      throw new IllegalArgumentException(what + " bytes truncated inside a field at offset " + pos);
    }
    return buf[pos++] & 0xff;
  }

  public long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8();
      if (shift == 63 && b > 1) throw new IllegalArgumentException("varint overflows 64 bits at offset " + pos);
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw new IllegalArgumentException("varint longer than 10 bytes at offset " + pos);
  }

  public long zz() {
    long u = varint();
    return (u >>> 1) ^ -(u & 1);
  }

  public long count(String name) {
    long v = varint();
    if (v < 0) throw new IllegalArgumentException(name + " is negative: " + v);
    return v;
  }

  public int int32(String name) {
    long v = zz();
    if (v != (int) v) throw new IllegalArgumentException(name + " does not fit an int: " + v);
    return (int) v;
  }

  public int length(String name, int minEntryBytes) {
    long n = varint();
    if (n < 0 || n > (long) (end - pos) / minEntryBytes) {
      throw new IllegalArgumentException(name + " length " + n + " exceeds the remaining bytes");
    }
    return (int) n;
  }

  public long i64() {
    if (end - pos < 8) {
      throw new IllegalArgumentException(what + " bytes truncated inside a field at offset " + Math.max(pos, end));
    }
    long v = (long) LONG_BE.get(buf, pos); // one load, as BinaryOut writes it
    pos += 8;
    return v;
  }

  public int i32() {
    int v = 0;
    for (int k = 0; k < 4; k++) v = (v << 8) | u8();
    return v;
  }

  public double f64() {
    return Double.longBitsToDouble(i64());
  }
}
