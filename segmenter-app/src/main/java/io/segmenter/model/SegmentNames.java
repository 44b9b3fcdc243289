package io.segmenter.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Glue between a model and {@link SegmentNamer}: reads each centre's RFM back in original units. */
public final class SegmentNames {
  private SegmentNames() { }

  public static Map<Integer, String> of(KMeansModel model, FeatureScaler scaler) {
    List<CentreRfm> rfm = new ArrayList<>();
    for (Centre c : model.centres()) {
      double[] z = c.position();
      rfm.add(new CentreRfm(c.id(), z[Features.RECENCY_DAYS], z[Features.ORDERS], z[Features.NET_SPEND],
          z[Features.VIEWS],
          original(scaler, Features.RECENCY_DAYS, z), original(scaler, Features.ORDERS, z),
          original(scaler, Features.NET_SPEND, z)));
    }
    return SegmentNamer.name(rfm);
  }

  private static double original(FeatureScaler scaler, int feature, double[] z) {
    return Features.toOriginalUnits(feature, scaler.unstandardise(feature, z[feature]));
  }
}
