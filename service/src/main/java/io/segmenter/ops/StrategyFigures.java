package io.segmenter.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmenter.strategy.OutcomeTally;
import io.segmenter.strategy.Separation;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one instance knows of the strategies (its outcome tallies per strategy and segment, and the
 * separation of its own sample per strategy), or the sum of several instances' ({@link #plus}). Sums
 * only, so that every instance that adds the same answers gets the same comparison. Carried to the
 * other instances in the {@code /internal/populations} round as {@code "strategies"}:
 * <pre>
 * {"tallies":{"k6":{"12000007":[windows,purchasingWindows,orders,revenue,quietChanges]}},
 *  "separation":{"k6":[silhouetteSum,points]}}
 * </pre>
 */
record StrategyFigures(Map<String, Map<Integer, OutcomeTally>> tallies, Map<String, Separation> separations) {
  static final StrategyFigures NONE = new StrategyFigures(Map.of(), Map.of());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  StrategyFigures plus(StrategyFigures o) {
    Map<String, Map<Integer, OutcomeTally>> t = new TreeMap<>();
    for (Map<String, Map<Integer, OutcomeTally>> side : java.util.List.of(tallies, o.tallies)) {
      side.forEach((strategy, segments) -> segments.forEach((segment, tally) ->
          t.computeIfAbsent(strategy, k -> new TreeMap<>()).merge(segment, tally, OutcomeTally::plus)));
    }
    Map<String, Separation> s = new TreeMap<>(separations);
    o.separations.forEach((strategy, sep) -> s.merge(strategy, sep, Separation::plus));
    return new StrategyFigures(t, s);
  }

  ObjectNode toJson() {
    ObjectNode root = NODES.objectNode();
    ObjectNode t = root.putObject("tallies");
    new TreeMap<>(tallies).forEach((strategy, segments) -> {
      ObjectNode bySegment = t.putObject(strategy);
      new TreeMap<>(segments).forEach((segment, tally) -> bySegment.putArray(String.valueOf(segment))
          .add(tally.windows()).add(tally.purchasingWindows()).add(tally.orders()).add(tally.revenue())
          .add(tally.quietChanges()));
    });
    ObjectNode s = root.putObject("separation");
    new TreeMap<>(separations).forEach((strategy, sep) -> s.putArray(strategy).add(sep.silhouetteSum()).add(sep.points()));
    return root;
  }

  /**
   * The {@code "strategies"} part of a peer's answer; null when it has none (a peer of an older
   * version, or one that could not read its stores).
   *
   * @throws IllegalArgumentException when it is there but malformed (counts impossible, not numbers)
   */
  static StrategyFigures parse(JsonNode answer) {
    JsonNode part = answer.get("strategies");
    if (part == null || part.isNull()) return null;
    if (!part.path("tallies").isObject() || !part.path("separation").isObject()) {
      throw new IllegalArgumentException("malformed strategies part in the answer");
    }
    Map<String, Map<Integer, OutcomeTally>> tallies = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = part.get("tallies").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> strategy = it.next();
      Map<Integer, OutcomeTally> segments = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> s = strategy.getValue().fields(); s.hasNext(); ) {
        Map.Entry<String, JsonNode> e = s.next();
        ArrayNode a = array(e.getValue(), 5);
        segments.put(Integer.parseInt(e.getKey()), new OutcomeTally(a.get(0).asLong(), a.get(1).asLong(),
            a.get(2).asLong(), a.get(3).asDouble(), a.get(4).asLong()));
      }
      tallies.put(strategy.getKey(), segments);
    }
    Map<String, Separation> separations = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = part.get("separation").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ArrayNode a = array(e.getValue(), 2);
      separations.put(e.getKey(), new Separation(a.get(0).asDouble(), a.get(1).asLong()));
    }
    return new StrategyFigures(tallies, separations);
  }

  private static ArrayNode array(JsonNode n, int size) {
    if (!(n instanceof ArrayNode a) || a.size() != size) {
      throw new IllegalArgumentException("malformed strategies part: expected " + size + " numbers, got " + n);
    }
    for (JsonNode x : a) {
      if (!x.isNumber()) throw new IllegalArgumentException("malformed strategies part: not a number: " + x);
    }
    return a;
  }
}
