package io.segmenter.profile;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Growable output buffer of the store codecs ({@link ProfileCodec}, {@link ChangeHistoryCodec}, and
 * io.segmenter.strategy's, hence public): unsigned LEB128 varints, zig-zag varints, fixed big-endian
 * integers and IEEE 754 doubles.
 */
public final class BinaryOut {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] buf;
  private int size;

  /** @param capacity the bytes most values fit in: no growth on the common path */
  public BinaryOut(int capacity) {
    buf = new byte[capacity];
  }

  public void u8(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  /** One capacity check per value rather than per byte (this runs for every field of every event). */
  private void ensure(int bytes) {
    if (size + bytes > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + bytes));
  }

  public void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  public void zz(long v) {
    varint((v << 1) ^ (v >> 63));
  }

  public void i64(long v) {
    ensure(8);
    // One big-endian store rather than eight byte stores: the recent event ids write one per entry,
    // up to 256 per profile, at every event.
    LONG_BE.set(buf, size, v);
    size += 8;
  }

  public void i32(int v) {
    ensure(4);
    for (int s = 24; s >= 0; s -= 8) buf[size++] = (byte) (v >>> s);
  }

  public void f64(double d) {
    i64(Double.doubleToLongBits(d));
  }

  /** Appends what another buffer holds. */
  public void bytes(BinaryOut other) {
    ensure(other.size);
    System.arraycopy(other.buf, 0, buf, size, other.size);
    size += other.size;
  }

  public int size() {
    return size;
  }

  /** Empties the buffer for reuse, keeping its capacity. */
  public void clear() {
    size = 0;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
