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
import io.segmenter.explain.Explanation;
import io.segmenter.explain.Rule;
import io.segmenter.model.FeatureLabels;
import io.segmenter.model.FeatureWeights;
import io.segmenter.model.Features;
import io.segmenter.model.ModelNotes;
import io.segmenter.model.SegmentName;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentNamesSeen;
import io.segmenter.model.RunningMoments;
import io.segmenter.profile.ChangeHistory;
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
 * become null (JSON has no NaN); feature maps are keyed by {@link Features#NAMES}, in feature order;
 * numbers are rounded to what they mean ({@link Figures}: money to the currency's cents with a
 * {@code currency} field beside it, whole counts as integers, no float noise).
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
    Figures.exact(root, "distance", a.distanceToSegment());
    if (a.nearest() != null) {
      ObjectNode n = root.putObject("nearest");
      n.put("id", a.nearest().centreId());
      n.put("name", model.name(a.nearest().centreId()));
      Figures.exact(n, "distance", a.nearest().distance());
    } else {
      root.putNull("nearest");
    }
    ObjectNode features = root.putObject("features");
    for (int i = 0; i < Features.DIMENSION; i++) {
      ObjectNode f = features.putObject(Features.NAMES.get(i));
      // value is what the model clusters on: log1p of the original for counts, money and days.
      Figures.exact(f, "value", a.raw()[i]);
      f.put("scale", Figures.scale(i));
      Figures.feature(f, "original", i, Features.toOriginalUnits(i, a.raw()[i]), currency, true);
      f.put("unit", Figures.unit(i, currency));
      if (a.standardised() != null) Figures.exact(f, "standardised", a.standardised()[i]);
    }
    root.set("why", why(model, a, currency));
    root.set("profile", profile(p, nowMs, cfg, currency));
    root.set("predictive", predictive(p, a.scored(), clv, currency));
    return root;
  }

  /**
   * The predictive view: the predictive segment the topology stored (and since when), the segment
   * the rules give now (they differ when the clock has moved on since the last evaluation), the
   * scores, the summary they come from (days), and the parameters used. Null when not scored.
   */
  /**
   * Why the customer is where the model puts them: the explanation's rule that places them (and the
   * segment that rule stands for, which can differ from the model's: the tree is a summary), and the
   * three features that weigh most in choosing the nearest centre over the runner-up.
   */
  static com.fasterxml.jackson.databind.JsonNode why(ModelSnapshot model, Assessment a, String currency) {
    if (model == null || a.standardised() == null || a.nearest() == null) return NODES.nullNode();
    ObjectNode o = NODES.objectNode();
    Explanation e = model.notes().explanation();
    if (e == null) {
      o.putNull("rule");
    } else {
      Rule r = e.ruleFor(FeatureLabels.readable(a.raw()));
      ObjectNode rule = o.putObject("rule");
      rule.put("text", r.text());
      rule.put("segmentId", r.label());
      rule.put("segmentName", model.name(r.label()));
      Figures.decimals(rule, "precision", r.precision(), Figures.RATIO_DECIMALS);
      Figures.decimals(rule, "treeFidelity", e.fidelity(), Figures.RATIO_DECIMALS);
    }
    ArrayNode top = o.putArray("topFeatures");
    for (FeatureWeights.Weight w : FeatureWeights.top(model, a.standardised(), 3)) {
      ObjectNode f = top.addObject();
      f.put("feature", Features.NAMES.get(w.feature()));
      Figures.decimals(f, "weight", w.weight(), Figures.RATIO_DECIMALS);
      Figures.feature(f, "value", w.feature(), Features.toOriginalUnits(w.feature(), a.raw()[w.feature()]), currency, true);
      Figures.feature(f, "segmentCentre", w.feature(), model.centreInOriginalUnits(a.nearest().centreId())[w.feature()],
          currency, false);
      f.put("unit", Figures.unit(w.feature(), currency));
    }
    return o;
  }

  static com.fasterxml.jackson.databind.JsonNode predictive(CustomerProfile p, Scored scored, ClvSettings clv,
      String currency) {
    if (scored == null || clv == null) return NODES.nullNode();
    Prediction s = scored.prediction();
    CustomerSummary summary = scored.summary();
    PredictiveSegment stored = PredictiveSegment.ofOrdinal(p.predictiveSegment());
    ObjectNode o = NODES.objectNode();
    if (stored == null) o.putNull("segment");
    else o.put("segment", stored.name()).put("label", stored.label());
    putTime(o, "since", p.predictiveSince());
    o.put("segmentNow", scored.segment().name());
    Figures.decimals(o, "pAlive", s.pAlive(), Figures.PROBABILITY_DECIMALS);
    Figures.decimals(o, "expectedPurchases30d", s.expectedPurchases30d(), Figures.EXPECTATION_DECIMALS);
    Figures.decimals(o, "expectedPurchases90d", s.expectedPurchases90d(), Figures.EXPECTATION_DECIMALS);
    Figures.decimals(o, "expectedPurchasesHorizon", s.expectedPurchasesHorizon(), Figures.EXPECTATION_DECIMALS);
    o.put("currency", currency);
    Figures.money(o, "expectedAverageSpend", s.expectedAverageSpend(), currency);
    Figures.money(o, "clv", s.clv(), currency);
    Figures.exact(o, "horizonDays", clv.horizonDays());
    ObjectNode sum = o.putObject("summary");
    sum.put("timeUnit", "days").put("x", summary.x());
    Figures.decimals(sum, "tx", summary.tx(), Figures.DECIMALS);
    Figures.decimals(sum, "T", summary.T(), Figures.DECIMALS);
    Figures.money(sum, "meanRepeatSpend", summary.meanRepeatSpend(), currency);
    o.set("parameters", clvParameters(scored.parameters(), currency));
    return o;
  }

  /** The published predictive parameters (days; the value thresholds in {@code currency}). */
  static ObjectNode clvParameters(ClvModel m, String currency) {
    ObjectNode o = NODES.objectNode();
    o.put("source", m.source().name());
    putTime(o, "fittedAt", m.fittedAt());
    o.put("fittedInVersion", m.fittedInVersion());
    o.put("customers", m.customers());
    Figures.exact(o, "logLikelihood", m.logLikelihood());
    o.put("timeUnit", "days");
    Figures.exact(o, "r", m.frequency().r());
    Figures.exact(o, "alpha", m.frequency().alpha());
    Figures.exact(o, "a", m.frequency().a());
    Figures.exact(o, "b", m.frequency().b());
    if (m.hasSpend()) {
      Figures.exact(o, "p", m.spend().p());
      Figures.exact(o, "q", m.spend().q());
      Figures.exact(o, "gamma", m.spend().gamma());
    }
    o.put("currency", currency);
    Figures.money(o, "highValue", m.highValue(), currency);
    Figures.money(o, "typicalValue", m.typicalValue(), currency);
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
    Figures.money(o, "netSpend", p.netSpend(), currency);
    Figures.money(o, "averageOrderValue", p.averageOrderValue(), currency);
    Figures.decimals(o, "recentOrders", p.decayedOrders(nowMs, cfg.halfLife()), Figures.DECIMALS);
    Figures.money(o, "recentSpend", p.decayedSpend(nowMs, cfg.halfLife()), currency);
    o.put("sessions", p.sessions());
    o.put("pageViews", p.pageViews());
    o.put("productViews", p.productViews());
    o.put("searches", p.searches());
    o.put("cartAdds", p.cartAdds());
    o.put("cartRemoves", p.cartRemoves());
    o.put("checkoutStarts", p.checkoutStarts());
    Figures.decimals(o, "cartAbandonment", p.cartAbandonment(), Figures.RATIO_DECIMALS);
    o.put("distinctCategories", p.distinctCategories());
    putTime(o, "nextCheckAt", p.nextCheckAt());
    return o;
  }

  /**
   * The model: version, k, createdAt (event time of the newest data merged), the centres with their
   * names and weights, and per feature the standardisation statistics (in the transformed space the
   * model clusters in: log1p for counts, money and days, see {@link Features#isLogTransformed}).
   *
   * @param currency the currency of the predictive parameters' value thresholds
   */
  static ObjectNode model(ModelSnapshot model, String currency) {
    ObjectNode root = NODES.objectNode();
    root.put("version", model.version());
    root.put("k", model.kmeans().centres().size());
    putTime(root, "createdAt", model.createdAt());
    Figures.decimals(root, "trainingWeight", model.scaler().totalWeight(), Figures.DECIMALS);
    if (model.clv() == null) root.putNull("predictiveParameters");
    else root.set("predictiveParameters", clvParameters(model.clv(), currency));
    ArrayNode centres = root.putArray("centres");
    for (Centre c : sortedCentres(model)) {
      ObjectNode o = centres.addObject();
      o.put("id", c.id());
      o.put("name", model.name(c.id()));
      o.put("description", model.segmentName(c.id()).map(SegmentName::description).orElse(""));
      Figures.decimals(o, "weight", c.weight(), Figures.DECIMALS);
      o.put("createdInVersion", c.createdInVersion());
      o.put("lastUpdatedInVersion", c.lastUpdatedInVersion());
      if (c.replacesId() == null) o.putNull("replacesId");
      else o.put("replacesId", c.replacesId());
    }
    root.set("clusterCount", clusterCount(model.notes().clusterCount()));
    putExplanation(root, model);
    root.put("panelCustomers", model.notes().panelSize());
    ObjectNode features = root.putObject("features");
    List<RunningMoments> moments = model.scaler().moments();
    for (int i = 0; i < moments.size() && i < Features.DIMENSION; i++) {
      RunningMoments m = moments.get(i);
      ObjectNode f = features.putObject(Features.NAMES.get(i));
      f.put("transform", Features.isLogTransformed(i) ? "log1p" : "none");
      Figures.exact(f, "mean", m.mean());
      Figures.exact(f, "standardDeviation", Math.sqrt(m.variance()));
      Figures.decimals(f, "weight", m.weight(), Figures.DECIMALS);
    }
    return root;
  }

  /**
   * The model versions this instance has taken in since it started, newest first: version, createdAt
   * (event time), k, how far the centres moved from the version before ({@code maxDrift},
   * {@code meanDrift}: standardised space, null for the first one seen) and whether it re-chose k.
   */
  static ArrayNode versions(List<io.segmenter.model.ModelVersions.Entry> newestFirst) {
    ArrayNode out = NODES.arrayNode();
    for (io.segmenter.model.ModelVersions.Entry e : newestFirst) {
      ObjectNode o = out.addObject();
      o.put("version", e.version());
      putTime(o, "createdAt", e.createdAt());
      o.put("k", e.k());
      Figures.exact(o, "maxDrift", e.maxDrift());
      Figures.exact(o, "meanDrift", e.meanDrift());
      o.put("refresh", e.refresh());
    }
    return out;
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
   * @param names the last names seen: a segment that still holds customers but is no longer a centre
   *     of {@code model} (its customers move at their next evaluation) is called "Loyal (retired)"
   * @param currency the currency of the centres' money (net_spend, average_order_value, recent_spend)
   */
  static ObjectNode segments(ModelSnapshot model, SegmentNamesSeen names, Map<Integer, Long> populations,
      boolean partial, int instances, int answered, String currency) {
    ObjectNode root = NODES.objectNode();
    if (model != null) root.put("modelVersion", model.version());
    else root.putNull("modelVersion");
    long total = populations.values().stream().mapToLong(Long::longValue).sum();
    root.put("customers", total);
    root.put("partial", partial);
    root.put("instances", instances);
    root.put("instancesAnswered", answered);
    // The centres' units, once for all segments: money in the one currency of the deployment.
    root.put("currency", currency);
    ObjectNode units = root.putObject("centreUnits");
    for (int i = 0; i < Features.DIMENSION; i++) units.put(Features.NAMES.get(i), Figures.unit(i, currency));
    ArrayNode list = root.putArray("segments");
    Map<Integer, Long> rest = new TreeMap<>(populations);
    if (model != null) {
      for (Centre c : sortedCentres(model)) {
        long population = rest.getOrDefault(c.id(), 0L);
        rest.remove(c.id());
        ObjectNode o = list.addObject();
        o.put("id", c.id());
        o.put("name", model.name(c.id()));
        o.put("description", model.segmentName(c.id()).map(SegmentName::description).orElse(""));
        o.put("inModel", true);
        Figures.decimals(o, "weight", c.weight(), Figures.DECIMALS);
        o.put("population", population);
        Figures.decimals(o, "share", total == 0 ? 0 : (double) population / total, Figures.RATIO_DECIMALS);
        double[] centre = model.centreInOriginalUnits(c.id());
        ObjectNode coordinates = o.putObject("centre");
        for (int i = 0; i < centre.length && i < Features.DIMENSION; i++) {
          Figures.feature(coordinates, Features.NAMES.get(i), i, centre[i], currency, false);
        }
        o.set("rules", rules(model, c.id()));
      }
    }
    putExplanation(root, model);
    rest.forEach((id, population) -> {
      ObjectNode o = list.addObject();
      o.put("id", id);
      o.put("name", names.name(model, id));
      o.put("inModel", false);
      o.putNull("weight");
      o.put("population", population);
      Figures.decimals(o, "share", total == 0 ? 0 : (double) population / total, Figures.RATIO_DECIMALS);
      o.putNull("centre");
    });
    return root;
  }

  /** How k was chosen (null for a fixed k, or before the first choice). */
  static com.fasterxml.jackson.databind.JsonNode clusterCount(ModelNotes.ClusterCount c) {
    if (c == null) return NODES.nullNode();
    ObjectNode o = NODES.objectNode();
    o.put("criterion", "mean silhouette on the customer panel (the highest wins; within 0.005, the smaller k)");
    o.put("k", c.k());
    Figures.exact(o, "silhouette", c.silhouette());
    o.put("chosenInVersion", c.chosenInVersion());
    ArrayNode tried = o.putArray("tried");
    c.scores().forEach((k, sc) -> {
      ObjectNode t = tried.addObject();
      t.put("k", k);
      Figures.exact(t, "silhouette", sc[0]);
      Figures.exact(t, "inertia", sc[1]);
    });
    return o;
  }

  /** The explanation's fidelity and size, or nulls before the first one. */
  private static void putExplanation(ObjectNode root, ModelSnapshot model) {
    Explanation e = model == null ? null : model.notes().explanation();
    ObjectNode o = root.putObject("explanation");
    o.put("method", "decision tree of depth <= 4 fitted to the model's assignments of the customer panel");
    if (e == null) {
      o.putNull("fidelity");
      o.putNull("sample");
      return;
    }
    Figures.decimals(o, "fidelity", e.fidelity(), Figures.RATIO_DECIMALS);
    o.put("sample", e.sampleSize());
  }

  /** A segment's rules, largest support first (empty when no leaf of the tree has it as majority). */
  static ArrayNode rules(ModelSnapshot model, int id) {
    ArrayNode out = NODES.arrayNode();
    Explanation e = model.notes().explanation();
    if (e == null) return out;
    for (Rule r : e.rulesFor(id)) {
      ObjectNode o = out.addObject();
      o.put("rule", r.text());
      o.put("support", r.support());
      Figures.decimals(o, "precision", r.precision(), Figures.RATIO_DECIMALS);
    }
    return out;
  }

  /**
   * A customer's change history, newest first: each change's sequence, emission time ({@code at}),
   * event time, segments left and entered (null for "none": a first assignment), reason, model
   * version, and the predictive segments before and after. Names come from {@code model} (the
   * newest version); a segment it no longer has is called by its last name this instance saw,
   * "Loyal (retired)", or "segment N (retired)" if it saw none ({@link SegmentNamesSeen}).
   */
  static ArrayNode history(ChangeHistory history, ModelSnapshot model, SegmentNamesSeen names) {
    ArrayNode out = NODES.arrayNode();
    for (ChangeHistory.Entry e : history.entries()) {
      ObjectNode o = out.addObject();
      o.put("sequence", e.sequence());
      putTime(o, "at", e.at());
      putTime(o, "eventTime", e.eventTime());
      o.set("from", segmentRef(e.fromSegment(), model, names));
      o.set("to", segmentRef(e.toSegment(), model, names));
      o.put("reason", e.reason().name());
      o.put("modelVersion", e.modelVersion());
      ObjectNode predictive = o.putObject("predictive");
      putPredictive(predictive, "from", e.fromPredictive());
      putPredictive(predictive, "to", e.toPredictive());
    }
    return out;
  }

  private static com.fasterxml.jackson.databind.JsonNode segmentRef(int id, ModelSnapshot model, SegmentNamesSeen names) {
    if (id == ChangeHistory.NONE) return NODES.nullNode();
    return NODES.objectNode().put("id", id).put("name", names.name(model, id));
  }

  private static void putPredictive(ObjectNode o, String field, int ordinal) {
    PredictiveSegment s = PredictiveSegment.ofOrdinal(ordinal);
    if (s == null) o.putNull(field);
    else o.put(field, s.name());
  }

  private static List<Centre> sortedCentres(ModelSnapshot model) {
    return model.kmeans().centres().stream().sorted(java.util.Comparator.comparingInt(Centre::id)).toList();
  }

  static void putTime(ObjectNode o, String field, long epochMs) {
    if (epochMs == CustomerProfile.NONE) o.putNull(field);
    else o.put(field, Instant.ofEpochMilli(epochMs).toString());
  }
}
