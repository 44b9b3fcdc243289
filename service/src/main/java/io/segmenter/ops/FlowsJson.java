package io.segmenter.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmenter.flows.FlowRing;
import io.segmenter.flows.FlowWindow;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentNamesSeen;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The segment flows in JSON: this instance's windows as {@code /internal/populations} carries them
 * to the other instances (ids only, compact), and GET /flows, their sum over the instances, with the
 * segments' names. Pure: no Kafka, no HTTP.
 */
final class FlowsJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** The name of "no segment" as a flow's {@code from}: a customer's first segment. */
  static final String NEW = "(new)";
  /** The name of "no segment" as a flow's {@code to}: an erasure. */
  static final String ERASED = "(erased)";

  /** The last hour and the last day of one instance, or of several summed. */
  record Windows(FlowWindow hour, FlowWindow day) {
    Windows plus(Windows other) {
      return new Windows(hour.plus(other.hour), day.plus(other.day));
    }

    static Windows of(FlowRing ring, long nowMs) {
      return new Windows(ring.lastHour(nowMs), ring.lastDay(nowMs));
    }
  }

  private FlowsJson() { }

  /** This instance's windows, for {@code /internal/populations}. */
  static ObjectNode internal(Windows w) {
    ObjectNode o = NODES.objectNode();
    o.set("hour", internal(w.hour()));
    o.set("day", internal(w.day()));
    return o;
  }

  private static ObjectNode internal(FlowWindow w) {
    ObjectNode o = NODES.objectNode();
    o.put("since", w.since());
    o.put("bucketMs", w.bucketMs());
    ArrayNode totals = o.putArray("totals");
    for (long t : w.totals()) totals.add(t);
    ArrayNode pairs = o.putArray("pairs");
    for (FlowWindow.Flow f : w.flows()) pairs.addArray().add(f.from()).add(f.to()).add(f.count());
    return o;
  }

  /**
   * The windows of a peer's {@code /internal/populations} answer; null when it has none (an instance
   * of an older version, which counts no flows).
   *
   * @throws IllegalArgumentException when they are there but malformed
   */
  static Windows parseInternal(JsonNode answer) {
    JsonNode flows = answer.get("flows");
    if (flows == null || flows.isNull()) return null;
    return new Windows(window(flows.get("hour")), window(flows.get("day")));
  }

  private static FlowWindow window(JsonNode o) {
    if (o == null || !o.isObject() || !o.path("totals").isArray() || !o.path("pairs").isArray()) {
      throw new IllegalArgumentException("malformed flows in the answer");
    }
    long[] totals = new long[o.get("totals").size()];
    for (int i = 0; i < totals.length; i++) totals[i] = o.get("totals").get(i).asLong();
    List<FlowWindow.Flow> flows = new ArrayList<>();
    for (JsonNode p : o.get("pairs")) flows.add(new FlowWindow.Flow(p.get(0).asInt(), p.get(1).asInt(), p.get(2).asLong()));
    return new FlowWindow(o.path("since").asLong(), o.path("bucketMs").asLong(), totals, flows);
  }

  /**
   * GET /flows: the changes of the last hour and day summed over the instances that answered, as
   * from -> to counts (names from {@code model}, the newest version here; null before the first),
   * the rate over time, and per segment the net change (in minus out).
   *
   * @param instancesAnswered the instances whose flows are in the sum (an older peer answers without)
   */
  static ObjectNode flows(Windows w, ModelSnapshot model, SegmentNamesSeen names, long nowMs, int instances, int instancesAnswered) {
    ObjectNode root = NODES.objectNode();
    root.put("now", Instant.ofEpochMilli(nowMs).toString());
    root.put("instances", instances);
    root.put("instancesAnswered", instancesAnswered);
    root.put("partial", instancesAnswered < instances);
    root.put("counting", "segment changes emitted, by the wall-clock minute of emission on each instance; "
        + "from (new) = a customer's first segment, to (erased) = an erasure");
    ObjectNode windows = root.putObject("windows");
    windows.set("hour", window(w.hour(), model, names));
    windows.set("day", window(w.day(), model, names));
    ObjectNode rate = root.putObject("rate");
    rate.set("hour", rate(w.hour()));
    rate.set("day", rate(w.day()));
    ObjectNode net = root.putObject("net");
    net.set("hour", net(w.hour()));
    net.set("day", net(w.day()));
    return root;
  }

  private static ObjectNode window(FlowWindow w, ModelSnapshot model, SegmentNamesSeen names) {
    ObjectNode o = NODES.objectNode();
    o.put("since", Instant.ofEpochMilli(w.since()).toString());
    o.put("changes", w.changes());
    ArrayNode flows = o.putArray("flows");
    for (FlowWindow.Flow f : w.flows()) {
      ObjectNode flow = flows.addObject();
      flow.set("from", segment(f.from(), NEW, model, names));
      flow.set("to", segment(f.to(), ERASED, model, names));
      flow.put("count", f.count());
    }
    return o;
  }

  private static ObjectNode segment(int id, String none, ModelSnapshot model, SegmentNamesSeen names) {
    ObjectNode o = NODES.objectNode();
    if (id == FlowRing.NONE) {
      o.putNull("id");
      o.put("name", none);
    } else {
      o.put("id", id);
      o.put("name", names.name(model, id));
    }
    return o;
  }

  private static ObjectNode rate(FlowWindow w) {
    ObjectNode o = NODES.objectNode();
    o.put("bucketSeconds", w.bucketMs() / 1000);
    ArrayNode points = o.putArray("points");
    long[] totals = w.totals();
    for (int i = 0; i < totals.length; i++) {
      points.addObject().put("at", Instant.ofEpochMilli(w.bucketStart(i)).toString()).put("changes", totals[i]);
    }
    return o;
  }

  private static ObjectNode net(FlowWindow w) {
    ObjectNode o = NODES.objectNode();
    w.net().forEach((id, n) -> o.put(String.valueOf(id), n));
    return o;
  }
}
