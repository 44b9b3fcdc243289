package io.segmenter.ops;

import io.segmenter.evaluation.EvaluatorSettings;
import io.segmenter.map.MapProjection;
import io.segmenter.model.Centre;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.topology.SegmenterTopology;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * GET /map: the model's centres and a sample of this instance's customers on the two principal axes
 * of the model's standardised space.
 *
 * <p>The sample comes from one scan of every profile in the active tasks of this instance (not the
 * standbys), kept for {@value #REFRESH_MS} ms and taken again sooner when a new model version
 * arrives: a scan reads every local profile, so the page's polling must not cause one per request.
 * The axes are fitted once per model version, on the first sample's customers plus the centres
 * (the centres alone while no sample could be taken, fitted again with the first sample), and then
 * kept for that version, so that points move only when customers do. Another instance fits its own
 * axes on its own sample: a page whose polls go to different instances sees similar, not identical,
 * pictures ({@code sample.instance} says which).
 */
final class SegmentMap {
  static final long REFRESH_MS = 10_000;

  private final OpsContext ctx;
  private final Populations populations;
  private final ApplicationClock clock;
  private final LongSupplier wall;
  private final EvaluatorSettings settings;
  /** Per process: which customers are shown is not guessable from their ids, and stays put while it runs. */
  private final long salt = new SecureRandom().nextLong();
  private MapSample sample;
  private Fitted fitted;

  /** The axes of one model version, and whether a sample of customers was in the fit. */
  private record Fitted(long version, MapProjection projection, boolean withCustomers) { }

  SegmentMap(OpsContext ctx, Populations populations, ApplicationClock clock, LongSupplier wall) {
    this.ctx = ctx;
    this.populations = populations;
    this.clock = clock;
    this.wall = wall;
    this.settings = ctx.config().evaluatorSettings();
  }

  CompletableFuture<OpsResponse> answer(String authorization) {
    ModelSnapshot model = ctx.runtime().model().current();
    if (model == null) return CompletableFuture.completedFuture(OpsResponse.json(404, JsonViews.noModel()));
    MapSample s;
    MapProjection projection;
    synchronized (this) {
      s = sample(model);
      projection = projection(model, s);
    }
    String currency = ctx.config().getString(io.segmenter.config.SegmenterConfig.CURRENCY);
    return populations.global(authorization, REFRESH_MS).thenApply(t -> OpsResponse.json(200,
        MapJson.map(model, projection, s, t, OpsServer.address(ctx.self()), settings.clvEnabled(), currency)));
  }

  /** The cached sample, or a new one when it is from another model version or {@value #REFRESH_MS} ms old. */
  private MapSample sample(ModelSnapshot model) {
    long now = wall.getAsLong();
    // An unavailable sample is never kept (below), so a kept one is always a real one.
    if (sample != null && sample.modelVersion() == model.version()
        && now - sample.takenAtMs() < REFRESH_MS) {
      return sample;
    }
    StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> query = StoreQueryParameters
        .fromNameAndType(SegmenterTopology.PROFILES_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore());
    try (KeyValueIterator<String, byte[]> all = ctx.streams().store(query).all()) {
      sample = MapSample.take(all, model, settings, p -> clock.nowFor(p, model, now), MapSample.SIZE, salt, now);
    } catch (InvalidStateStoreException e) {
      // Not running yet, rebalancing, or shutting down: the centres alone, and say why. Not kept.
      return MapSample.unavailable(model, now, "this instance's customers cannot be read now (streams are "
          + ctx.streams().state() + ")");
    }
    return sample;
  }

  /**
   * The axes of this version: fitted on the sample's customers plus the centres (the customers say
   * where the mass is, the centres make sure every segment is in the picture); on the centres alone
   * while there is no sample, and fitted again once there is one.
   */
  // Called under answer()'s lock; package-private for the test of the axes' lifetime.
  synchronized MapProjection projection(ModelSnapshot model, MapSample s) {
    boolean withCustomers = !s.sampled().isEmpty();
    if (fitted != null && fitted.version() == model.version() && (fitted.withCustomers() || !withCustomers)) {
      return fitted.projection();
    }
    List<double[]> points = new ArrayList<>();
    for (MapSample.Customer c : s.sampled()) points.add(c.z());
    for (Centre c : model.kmeans().centres()) points.add(c.position());
    fitted = new Fitted(model.version(), MapProjection.fit(points, Features.DIMENSION), withCustomers);
    return fitted.projection();
  }
}
