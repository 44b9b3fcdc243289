package io.segmenter.topology;

import io.segmenter.events.OrderEvent;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Centre;
import io.segmenter.model.FeatureScaler;
import io.segmenter.model.Features;
import io.segmenter.model.KMeansModel;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentNames;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-built model for tests that need known segments: each centre sits exactly on the features of
 * a representative customer, so a test customer who behaves like that representative lands there.
 */
public final class SeedModels {
  static final int CHAMPION = 0;
  static final int AT_RISK = 1;
  static final int NEW = 2;
  static final int HIBERNATING = 3;

  private SeedModels() { }

  /** Orders every {@code everyDays} days, the last one at {@code last}. */
  static List<OrderEvent> orders(String customerId, int count, int everyDays, Instant last, String amount) {
    List<OrderEvent> out = new ArrayList<>();
    for (int i = count - 1; i >= 0; i--) {
      out.add(Events.order(customerId, customerId + "-o" + i, last.minus(Duration.ofDays((long) i * everyDays)), amount));
    }
    return out;
  }

  static double[] features(List<OrderEvent> orders, Instant now) {
    CustomerProfile p = CustomerProfile.empty();
    for (OrderEvent o : orders) p.apply(o, ProfileConfig.defaults());
    return Features.of(p, now.toEpochMilli(), ProfileConfig.defaults());
  }

  /** Champion (20 orders, 3 days apart, last yesterday), the same customer 100 days quiet, new, hibernating. */
  public static ModelVersion championsAndAtRisk(Instant now) {
    return championsAndAtRisk(now, 0);
  }

  /** The same model with its segment ids from {@code idBase} on (a challenger strategy's range). */
  public static ModelVersion championsAndAtRisk(Instant now, int idBase) {
    List<double[]> reps = List.of(
        features(orders("rep", 20, 3, now.minus(Duration.ofDays(1)), "120"), now),
        features(orders("rep", 20, 3, now.minus(Duration.ofDays(100)), "120"), now),
        features(orders("rep", 1, 1, now.minus(Duration.ofDays(2)), "40"), now),
        features(orders("rep", 2, 30, now.minus(Duration.ofDays(200)), "20"), now));
    FeatureScaler scaler = FeatureScaler.empty(Features.DIMENSION);
    for (double[] r : reps) scaler = scaler.add(r);
    List<Centre> centres = new ArrayList<>();
    for (int i = 0; i < reps.size(); i++) centres.add(new Centre(i, scaler.standardise(reps.get(i)), 10, 1, 1, null));
    KMeansModel km = new KMeansModel(1, Features.DIMENSION, centres, reps.size(), 0.95).renumberedFrom(idBase);
    return ModelCodec.toAvro(new ModelSnapshot(km, scaler, SegmentNames.of(km, scaler), now.toEpochMilli()));
  }
}
