package io.segmenter.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.evaluation.Assessment;
import io.segmenter.evaluation.CustomerEvaluator;
import io.segmenter.evaluation.EvaluatorSettings;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.ChangeHistory;
import io.segmenter.profile.ChangeHistoryCodec;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.privacy.Pseudonymiser;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.topology.SegmenterTopology;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET /customers/{id}: an interactive query on the profiles store, wherever the customer lives.
 *
 * <ol>
 *   <li>Kafka Streams names the owner of the key ({@code queryMetadataForKey}). No owner known
 *       (starting, rebalancing): 503 with Retry-After.</li>
 *   <li>This instance is the active owner: read its local store (that partition only).</li>
 *   <li>Another instance is: forward the same request to it (header
 *       {@link OpsServer#FORWARDED_HEADER}) and relay its status and body. A forwarded request is
 *       never forwarded again: if the receiver does not own the key either (ownership is moving), it
 *       answers 503, so that two instances with different views of the assignment cannot loop.</li>
 *   <li>The owner does not answer (down, timeout): 503 with Retry-After until another instance takes
 *       over. Only with {@code segmenter.http.stale.reads=true}: fall back to a standby replica of the
 *       partition, this instance's own or a peer's (asked with {@link OpsServer#ALLOW_STALE_HEADER},
 *       which only an authenticated peer may send); such an answer says {@code "stale": true}. Off by
 *       default because a lagging standby may still hold a customer erased moments ago.</li>
 * </ol>
 *
 * <p>"Now" for the feature vector: the {@code at} query parameter (ISO instant or epoch millis) if
 * given, else the application's present as {@link ApplicationClock} estimates it (the newest
 * model's event time, plus the wall time elapsed since under the hybrid clock), never before the
 * customer's newest event. The answer says which ({@code featuresAt}, {@code featuresAtSource}).
 *
 * <p>The answer's {@code history} (left out with {@code segmenter.history.max.changes=0}) comes from the
 * segment-history store of the same task, read on the same replica as the profile.
 *
 * <p>Customer ids are personal data: nothing here logs them, nor the paths that contain them.
 */
final class CustomerQuery {
  private static final Logger LOG = LoggerFactory.getLogger(CustomerQuery.class);
  private static final Serializer<String> KEYS = new StringSerializer();

  private final OpsContext ctx;
  private final Forwarder forwarder;
  private final String self;
  private final ApplicationClock clock;
  private final boolean staleReads;
  private final Pseudonymiser pseudonyms;
  /** Most changes shown: a bound lowered since a history was stored applies at once. */
  private final int historyMax;

  CustomerQuery(OpsContext ctx, Forwarder forwarder, ApplicationClock clock) {
    this.ctx = ctx;
    this.forwarder = forwarder;
    this.clock = clock;
    this.self = OpsServer.address(ctx.self());
    this.staleReads = ctx.config().getBoolean(SegmenterConfig.HTTP_STALE_READS);
    this.pseudonyms = ctx.config().pseudonymiser();
    this.historyMax = ctx.config().getInt(SegmenterConfig.HISTORY_MAX_CHANGES);
  }

  CompletableFuture<OpsResponse> lookup(OpsRequest request, String customerId) {
    Long at = at(request); // validated before any routing: a bad parameter is 400 wherever the key lives
    KafkaStreams streams = ctx.streams();
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      return done(OpsResponse.unavailable("streams are " + state));
    }
    KeyQueryMetadata owner;
    try {
      owner = streams.queryMetadataForKey(SegmenterTopology.PROFILES_STORE, customerId, KEYS);
    } catch (InvalidStateStoreException | IllegalStateException e) {
      return done(OpsResponse.unavailable("streams are " + streams.state()));
    }
    if (owner == null || owner.partition() < 0 || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
      return done(OpsResponse.unavailable("no instance owns the customer's partition now (rebalancing)"));
    }
    if (ctx.self().equals(owner.activeHost())) return done(readLocal(customerId, owner.partition(), false, at));
    if (request.forwarded()) {
      if (staleReads && request.staleAllowed() && owner.standbyHosts().contains(ctx.self())) {
        return done(readLocal(customerId, owner.partition(), true, at));
      }
      return done(OpsResponse.unavailable("forwarded here, but the customer's partition is owned by another "
          + "instance now (ownership is moving)"));
    }
    HostInfo active = owner.activeHost();
    return forwarder.forward(active, request, Map.of())
        .exceptionallyCompose(e -> {
          LOG.warn("instance {} did not answer a forwarded customer query: {}", OpsServer.address(active),
              cause(e).getClass().getSimpleName());
          return fromStandby(request, customerId, owner, at);
        });
  }

  private CompletableFuture<OpsResponse> fromStandby(OpsRequest request, String customerId, KeyQueryMetadata owner,
      Long at) {
    if (!staleReads) {
      return done(OpsResponse.unavailable("the instance that owns the customer (" + OpsServer.address(owner.activeHost())
          + ") does not answer; another will take over (stale reads from standby replicas are off)"));
    }
    if (owner.standbyHosts().contains(ctx.self())) return done(readLocal(customerId, owner.partition(), true, at));
    return askStandbys(request, new ArrayList<>(owner.standbyHosts()), 0, owner.activeHost());
  }

  /** Asks the standbys one after the other, the next only when the previous one does not answer. */
  private CompletableFuture<OpsResponse> askStandbys(OpsRequest request, List<HostInfo> standbys, int i,
      HostInfo active) {
    if (i >= standbys.size()) {
      return done(OpsResponse.unavailable("the instance that owns the customer (" + OpsServer.address(active)
          + ") does not answer, and no standby replica does"));
    }
    return forwarder.forward(standbys.get(i), request, Map.of(OpsServer.ALLOW_STALE_HEADER, "1"))
        .exceptionallyCompose(e -> askStandbys(request, standbys, i + 1, active));
  }

  /** Reads the local store (active, or a standby's stale copy); 404 when the customer is unknown. */
  private OpsResponse readLocal(String customerId, int partition, boolean stale, Long at) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> query = StoreQueryParameters
        .fromNameAndType(SegmenterTopology.PROFILES_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
        .withPartition(partition);
    if (stale) query = query.enableStaleStores();
    // The input is partitioned by the raw id (the producers' key), which placed the customer on this
    // partition; the stores hold the pseudonym when ids are pseudonymised.
    String key = pseudonyms.pseudonymise(customerId);
    byte[] bytes;
    try {
      bytes = ctx.streams().store(query).get(key);
    } catch (InvalidStateStoreException e) {
      return OpsResponse.unavailable("the customer's partition is not queryable here now (" + e.getClass().getSimpleName()
          + ")").withHeader(OpsServer.SERVED_BY_HEADER, self);
    }
    if (bytes == null) return OpsResponse.error(404, "customer not found").withHeader(OpsServer.SERVED_BY_HEADER, self);
    CustomerProfile profile = ProfileCodec.decode(bytes);
    ModelSnapshot model = ctx.runtime().model().current();
    long now = at != null ? at : clock.nowFor(profile, model, System.currentTimeMillis());
    // One evaluator per request (it caches per model version and is not shared between threads).
    EvaluatorSettings settings = ctx.config().evaluatorSettings();
    Assessment assessment = new CustomerEvaluator(settings).assess(profile, model, now);
    ObjectNode body = JsonViews.customer(customerId, profile, model, now, assessment, settings.profile(),
        ctx.config().getString(SegmenterConfig.CURRENCY), settings.clv());
    if (historyMax > 0) body.set("history", JsonViews.history(history(query, key), model, ctx.runtime().segmentNames()));
    body.put("featuresAtSource", at != null ? "parameter" : "application-clock");
    body.put("servedBy", self);
    body.put("stale", stale);
    return OpsResponse.json(200, body).withHeader(OpsServer.SERVED_BY_HEADER, self);
  }

  /**
   * The customer's change history from the same partition (and the same replica, active or standby)
   * as the profile, by the customer's store key; empty when none is stored or it cannot be read (the rest of the answer stands).
   */
  private ChangeHistory history(StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> profileQuery,
      String key) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> query = StoreQueryParameters
        .fromNameAndType(SegmenterTopology.HISTORY_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
        .withPartition(profileQuery.partition());
    if (profileQuery.staleStoresEnabled()) query = query.enableStaleStores();
    try {
      byte[] bytes = ctx.streams().store(query).get(key);
      return bytes == null ? ChangeHistory.EMPTY : ChangeHistoryCodec.decode(bytes).newest(historyMax);
    } catch (InvalidStateStoreException | IllegalArgumentException e) {
      LOG.warn("a customer's change history could not be read: {}", e.getClass().getSimpleName());
      return ChangeHistory.EMPTY;
    }
  }

  /** The {@code at} parameter: an ISO-8601 instant or epoch milliseconds; null when absent. */
  static Long at(OpsRequest request) {
    String value = request.query().get("at");
    if (value == null || value.isEmpty()) return null;
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException notMillis) {
      try {
        return Instant.parse(value).toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new OpsRequest.BadRequest("parameter 'at' must be an ISO-8601 instant or epoch milliseconds");
      }
    }
  }

  private static Throwable cause(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
