package io.segmenter.serde;

import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Per-thread output buffer and encoder, so that serialising allocates only the returned array (and
 * what Avro itself allocates, e.g. a String's UTF-8 bytes). Static rather than per serializer: the
 * buffers belong to the thread, and a Kafka Streams thread holds many serializers.
 *
 * <p>A direct (unbuffered) encoder is used on purpose: it keeps no bytes of its own, so a record
 * that fails half-way leaves nothing behind that could leak into the next record.
 */
final class EncodeScratch {
  private static final int INITIAL_CAPACITY = 1024;
  /** Buffers grown past this by one huge record are dropped rather than kept for the thread's life. */
  private static final int MAX_RETAINED_CAPACITY = 1 << 20;

  private static final ThreadLocal<EncodeScratch> PER_THREAD = ThreadLocal.withInitial(EncodeScratch::new);

  final Output out = new Output();
  final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
  private boolean inUse;

  private EncodeScratch() {}

  /**
   * The thread's scratch, emptied, with {@code headerSize} bytes reserved at the front. Re-entrant
   * use on one thread (a serializer called from inside another's write) gets a fresh one.
   */
  static EncodeScratch acquire(int headerSize) {
    EncodeScratch scratch = PER_THREAD.get();
    if (scratch.inUse) {
      scratch = new EncodeScratch();
    }
    scratch.inUse = true;
    scratch.out.reset(headerSize);
    return scratch;
  }

  void release() {
    inUse = false;
    out.trim();
  }

  /** A growable byte array that hands out a right-sized copy. */
  static final class Output extends OutputStream {
    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int count;

    void reset(int reserved) {
      count = reserved;
    }

    int size() {
      return count;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }

    @Override
    public void write(int b) {
      ensureCapacity(count + 1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensureCapacity(count + len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void ensureCapacity(int needed) {
      if (needed < 0 || needed > Integer.MAX_VALUE - 8) {
        throw new AvroSerdeException(AvroSerdeException.Reason.INVALID_RECORD,
            "record too large: its encoding exceeds 2 GiB");
      }
      if (needed > buf.length) {
        int grown = Math.max(needed, buf.length <= (Integer.MAX_VALUE >> 1) ? buf.length << 1 : Integer.MAX_VALUE - 8);
        buf = Arrays.copyOf(buf, grown);
      }
    }

    private void trim() {
      if (buf.length > MAX_RETAINED_CAPACITY) {
        buf = new byte[INITIAL_CAPACITY];
      }
      count = 0;
    }
  }
}
