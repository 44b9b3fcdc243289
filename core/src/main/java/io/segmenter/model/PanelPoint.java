package io.segmenter.model;

/**
 * One customer's latest training point as the model's customer panel keeps it: no customer id, only
 * its keyed hash ({@link CustomerKey}), so that the panel can keep one point per customer and forget
 * a customer on erasure.
 *
 * @param key the customer's {@link CustomerKey}, 0 to 2^63 - 1
 * @param at event time the point describes
 * @param raw the feature vector (log-transformed, not standardised)
 */
public record PanelPoint(long key, long at, double[] raw) {
  public PanelPoint {
    if (key < 0) throw new IllegalArgumentException("panel key must be >= 0: " + key);
    raw = raw.clone();
  }

  @Override
  public double[] raw() {
    return raw.clone();
  }
}
