package io.segmenter.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmenter.map.CentreMix;
import io.segmenter.map.MapProjection;
import io.segmenter.model.Centre;
import io.segmenter.model.FeatureLabels;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of GET /map, a pure function of the model, its axes, the sample and the global
 * populations. Coordinates are rounded to 3 decimals (a hundredth of a pixel on any screen's map);
 * populations and shares are those of /segments.
 */
final class MapJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final int COORDINATE_DECIMALS = 3;
  static final int LOADINGS = 3;

  private MapJson() { }

  /**
   * @param clvEnabled whether predictive scoring is on (the mix's figures are null when it is off or
   *     the model has no predictive parameters yet)
   */
  static ObjectNode map(ModelSnapshot model, MapProjection projection, MapSample sample, Populations.Total total,
      String instance, boolean clvEnabled, String currency) {
    ObjectNode root = NODES.objectNode();
    root.put("modelVersion", model.version());
    root.put("features", Features.DIMENSION);
    root.put("space", "the model's standardised features (log1p where applicable, then its means and standard "
        + "deviations), plain Euclidean as the model assigns; PCA of the covariance");
    ArrayNode axes = root.putArray("axes");
    for (int a = 0; a < 2; a++) axes.add(axis(projection, a));
    Map<Integer, CentreMix.Builder> mixes = new TreeMap<>();
    for (Centre c : model.kmeans().centres()) mixes.put(c.id(), new CentreMix.Builder());
    ArrayNode points = NODES.arrayNode();
    for (MapSample.Customer c : sample.sampled()) {
      double[] xy = projection.project(c.z());
      ObjectNode p = points.addObject();
      Figures.decimals(p, "x", xy[0], COORDINATE_DECIMALS);
      Figures.decimals(p, "y", xy[1], COORDINATE_DECIMALS);
      p.put("segment", c.segment());
      CentreMix.Builder mix = mixes.get(c.segment());
      if (mix != null) mix.add(c.scored());
    }
    boolean predictive = clvEnabled && model.clv() != null;
    long customers = total.populations().values().stream().mapToLong(Long::longValue).sum();
    ArrayNode centres = root.putArray("centres");
    for (Centre c : model.kmeans().centres().stream().sorted(Comparator.comparingInt(Centre::id)).toList()) {
      double[] xy = projection.project(c.position());
      long population = total.populations().getOrDefault(c.id(), 0L);
      ObjectNode o = centres.addObject();
      o.put("id", c.id());
      o.put("name", model.name(c.id()));
      Figures.decimals(o, "x", xy[0], COORDINATE_DECIMALS);
      Figures.decimals(o, "y", xy[1], COORDINATE_DECIMALS);
      o.put("population", population);
      Figures.decimals(o, "share", customers == 0 ? 0 : (double) population / customers, Figures.RATIO_DECIMALS);
      o.set("mix", mix(mixes.get(c.id()).build(), predictive, currency));
    }
    root.set("points", points);
    ObjectNode s = root.putObject("sample");
    s.put("points", sample.sampled().size());
    s.put("customers", sample.customers());
    s.put("instance", instance);
    s.put("takenAt", Instant.ofEpochMilli(sample.takenAtMs()).toString());
    s.put("axesFittedOn", projection.fittedOn());
    s.put("note", sample.unavailable() != null ? sample.unavailable() + "; the axes are fitted on the centres alone"
        : "up to " + MapSample.SIZE + " of this instance's customers, chosen uniformly by a salted hash of the id, "
            + "at the application clock, refreshed at most every " + SegmentMap.REFRESH_MS / 1000 + " s; axes fitted "
            + "once per model version on the sample and the centres; the mix is estimated from the sampled customers "
            + "of each segment");
    root.put("partial", total.partial());
    root.put("instances", total.instances());
    root.put("instancesAnswered", total.answered());
    return root;
  }

  private static ObjectNode axis(MapProjection projection, int a) {
    ObjectNode o = NODES.objectNode();
    o.put("name", "PC" + (a + 1));
    Figures.decimals(o, "explainedVariance", projection.explained()[a], Figures.RATIO_DECIMALS);
    ArrayNode loadings = o.putArray("loadings");
    for (MapProjection.Loading l : projection.topLoadings(a, LOADINGS)) {
      ObjectNode w = loadings.addObject();
      w.put("feature", Features.NAMES.get(l.feature()));
      w.put("label", FeatureLabels.ALL.get(l.feature()).name());
      Figures.decimals(w, "weight", l.weight(), Figures.RATIO_DECIMALS);
    }
    return o;
  }

  /** The mix of one centre; the predictive figures null without predictive parameters. */
  static ObjectNode mix(CentreMix mix, boolean predictive, String currency) {
    ObjectNode o = NODES.objectNode();
    o.put("sampled", mix.sampled());
    if (!predictive) {
      o.putNull("scored");
      o.putNull("pAliveMean");
      o.putNull("clvMedian");
      o.putNull("predictive");
      return o;
    }
    o.put("scored", mix.scored());
    Figures.decimals(o, "pAliveMean", mix.pAliveMean(), Figures.PROBABILITY_DECIMALS);
    Figures.money(o, "clvMedian", mix.clvMedian(), currency);
    o.put("currency", currency);
    ObjectNode shares = o.putObject("predictive");
    mix.predictive().forEach((segment, share) -> Figures.decimals(shares, segment.label(), share, Figures.RATIO_DECIMALS));
    return o;
  }
}
