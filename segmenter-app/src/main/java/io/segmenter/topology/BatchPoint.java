package io.segmenter.topology;

import java.nio.ByteBuffer;

/**
 * One training point of the task's mini-batch in progress, as kept in the model-batch store. Each
 * point is written once (a small put), instead of re-writing the whole batch per point, and the
 * batch is rebuilt from the points after a restart; so a crash loses no training point that was
 * committed with its input (the points, the deltas and the input offsets share one transaction).
 */
record BatchPoint(int centreId, int sampleCap, long eventTime, double[] raw) {
  /**
   * centreId of an entry that is not a training point but a customer's repeat-purchase summary for
   * the predictive fit (raw = x, t_x, T, mean repeat spend): kept in the same store, for the same
   * reason, and sent with the same delta.
   */
  static final int SUMMARY = Integer.MIN_VALUE;

  static BatchPoint summary(io.segmenter.clv.CustomerSummary s, long now) {
    return new BatchPoint(SUMMARY, 0, now, new double[] {s.x(), s.tx(), s.T(), s.meanRepeatSpend()});
  }

  boolean isSummary() {
    return centreId == SUMMARY;
  }

  io.segmenter.clv.CustomerSummary toSummary() {
    return new io.segmenter.clv.CustomerSummary((long) raw[0], raw[1], raw[2], raw[3]);
  }

  byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8 + 8 * raw.length);
    b.putInt(centreId).putInt(sampleCap).putLong(eventTime);
    for (double x : raw) b.putDouble(x);
    return b.array();
  }

  static BatchPoint decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int centre = b.getInt();
    int cap = b.getInt();
    long time = b.getLong();
    double[] raw = new double[b.remaining() / 8];
    for (int i = 0; i < raw.length; i++) raw[i] = b.getDouble();
    return new BatchPoint(centre, cap, time, raw);
  }
}
