package io.segmenter.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmenter.config.StrategySettings;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentNamesSeen;
import io.segmenter.strategy.OutcomeWindows;
import io.segmenter.strategy.Separation;
import io.segmenter.strategy.StrategyComparison;
import io.segmenter.strategy.StrategyScore;
import io.segmenter.topology.Strategies;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * GET /strategies: the strategies side by side ({@link StrategyComparison} over the figures summed
 * across the instances that answered), with each one's settings, model and segments by name. Pure:
 * no Kafka, no HTTP. Numbers that are not finite (a rate without windows) are null.
 */
final class StrategiesJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Stability is quiet changes per customer-day: small numbers, more places than a rate. */
  private static final int STABILITY_DECIMALS = 6;

  private StrategiesJson() { }

  /**
   * @param figures the sum over the {@code answered} instances that sent theirs
   * @param models per strategy, its newest model version here (absent or null before the first)
   * @param names the names this instance has seen, for segments a model no longer has
   */
  static ObjectNode strategies(Strategies.Champion champion, List<StrategySettings> settings,
      Function<String, ModelSnapshot> models, SegmentNamesSeen names, StrategyFigures figures, int instances,
      int answered, String currency) {
    // Only the strategies these settings run: a peer whose settings differ (a rolling change of the
    // challengers) may send figures of others, which must not lead a table that does not list them.
    java.util.Set<String> runs = new java.util.HashSet<>();
    for (StrategySettings st : settings) runs.add(st.name());
    Map<String, Map<Integer, io.segmenter.strategy.OutcomeTally>> tallies = new java.util.TreeMap<>(figures.tallies());
    Map<String, Separation> separations = new java.util.TreeMap<>(figures.separations());
    tallies.keySet().retainAll(runs);
    separations.keySet().retainAll(runs);
    List<StrategyScore> scores = StrategyComparison.compare(tallies, separations, StrategyComparison.MIN_WINDOWS);
    Map<String, StrategyScore> byName = new HashMap<>();
    for (StrategyScore s : scores) byName.put(s.strategy(), s);
    ObjectNode root = NODES.objectNode();
    root.put("champion", champion.name());
    ObjectNode promotion = root.putObject("promotion");
    promotion.put("epoch", champion.epoch());
    promotion.put("source", champion.source());
    if (champion.at() > 0) promotion.put("at", Instant.ofEpochMilli(champion.at()).toString());
    else promotion.putNull("at");
    root.put("windowDays", OutcomeWindows.WINDOW_MS / 86_400_000L);
    root.put("instances", instances);
    root.put("answered", answered);
    root.put("partial", answered < instances);
    root.put("currency", currency);
    ArrayNode list = root.putArray("strategies");
    for (StrategySettings st : settings) {
      StrategyScore score = byName.getOrDefault(st.name(), StrategyComparison.score(st.name(), Map.of(),
          Separation.NONE, StrategyComparison.MIN_WINDOWS));
      ModelSnapshot model = models.apply(st.name());
      list.add(strategy(st, score, model, names, champion.name().equals(st.name()),
          figures.separations().getOrDefault(st.name(), Separation.NONE).points(), currency));
    }
    StrategyComparison.Leaders leaders = StrategyComparison.leaders(scores, champion.name());
    ObjectNode lead = root.putObject("leaders");
    put(lead, "lift", leaders.onLift());
    put(lead, "separation", leaders.onSeparation());
    return root;
  }

  private static ObjectNode strategy(StrategySettings st, StrategyScore score, ModelSnapshot model,
      SegmentNamesSeen names, boolean champion, long separationPoints, String currency) {
    ObjectNode o = NODES.objectNode();
    o.put("name", st.name());
    o.put("champion", champion);
    if (model == null) {
      o.putNull("modelVersion");
      o.putNull("k");
    } else {
      o.put("modelVersion", model.version());
      o.put("k", model.kmeans().centres().size());
    }
    ObjectNode s = o.putObject("settings");
    s.put("k", st.model().k());
    s.put("kMin", st.model().kMin());
    s.put("decayFactor", st.model().decayFactor());
    s.put("refreshEveryVersions", st.model().refreshEvery());
    o.put("windows", score.windows());
    Figures.decimals(o, "purchaseRate", score.purchaseRate(), Figures.PROBABILITY_DECIMALS);
    Figures.decimals(o, "lift", score.lift(), Figures.PROBABILITY_DECIMALS);
    Figures.decimals(o, "spread", score.spread(), Figures.PROBABILITY_DECIMALS);
    Figures.decimals(o, "stability", score.stability(), STABILITY_DECIMALS);
    Figures.decimals(o, "separation", score.separation(), Figures.PROBABILITY_DECIMALS);
    o.put("separationPoints", separationPoints);
    ArrayNode segments = o.putArray("segments");
    for (StrategyScore.SegmentRow row : score.segments()) {
      ObjectNode r = segments.addObject();
      r.put("id", row.segment());
      r.put("name", names.name(model, row.segment()));
      r.put("windows", row.windows());
      Figures.decimals(r, "purchaseRate", row.purchaseRate(), Figures.PROBABILITY_DECIMALS);
      Figures.money(r, "revenuePerCustomer", row.revenuePerCustomer(), currency);
      Figures.decimals(r, "ordersPerCustomer", row.ordersPerCustomer(), Figures.EXPECTATION_DECIMALS);
      Figures.decimals(r, "churn", row.churn(), Figures.PROBABILITY_DECIMALS);
    }
    return o;
  }

  private static void put(ObjectNode o, String field, Optional<String> name) {
    if (name.isPresent()) o.put(field, name.get());
    else o.putNull(field);
  }
}
