package io.segmenter.topology;

import java.nio.ByteBuffer;

/**
 * One training point of the task's mini-batch in progress, as kept in the model-batch store (in
 * chunks of points, see {@link MiniBatchBuffer}); the batch is rebuilt from the points after a
 * restart, so a crash loses no training point that was committed with its input (the points, the
 * deltas and the input offsets share one transaction).
 */
record BatchPoint(int centreId, int sampleCap, long eventTime, double[] raw, long panelKey) {
  BatchPoint(int centreId, int sampleCap, long eventTime, double[] raw) {
    this(centreId, sampleCap, eventTime, raw, -1);
  }

  /**
   * centreId of an entry that is not a training point but a customer's repeat-purchase summary for
   * the predictive fit (raw = x, t_x, T, mean repeat spend): kept in the same store, for the same
   * reason, and sent with the same delta.
   */
  static final int SUMMARY = Integer.MIN_VALUE;
  /** centreId of an entry that is an erased customer's panel key, for the aggregator to drop its point. */
  static final int FORGET = Integer.MIN_VALUE + 1;

  static BatchPoint forget(long panelKey, long now) {
    return new BatchPoint(FORGET, 0, now, new double[0], panelKey);
  }

  boolean isForget() {
    return centreId == FORGET;
  }

  static BatchPoint summary(io.segmenter.clv.CustomerSummary s, long now) {
    return new BatchPoint(SUMMARY, 0, now, new double[] {s.x(), s.tx(), s.T(), s.meanRepeatSpend()});
  }

  boolean isSummary() {
    return centreId == SUMMARY;
  }

  io.segmenter.clv.CustomerSummary toSummary() {
    return new io.segmenter.clv.CustomerSummary((long) raw[0], raw[1], raw[2], raw[3]);
  }

  /**
   * centreId, sampleCap, eventTime, then for a point with a panel key the key, then the raw values.
   * A point written before panel keys existed has no key: it is told apart by its length (the raw
   * values of a training point are always {@link Features#DIMENSION} long, a summary's 4).
   */
  byte[] encode() {
    boolean keyed = panelKey >= 0;
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8 + (keyed ? 8 : 0) + 8 * raw.length);
    b.putInt(centreId).putInt(sampleCap).putLong(eventTime);
    if (keyed) b.putLong(panelKey);
    for (double x : raw) b.putDouble(x);
    return b.array();
  }

  static BatchPoint decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int centre = b.getInt();
    int cap = b.getInt();
    long time = b.getLong();
    long key = centre == FORGET || centre != SUMMARY && b.remaining() == 8 * (io.segmenter.model.Features.DIMENSION + 1)
        ? b.getLong() : -1;
    double[] raw = new double[b.remaining() / 8];
    for (int i = 0; i < raw.length; i++) raw[i] = b.getDouble();
    return new BatchPoint(centre, cap, time, raw, key);
  }
}
