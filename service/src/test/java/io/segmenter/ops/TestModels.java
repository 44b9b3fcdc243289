package io.segmenter.ops;

import io.segmenter.model.Centre;
import io.segmenter.model.FeatureScaler;
import io.segmenter.model.Features;
import io.segmenter.model.KMeansModel;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.RunningMoments;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Hand-built models with known statistics, for the views and the server tests. */
final class TestModels {
  static final double MEAN = 1.0;
  static final double SD = 2.0;
  static final double WEIGHT = 100.0;

  private TestModels() { }

  /** Every feature with mean 1 and standard deviation 2 (weight 100). */
  static FeatureScaler scaler() {
    return new FeatureScaler(Collections.nCopies(Features.DIMENSION, new RunningMoments(WEIGHT, MEAN, SD * SD * WEIGHT)));
  }

  static double[] standardise(double[] raw) {
    double[] z = new double[raw.length];
    for (int i = 0; i < raw.length; i++) z[i] = (raw[i] - MEAN) / SD;
    return z;
  }

  /**
   * Centre 0 "Hibernating" far away (z = 5 everywhere), centre 1 "Loyal" at {@code loyalAt}
   * (standardised), and centre 4 "New Customers" at the origin.
   */
  static ModelSnapshot model(long version, double[] loyalAt, long createdAt) {
    double[] far = new double[Features.DIMENSION];
    java.util.Arrays.fill(far, 5.0);
    List<Centre> centres = new ArrayList<>();
    centres.add(new Centre(0, far, 40.0, 1, version, null));
    centres.add(new Centre(1, loyalAt, 60.0, 1, version, null));
    centres.add(new Centre(4, new double[Features.DIMENSION], 2.5, version, version, 2));
    KMeansModel kmeans = new KMeansModel(version, Features.DIMENSION, centres, 5, 0.95);
    return new ModelSnapshot(kmeans, scaler(), Map.of(0, "Hibernating", 1, "Loyal", 4, "New Customers"), createdAt);
  }
}
