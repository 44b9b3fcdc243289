package io.segmenter.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmenter.topology.Strategies;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /strategies/{name}/promote: checks that the strategy can be promoted here, writes the
 * promotion (one record on the strategy control topic, through {@link Strategies#promote}), then
 * waits until this instance has read it back and made the strategy its champion, so that the caller
 * knows the promotion is in force here when the answer says {@code "applied": true}. Every other
 * instance applies the same record as it reads it; each customer moves at their next evaluation
 * (docs/STRATEGIES.md). The wait polls the runtime every {@value #POLL_MS} ms on a delayed executor,
 * holding no thread, for at most {@link #DEADLINE}; past it the answer is 200 with
 * {@code "applied": false} (the record is written and will be applied: it is not undone).
 */
final class StrategyPromotion {
  static final Duration DEADLINE = Duration.ofSeconds(10);
  static final long POLL_MS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(StrategyPromotion.class);

  private final Strategies strategies;
  private final Executor poll = CompletableFuture.delayedExecutor(POLL_MS, TimeUnit.MILLISECONDS);

  StrategyPromotion(Strategies strategies) {
    this.strategies = strategies;
  }

  CompletableFuture<OpsResponse> promote(String name) {
    if (!strategies.comparing()) return done(StrategyPromotion.noChallengers());
    if (!strategies.names().contains(name)) {
      return done(OpsResponse.error(404, "no strategy named '" + name + "' runs here (strategies: "
          + String.join(", ", strategies.names()) + ")"));
    }
    if (strategies.champion().equals(name)) {
      return done(OpsResponse.error(409, "strategy '" + name + "' is the champion already"));
    }
    if (strategies.holder(name).current() == null) {
      return done(OpsResponse.error(409, "strategy '" + name + "' has no model version on this instance yet: "
          + "it has no segments to promote; try again once its first model version is out"));
    }
    Strategies.Champion written;
    try {
      written = strategies.promote(name);
    } catch (IllegalStateException e) {
      return done(OpsResponse.error(503, e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return done(OpsResponse.unavailable("interrupted while writing the promotion"));
    } catch (Exception e) {
      LOG.warn("the promotion of strategy '{}' could not be written: {}", name, e.toString());
      return done(OpsResponse.unavailable("the promotion could not be written to the strategy control topic ("
          + e.getClass().getSimpleName() + "); nothing changed: try again"));
    }
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    return applied(name, deadline).thenApply(applied -> {
      ObjectNode body = OpsResponse.MAPPER.createObjectNode();
      body.put("champion", name);
      body.put("epoch", written.epoch());
      body.put("applied", applied);
      return OpsResponse.json(200, body);
    });
  }

  /** True once this instance's champion is {@code name}; false at the deadline. */
  private CompletableFuture<Boolean> applied(String name, long deadlineNanos) {
    if (strategies.champion().equals(name)) return CompletableFuture.completedFuture(true);
    if (System.nanoTime() - deadlineNanos >= 0) return CompletableFuture.completedFuture(false);
    return CompletableFuture.supplyAsync(() -> null, poll).thenCompose(ignored -> applied(name, deadlineNanos));
  }

  /** The answer of both routes on an instance that runs no challenger. */
  static OpsResponse noChallengers() {
    return OpsResponse.error(404, "no challenger strategies run here (segmenter.strategy.challengers is empty)");
  }

  private static CompletableFuture<OpsResponse> done(OpsResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
