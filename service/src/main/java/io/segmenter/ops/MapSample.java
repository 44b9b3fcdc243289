package io.segmenter.ops;

import io.segmenter.evaluation.Assessment;
import io.segmenter.evaluation.CustomerEvaluator;
import io.segmenter.evaluation.EvaluatorSettings;
import io.segmenter.evaluation.Scored;
import io.segmenter.map.HashSample;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;

/**
 * The customers the segment map draws: a uniform sample of the profiles one scan passes over (the
 * keys of smallest salted hash, {@link HashSample}), each decoded only if kept and evaluated as
 * /customers/{id} evaluates it (features at the application clock, the model's standardisation,
 * the predictive scores). No customer id leaves this class: a sampled customer is its position,
 * segment and scores.
 *
 * @param modelVersion the version the customers were evaluated with
 * @param takenAtMs the wall clock of the scan
 * @param customers how many profiles the scan passed over (the population sampled)
 * @param sampled the customers kept, in hash order
 * @param unavailable why there is no sample (the store cannot be read now), or null
 */
record MapSample(long modelVersion, long takenAtMs, long customers, List<Customer> sampled, String unavailable) {
  /** The most customers a map shows from one instance. */
  static final int SIZE = 500;

  /**
   * One sampled customer.
   *
   * @param z the standardised feature vector at the application clock
   * @param segment the segment the service holds the customer in, or, when that is not a centre of
   *     this version (none yet, or re-seeded away), the nearest centre
   * @param scored the predictive scores, null when not scored
   */
  record Customer(double[] z, int segment, Scored scored) { }

  MapSample {
    sampled = List.copyOf(sampled);
  }

  /** No sample: the store cannot be read now ({@code why}). */
  static MapSample unavailable(ModelSnapshot model, long wallMs, String why) {
    return new MapSample(model.version(), wallMs, 0, List.of(), why);
  }

  /**
   * One pass over {@code profiles} (key, encoded profile).
   *
   * @param nowFor the moment to evaluate a customer at (the application clock, as /customers/{id})
   */
  static MapSample take(Iterator<KeyValue<String, byte[]>> profiles, ModelSnapshot model, EvaluatorSettings settings,
      ToLongFunction<CustomerProfile> nowFor, int size, long salt, long wallMs) {
    HashSample<byte[]> sample = new HashSample<>(size, salt);
    while (profiles.hasNext()) {
      KeyValue<String, byte[]> kv = profiles.next();
      if (kv.value != null) sample.offer(kv.key, kv.value);
    }
    // One evaluator for the scan: it caches per model version and the scan runs on one thread.
    CustomerEvaluator evaluator = new CustomerEvaluator(settings);
    List<Customer> customers = new ArrayList<>();
    for (byte[] bytes : sample.values()) {
      CustomerProfile profile = ProfileCodec.decode(bytes);
      Assessment a = evaluator.assess(profile, model, nowFor.applyAsLong(profile));
      if (a.standardised() == null || a.nearest() == null) continue;
      int held = profile.segmentId();
      int segment = held != CustomerProfile.NO_SEGMENT && model.kmeans().centre(held) != null ? held : a.nearest().centreId();
      customers.add(new Customer(a.standardised(), segment, a.scored()));
    }
    return new MapSample(model.version(), wallMs, sample.offered(), customers, null);
  }
}
