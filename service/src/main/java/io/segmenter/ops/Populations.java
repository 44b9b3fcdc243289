package io.segmenter.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global population of each segment: this instance's {@code LocalPopulations} plus
 * GET /internal/populations of every other instance of the application, asked in parallel. An
 * instance that does not answer is left out and the result is marked partial. The same round sums
 * the instances' segment flows of the last hour and day (GET /flows) and, with challengers, their
 * strategies' figures (GET /strategies, {@link StrategyFigures}); an instance of an older version
 * answers without them and is left out of that sum only, as is one that cannot read its stores now.
 */
final class Populations {
  static final String INTERNAL_PATH = "/internal/populations";
  private static final Logger LOG = LoggerFactory.getLogger(Populations.class);

  /**
   * The sum, how many instances were asked (this one included) and how many answered; the flows
   * summed over the {@code flowsAnswered} instances that sent theirs, and the wall clock they end at.
   */
  record Total(Map<Integer, Long> populations, int instances, int answered, FlowsJson.Windows flows,
      int flowsAnswered, long flowsAt, StrategyFigures strategies, int strategiesAnswered) {
    boolean partial() {
      return answered < instances;
    }
  }

  /** One instance's answer: its populations, its flows and its strategies' figures (each null from an older version). */
  record Answer(Map<Integer, Long> populations, FlowsJson.Windows flows, StrategyFigures strategies) { }

  static final long SHARE_MILLIS = 250;

  private final OpsContext ctx;
  private final Forwarder forwarder;
  /** This instance's strategies' figures; null without challengers or while its stores cannot be read. */
  private final java.util.function.Supplier<StrategyFigures> strategies;
  /** The wall clock the flows' windows end at (they count by the minute of emission). */
  private final java.util.function.LongSupplier wall = System::currentTimeMillis;
  private final java.util.concurrent.atomic.AtomicReference<Round> recent = new java.util.concurrent.atomic.AtomicReference<>();

  Populations(OpsContext ctx, Forwarder forwarder, java.util.function.Supplier<StrategyFigures> strategies) {
    this.ctx = ctx;
    this.forwarder = forwarder;
    this.strategies = strategies;
  }

  /** This instance's own populations, as GET /internal/populations answers them. */
  ObjectNode local() {
    ObjectNode root = OpsResponse.MAPPER.createObjectNode();
    root.put("instance", OpsServer.address(ctx.self()));
    root.put("state", ctx.streams().state().toString());
    ObjectNode pops = root.putObject("populations");
    new TreeMap<>(ctx.runtime().populations().snapshot()).forEach((id, n) -> pops.put(String.valueOf(id), n));
    root.set("flows", FlowsJson.internal(FlowsJson.Windows.of(ctx.runtime().flows(), wall.getAsLong())));
    StrategyFigures own = strategies.get();
    if (own != null) root.set("strategies", own.toJson());
    return root;
  }

  /**
   * The populations of all instances. Concurrent calls share one round of peer calls (one in flight,
   * or finished less than {@value #SHARE_MILLIS} ms ago): a burst of /segments requests costs the
   * peers one request each, not one per request.
   */
  CompletableFuture<Total> global(String authorization) {
    return global(authorization, SHARE_MILLIS);
  }

  /**
   * As {@link #global(String)}, sharing any round started less than {@code maxAgeMillis} ago: /map,
   * whose populations only size its circles, takes one as old as its own sample rather than a round
   * of its own beside the page's /segments polls.
   */
  CompletableFuture<Total> global(String authorization, long maxAgeMillis) {
    long now = System.nanoTime();
    Round last = recent.get();
    if (last != null && (!last.total().isDone() || now - last.startedNanos() < maxAgeMillis * 1_000_000L)) {
      return last.total();
    }
    Round round = new Round(now, ask(authorization));
    recent.set(round);
    return round.total();
  }

  private record Round(long startedNanos, CompletableFuture<Total> total) { }

  private CompletableFuture<Total> ask(String authorization) {
    Map<Integer, Long> sum = new TreeMap<>(ctx.runtime().populations().snapshot());
    long flowsAt = wall.getAsLong();
    FlowsJson.Windows ownFlows = FlowsJson.Windows.of(ctx.runtime().flows(), flowsAt);
    StrategyFigures ownStrategies = strategies.get();
    Set<HostInfo> peers = new LinkedHashSet<>();
    boolean metadataKnown;
    try {
      Collection<StreamsMetadata> clients = ctx.streams().metadataForAllStreamsClients();
      for (StreamsMetadata m : clients) {
        HostInfo h = m.hostInfo();
        if (h != null && h.port() > 0 && !h.equals(ctx.self())) peers.add(h);
      }
      metadataKnown = !clients.isEmpty();
    } catch (IllegalStateException | InvalidStateStoreException e) {
      metadataKnown = false; // not started, or shutting down: this instance alone, and say so
    }
    // Without metadata the other instances are unknown: count one missing instance so the answer is partial.
    int instances = 1 + peers.size() + (metadataKnown ? 0 : 1);
    List<CompletableFuture<Answer>> calls = new ArrayList<>();
    for (HostInfo peer : peers) {
      calls.add(forwarder.getJson(peer, INTERNAL_PATH, authorization).thenApply(Populations::parse).exceptionally(e -> {
        LOG.warn("instance {} did not answer {}: {}", OpsServer.address(peer), INTERNAL_PATH, e.toString());
        return null;
      }));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
      int answered = 1;
      int flowsAnswered = 1;
      FlowsJson.Windows flows = ownFlows;
      int strategiesAnswered = ownStrategies == null ? 0 : 1;
      StrategyFigures strategyFigures = ownStrategies == null ? StrategyFigures.NONE : ownStrategies;
      for (CompletableFuture<Answer> call : calls) {
        Answer theirs = call.join();
        if (theirs == null) continue;
        answered++;
        theirs.populations().forEach((id, n) -> sum.merge(id, n, Long::sum));
        if (theirs.flows() != null) {
          flowsAnswered++;
          flows = flows.plus(theirs.flows());
        }
        if (theirs.strategies() != null) {
          strategiesAnswered++;
          strategyFigures = strategyFigures.plus(theirs.strategies());
        }
      }
      return new Total(sum, instances, answered, flows, flowsAnswered, flowsAt, strategyFigures, strategiesAnswered);
    });
  }

  /**
   * An /internal/populations answer: its populations, and its flows when it has them (malformed
   * flows are left out, logged, and do not cost the populations).
   */
  static Answer parse(JsonNode body) {
    Map<Integer, Long> populations = parsePopulations(body);
    FlowsJson.Windows flows;
    try {
      flows = FlowsJson.parseInternal(body);
    } catch (RuntimeException e) {
      LOG.warn("instance {} sent flows that do not parse: {}", body.path("instance").asText("?"), e.toString());
      flows = null;
    }
    StrategyFigures strategyFigures;
    try {
      strategyFigures = StrategyFigures.parse(body);
    } catch (RuntimeException e) {
      LOG.warn("instance {} sent strategy figures that do not parse: {}", body.path("instance").asText("?"), e.toString());
      strategyFigures = null;
    }
    return new Answer(populations, flows, strategyFigures);
  }

  /** The populations of an /internal/populations answer. */
  static Map<Integer, Long> parsePopulations(JsonNode body) {
    JsonNode pops = body.get("populations");
    if (pops == null || !pops.isObject()) throw new IllegalArgumentException("no populations object in the answer");
    Map<Integer, Long> result = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = pops.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      result.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
    }
    return result;
  }
}
