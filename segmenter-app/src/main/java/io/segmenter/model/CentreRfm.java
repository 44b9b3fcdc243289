package io.segmenter.model;

/**
 * RFM profile of one k-means centre, as {@link SegmentNamer} needs it.
 *
 * <p>The z values are the centre's standardised coordinates of the log-transformed features
 * (recency_days, orders, net_spend, views). Recency is "days since the last order", so a HIGH
 * {@code recencyZ} means long ago, i.e. BAD recency. The last three components are the same
 * centre back in original units (days, order count, currency); the namer only uses {@code orders}
 * (to spot centres that never order), the others are carried for display.
 */
public record CentreRfm(int centreId, double recencyZ, double frequencyZ, double monetaryZ,
    double browsingZ, double recencyDays, double orders, double netSpend) {

  public CentreRfm {
    // A NaN slips through every comparison in the rule table and would silently land in the
    // "otherwise" bucket; fail loudly instead so a broken model is noticed.
    requireFinite("recencyZ", recencyZ);
    requireFinite("frequencyZ", frequencyZ);
    requireFinite("monetaryZ", monetaryZ);
    requireFinite("browsingZ", browsingZ);
    requireFinite("recencyDays", recencyDays);
    requireFinite("orders", orders);
    requireFinite("netSpend", netSpend);
  }

  private static void requireFinite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be finite: " + value);
    }
  }
}
