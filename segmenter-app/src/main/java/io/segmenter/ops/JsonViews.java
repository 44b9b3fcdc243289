package io.segmenter.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmenter.clv.ClvModel;
import io.segmenter.clv.ClvSettings;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.Prediction;
import io.segmenter.clv.PredictiveSegment;
import io.segmenter.evaluation.Assessment;
import io.segmenter.evaluation.Scored;
import io.segmenter.model.Centre;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.RunningMoments;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON documents of the operations endpoints, as pure functions of the model, a profile and
 * populations: no Kafka, no HTTP, so that each view is tested on its own.
 *
 * <p>Conventions: times are ISO-8601 instants (UTC) or null when absent; numbers that are not finite
 * become null (JSON has no NaN); feature maps are keyed by {@link Features#NAMES}, in feature order.
 */
final class JsonViews {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonViews() { }

  /**
   * A customer: current segment (as the topology assigned and stored it), the feature vector at
   * {@code nowMs}, its distance to the assigned centre and the nearest centre now (both in the
   * model's standardised space), a summary of the profile, and the predictive view. The figures
   * come from the evaluator the topology uses ({@link io.segmenter.evaluation.CustomerEvaluator#assess}):
   * this class only renders them.
   *
   * <p>The segment is what the topology decided (with hysteresis and the active-window rule); the
   * {@code nearest} centre is plain geometry at {@code nowMs}, so the two can differ: near a
   * boundary, or when {@code nowMs} is later than the task's last evaluation of the customer.
   *
   * @param model the newest model version, or null before the first one (no distances then)
   * @param clv the predictive settings, or null with scoring off
   */
  static ObjectNode customer(String customerId, CustomerProfile p, ModelSnapshot model, long nowMs, Assessment a,
      ProfileConfig cfg, String currency, ClvSettings clv) {
    ObjectNode root = NODES.objectNode();
    root.put("customerId", customerId);
    if (p.segmentId() == CustomerProfile.NO_SEGMENT) {
      root.putNull("segment");
    } else {
      ObjectNode segment = root.putObject("segment");
      segment.put("id", p.segmentId());
      if (model != null) segment.put("name", model.name(p.segmentId()));
      else segment.putNull("name");
      putTime(segment, "since", p.segmentSince());
      segment.put("changeSequence", p.changeSequence());
      if (p.assignedModelVersion() == CustomerProfile.NO_MODEL) segment.putNull("assignedByModelVersion");
      else segment.put("assignedByModelVersion", p.assignedModelVersion());
    }
    if (model != null) root.put("modelVersion", model.version());
    else root.putNull("modelVersion");
    putTime(root, "featuresAt", nowMs);
    putNumber(root, "distance", a.distanceToSegment());
    if (a.nearest() != null) {
      ObjectNode n = root.putObject("nearest");
      n.put("id", a.nearest().centreId());
      n.put("name", model.name(a.nearest().centreId()));
      putNumber(n, "distance", a.nearest().distance());
    } else {
      root.putNull("nearest");
    }
    ObjectNode features = root.putObject("features");
    for (int i = 0; i < Features.DIMENSION; i++) {
      ObjectNode f = features.putObject(Features.NAMES.get(i));
      putNumber(f, "value", a.raw()[i]);
      putNumber(f, "original", Features.toOriginalUnits(i, a.raw()[i]));
      if (a.standardised() != null) putNumber(f, "standardised", a.standardised()[i]);
    }
    root.set("profile", profile(p, nowMs, cfg, currency));
    root.set("predictive", predictive(p, a.scored(), clv));
    return root;
  }

  /**
   * The predictive view: the predictive segment the topology stored (and since when), the segment
   * the rules give now (they differ when the clock has moved on since the last evaluation), the
   * scores, the summary they come from (days), and the parameters used. Null when not scored.
   */
  static com.fasterxml.jackson.databind.JsonNode predictive(CustomerProfile p, Scored scored, ClvSettings clv) {
    if (scored == null || clv == null) return NODES.nullNode();
    Prediction s = scored.prediction();
    CustomerSummary summary = scored.summary();
    PredictiveSegment stored = PredictiveSegment.ofOrdinal(p.predictiveSegment());
    ObjectNode o = NODES.objectNode();
    if (stored == null) o.putNull("segment");
    else o.put("segment", stored.name()).put("label", stored.label());
    putTime(o, "since", p.predictiveSince());
    o.put("segmentNow", scored.segment().name());
    putNumber(o, "pAlive", s.pAlive());
    putNumber(o, "expectedPurchases30d", s.expectedPurchases30d());
    putNumber(o, "expectedPurchases90d", s.expectedPurchases90d());
    putNumber(o, "expectedPurchasesHorizon", s.expectedPurchasesHorizon());
    putNumber(o, "expectedAverageSpend", s.expectedAverageSpend());
    putNumber(o, "clv", s.clv());
    putNumber(o, "horizonDays", clv.horizonDays());
    ObjectNode sum = o.putObject("summary");
    sum.put("timeUnit", "days").put("x", summary.x());
    putNumber(sum, "tx", summary.tx());
    putNumber(sum, "T", summary.T());
    putNumber(sum, "meanRepeatSpend", summary.meanRepeatSpend());
    o.set("parameters", clvParameters(scored.parameters()));
    return o;
  }

  /** The published predictive parameters (days). */
  static ObjectNode clvParameters(ClvModel m) {
    ObjectNode o = NODES.objectNode();
    o.put("source", m.source().name());
    putTime(o, "fittedAt", m.fittedAt());
    o.put("fittedInVersion", m.fittedInVersion());
    o.put("customers", m.customers());
    putNumber(o, "logLikelihood", m.logLikelihood());
    o.put("timeUnit", "days");
    putNumber(o, "r", m.frequency().r());
    putNumber(o, "alpha", m.frequency().alpha());
    putNumber(o, "a", m.frequency().a());
    putNumber(o, "b", m.frequency().b());
    if (m.hasSpend()) {
      putNumber(o, "p", m.spend().p());
      putNumber(o, "q", m.spend().q());
      putNumber(o, "gamma", m.spend().gamma());
    }
    putNumber(o, "highValue", m.highValue());
    putNumber(o, "typicalValue", m.typicalValue());
    return o;
  }

  /** The profile's figures in readable units (counts, money in {@code currency}, times). */
  static ObjectNode profile(CustomerProfile p, long nowMs, ProfileConfig cfg, String currency) {
    ObjectNode o = NODES.objectNode();
    putTime(o, "firstSeenAt", p.firstSeenAt());
    putTime(o, "lastEventAt", p.lastEventAt());
    putTime(o, "lastVisitAt", p.lastVisitAt());
    putTime(o, "firstOrderAt", p.firstOrderAt());
    putTime(o, "lastOrderAt", p.lastOrderAt());
    o.put("orders", p.orders());
    o.put("cancellations", p.cancellations());
    o.put("returns", p.returns());
    o.put("currency", currency);
    o.put("netSpend", p.netSpend());
    putNumber(o, "averageOrderValue", p.averageOrderValue());
    putNumber(o, "recentOrders", p.decayedOrders(nowMs, cfg.halfLife()));
    putNumber(o, "recentSpend", p.decayedSpend(nowMs, cfg.halfLife()));
    o.put("sessions", p.sessions());
    o.put("pageViews", p.pageViews());
    o.put("productViews", p.productViews());
    o.put("searches", p.searches());
    o.put("cartAdds", p.cartAdds());
    o.put("cartRemoves", p.cartRemoves());
    o.put("checkoutStarts", p.checkoutStarts());
    putNumber(o, "cartAbandonment", p.cartAbandonment());
    o.put("distinctCategories", p.distinctCategories());
    putTime(o, "nextCheckAt", p.nextCheckAt());
    return o;
  }

  /**
   * The model: version, k, createdAt (event time of the newest data merged), the centres with their
   * names and weights, and per feature the standardisation statistics (in the transformed space the
   * model clusters in: log1p for counts, money and days, see {@link Features#isLogTransformed}).
   */
  static ObjectNode model(ModelSnapshot model) {
    ObjectNode root = NODES.objectNode();
    root.put("version", model.version());
    root.put("k", model.kmeans().centres().size());
    putTime(root, "createdAt", model.createdAt());
    putNumber(root, "trainingWeight", model.scaler().totalWeight());
    if (model.clv() == null) root.putNull("predictiveParameters");
    else root.set("predictiveParameters", clvParameters(model.clv()));
    ArrayNode centres = root.putArray("centres");
    for (Centre c : sortedCentres(model)) {
      ObjectNode o = centres.addObject();
      o.put("id", c.id());
      o.put("name", model.name(c.id()));
      putNumber(o, "weight", c.weight());
      o.put("createdInVersion", c.createdInVersion());
      o.put("lastUpdatedInVersion", c.lastUpdatedInVersion());
      if (c.replacesId() == null) o.putNull("replacesId");
      else o.put("replacesId", c.replacesId());
    }
    ObjectNode features = root.putObject("features");
    List<RunningMoments> moments = model.scaler().moments();
    for (int i = 0; i < moments.size() && i < Features.DIMENSION; i++) {
      RunningMoments m = moments.get(i);
      ObjectNode f = features.putObject(Features.NAMES.get(i));
      f.put("transform", Features.isLogTransformed(i) ? "log1p" : "none");
      putNumber(f, "mean", m.mean());
      putNumber(f, "standardDeviation", Math.sqrt(m.variance()));
      putNumber(f, "weight", m.weight());
    }
    return root;
  }

  /** The body of /model before the first version exists. */
  static ObjectNode noModel() {
    ObjectNode root = NODES.objectNode();
    root.putNull("version");
    root.put("error", "no model version yet");
    return root;
  }

  /**
   * The segments: one entry per centre of the model (id, name, weight, centre in original units,
   * population) and one per segment id that holds customers but is not a centre of this model
   * (a centre re-seeded away, or customers waiting for the first model), with a null centre.
   *
   * @param model the newest model, or null before the first one
   * @param populations segment id to customers, summed over the instances that answered
   * @param partial whether some instance did not answer (populations are then lower bounds)
   */
  static ObjectNode segments(ModelSnapshot model, Map<Integer, Long> populations, boolean partial,
      int instances, int answered) {
    ObjectNode root = NODES.objectNode();
    if (model != null) root.put("modelVersion", model.version());
    else root.putNull("modelVersion");
    long total = populations.values().stream().mapToLong(Long::longValue).sum();
    root.put("customers", total);
    root.put("partial", partial);
    root.put("instances", instances);
    root.put("instancesAnswered", answered);
    ArrayNode list = root.putArray("segments");
    Map<Integer, Long> rest = new TreeMap<>(populations);
    if (model != null) {
      for (Centre c : sortedCentres(model)) {
        long population = rest.getOrDefault(c.id(), 0L);
        rest.remove(c.id());
        ObjectNode o = list.addObject();
        o.put("id", c.id());
        o.put("name", model.name(c.id()));
        o.put("inModel", true);
        putNumber(o, "weight", c.weight());
        o.put("population", population);
        putNumber(o, "share", total == 0 ? 0 : (double) population / total);
        double[] centre = model.centreInOriginalUnits(c.id());
        ObjectNode units = o.putObject("centre");
        for (int i = 0; i < centre.length && i < Features.DIMENSION; i++) putNumber(units, Features.NAMES.get(i), centre[i]);
      }
    }
    rest.forEach((id, population) -> {
      ObjectNode o = list.addObject();
      o.put("id", id);
      o.put("name", model != null ? model.name(id) : "Segment " + id);
      o.put("inModel", false);
      o.putNull("weight");
      o.put("population", population);
      putNumber(o, "share", total == 0 ? 0 : (double) population / total);
      o.putNull("centre");
    });
    return root;
  }

  private static List<Centre> sortedCentres(ModelSnapshot model) {
    return model.kmeans().centres().stream().sorted(java.util.Comparator.comparingInt(Centre::id)).toList();
  }

  static void putTime(ObjectNode o, String field, long epochMs) {
    if (epochMs == CustomerProfile.NONE) o.putNull(field);
    else o.put(field, Instant.ofEpochMilli(epochMs).toString());
  }

  static void putNumber(ObjectNode o, String field, double value) {
    if (Double.isFinite(value)) o.put(field, value);
    else o.putNull(field);
  }
}
