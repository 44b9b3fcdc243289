package io.segmenter.ops;

import io.segmenter.map.HashSample;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.profile.ProfileConfig;
import io.segmenter.strategy.Separation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;

/**
 * How far apart each strategy's segments stand on this instance's customers: one pass over the
 * profiles keeps a uniform sample ({@link HashSample}, as the segment map does), each sampled
 * customer's raw features are taken once at the application clock, and every strategy with a model
 * standardises them its own way and labels each by its nearest centre. Labels come from the
 * geometry, not from the segment a strategy holds the customer in, so that every strategy is judged
 * on the same points by the same rule (hysteresis would favour none in particular). Pure: the
 * caller passes the store's iterator.
 */
final class StrategySample {
  /** The most customers one instance samples: the silhouette is quadratic in them. */
  static final int SIZE = 500;

  private StrategySample() { }

  /**
   * @param models per strategy, its newest model version (strategies without one are left out)
   * @param nowFor the moment to take a customer's features at
   */
  static Map<String, Separation> separations(Iterator<KeyValue<String, byte[]>> profiles, Map<String, ModelSnapshot> models,
      ProfileConfig settings, ToLongFunction<CustomerProfile> nowFor, int size, long salt) {
    HashSample<byte[]> sample = new HashSample<>(size, salt);
    while (profiles.hasNext()) {
      KeyValue<String, byte[]> kv = profiles.next();
      if (kv.value != null) sample.offer(kv.key, kv.value);
    }
    List<double[]> raw = new ArrayList<>();
    for (byte[] bytes : sample.values()) {
      CustomerProfile p = ProfileCodec.decode(bytes);
      raw.add(Features.of(p, nowFor.applyAsLong(p), settings));
    }
    Map<String, Separation> out = new TreeMap<>();
    models.forEach((strategy, model) -> {
      if (model == null || model.kmeans().centres().isEmpty()) return;
      out.put(strategy, Separation.byNearestCentre(raw, model));
    });
    return out;
  }
}
