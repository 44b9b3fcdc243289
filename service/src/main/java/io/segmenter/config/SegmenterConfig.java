package io.segmenter.config;

import io.segmenter.clv.ClvModel;
import io.segmenter.clv.ClvParametersFile;
import io.segmenter.clv.ClvSettings;
import io.segmenter.evaluation.EvaluatorSettings;
import io.segmenter.model.ModelAggregator;
import io.segmenter.strategy.StrategySpec;
import io.segmenter.privacy.Pseudonymiser;
import io.segmenter.profile.ProfileConfig;
import io.segmenter.serde.registry.SchemaRegistryClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Every setting of segmenter, validated at start-up: a wrong value fails fast with Kafka's
 * {@code ConfigException}, which names the key and the accepted values. Settings that are not
 * segmenter's own are passed through to Kafka Streams (and its clients) unchanged.
 */
public final class SegmenterConfig extends AbstractConfig {
  public static final String SCHEMA_REGISTRY_URL = SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG;

  public static final String TOPIC_CLICKS = "segmenter.topic.clicks";
  public static final String TOPIC_ORDERS = "segmenter.topic.orders";
  public static final String TOPIC_SEGMENT_CHANGES = "segmenter.topic.segment.changes";
  public static final String TOPIC_CUSTOMER_SEGMENTS = "segmenter.topic.customer.segments";
  public static final String TOPIC_SEGMENT_CATALOG = "segmenter.topic.segment.catalog";
  public static final String TOPIC_MODEL_DELTAS = "segmenter.topic.model.deltas";
  public static final String TOPIC_MODEL = "segmenter.topic.model";
  public static final String TOPIC_DLQ = "segmenter.topic.dlq";
  public static final String TOPIC_ERASURES = "segmenter.topic.erasures";
  public static final String TOPIC_STRATEGY = "segmenter.topic.strategy";
  public static final String TOPIC_OUTCOMES = "segmenter.topic.outcomes";
  public static final String OUTCOMES_MAX_CAMPAIGNS = "segmenter.outcomes.max.campaigns";
  public static final String STRATEGY_CHALLENGERS = "segmenter.strategy.challengers";
  public static final String STRATEGY_CHAMPION = "segmenter.strategy.champion";

  public static final String MODEL_K = "segmenter.model.k";
  public static final String MODEL_K_MIN = "segmenter.model.k.min";
  public static final String MODEL_K_MAX = "segmenter.model.k.max";
  public static final String MODEL_PANEL_CUSTOMERS = "segmenter.model.panel.customers";
  public static final String MODEL_SEED = "segmenter.model.seed";
  public static final String MODEL_DECAY_FACTOR = "segmenter.model.decay.factor";
  public static final String MODEL_WARMUP_POINTS = "segmenter.model.warmup.points";
  public static final String MODEL_MIN_BATCH_POINTS = "segmenter.model.min.batch.points";
  public static final String MODEL_MAX_INTERVAL_MS = "segmenter.model.max.interval.ms";
  public static final String MODEL_DEAD_AFTER_VERSIONS = "segmenter.model.dead.after.versions";
  public static final String MODEL_REFRESH_EVERY = "segmenter.model.refresh.every.versions";
  public static final String MODEL_REFRESH_SAMPLE = "segmenter.model.refresh.sample.points";
  public static final String MODEL_DELTA_POINTS = "segmenter.model.delta.points";
  public static final String MODEL_DELTA_INTERVAL_MS = "segmenter.model.delta.interval.ms";
  public static final String MODEL_SAMPLE_INTERVAL_MS = "segmenter.model.sample.interval.ms";
  public static final String MODEL_BACKGROUND = "segmenter.model.background";

  public static final String SEGMENT_HYSTERESIS = "segmenter.segment.hysteresis.margin";
  public static final String SEGMENT_ACTIVE_DAYS = "segmenter.segment.active.days";
  public static final String PROFILE_HALF_LIFE_MS = "segmenter.profile.half.life.ms";
  public static final String PROFILE_SESSION_MEMORY = "segmenter.profile.session.memory";
  public static final String PROFILE_CATEGORY_LIMIT = "segmenter.profile.category.limit";
  public static final String PROFILE_NO_ACTIVITY_DAYS = "segmenter.profile.no.activity.days";
  public static final String INACTIVITY_RECHECK_MS = "segmenter.inactivity.recheck.interval.ms";
  public static final String INACTIVITY_PUNCTUATE_MS = "segmenter.inactivity.punctuate.interval.ms";
  public static final String INACTIVITY_STREAM_PUNCTUATE_MS = "segmenter.inactivity.stream.punctuate.interval.ms";
  public static final String INACTIVITY_MAX_PER_TICK = "segmenter.inactivity.max.per.tick";
  public static final String DEDUP_TTL_MS = "segmenter.dedup.ttl.ms";
  public static final String DEDUP_MAX_IDS = "segmenter.dedup.max.ids";
  public static final String PROFILES_REMEMBERED = "segmenter.profiles.remembered";
  public static final String HISTORY_MAX_CHANGES = "segmenter.history.max.changes";
  public static final String CLOCK = "segmenter.clock";
  public static final String CLOCK_MAX_AHEAD_MS = "segmenter.clock.max.ahead.ms";
  public static final String CURRENCY = "segmenter.currency";
  public static final String MAX_FUTURE_MS = "segmenter.validation.max.future.ms";
  public static final String MIN_EVENT_TIME = "segmenter.validation.min.event.time";
  public static final String MAX_AMOUNT = "segmenter.validation.max.amount";
  public static final String PSEUDONYMISE_KEY_FILE = "segmenter.privacy.pseudonymise.key.file";

  public static final String CLV_ENABLED = "segmenter.clv.enabled";
  public static final String CLV_PARAMETERS_FILE = "segmenter.clv.parameters.file";
  public static final String CLV_HORIZON_DAYS = "segmenter.clv.horizon.days";
  public static final String CLV_MONTHLY_DISCOUNT = "segmenter.clv.monthly.discount.rate";
  public static final String CLV_CHURN_P_ALIVE = "segmenter.clv.churn.p.alive";
  public static final String CLV_CHURN_HYSTERESIS = "segmenter.clv.churn.hysteresis";
  public static final String CLV_STABLE_P_ALIVE = "segmenter.clv.stable.p.alive";
  public static final String CLV_HIGH_VALUE_QUANTILE = "segmenter.clv.high.value.quantile";
  public static final String CLV_NEW_DAYS = "segmenter.clv.new.days";
  public static final String CLV_RESERVOIR_SIZE = "segmenter.clv.reservoir.size";
  public static final String CLV_FIT_MIN_CUSTOMERS = "segmenter.clv.fit.min.customers";
  public static final String CLV_FIT_EVERY_VERSIONS = "segmenter.clv.fit.every.versions";
  public static final String CLV_SUMMARIES_PER_DELTA = "segmenter.clv.summaries.per.delta";

  public static final String HTTP_PORT = "segmenter.http.port";
  public static final String HTTP_HOST = "segmenter.http.host";
  public static final String HTTP_ADVERTISED_HOST = "segmenter.http.advertised.host";
  public static final String HTTP_READ_TIMEOUT_MS = "segmenter.http.read.timeout.ms";
  public static final String HTTP_API_THREADS = "segmenter.http.api.threads";
  public static final String HTTP_API_IN_FLIGHT = "segmenter.http.api.in.flight.max";
  public static final String HTTP_ACCESS_CONTROL = "segmenter.http.access.control";
  public static final String HTTP_TOKENS_FILE = "segmenter.http.tokens.file";
  public static final String HTTP_CERTIFICATE_ROLES_FILE = "segmenter.http.certificate.roles.file";
  public static final String HTTP_PEER_SECRET_FILE = "segmenter.http.peer.secret.file";
  public static final String HTTP_STALE_READS = "segmenter.http.stale.reads";
  public static final String HTTP_AUDIT = "segmenter.http.audit";
  public static final String HTTP_TLS_KEYSTORE = "segmenter.http.tls.keystore.file";
  public static final String HTTP_TLS_KEYSTORE_PASSWORD = "segmenter.http.tls.keystore.password";
  public static final String HTTP_TLS_CERTIFICATE = "segmenter.http.tls.certificate.file";
  public static final String HTTP_TLS_KEY = "segmenter.http.tls.key.file";
  public static final String HTTP_TLS_TRUST = "segmenter.http.tls.truststore.file";
  public static final String HTTP_TLS_TRUST_PASSWORD = "segmenter.http.tls.truststore.password";
  public static final String HTTP_TLS_CLIENT_AUTH = "segmenter.http.tls.client.auth";
  public static final String TOPICS_CREATE = "segmenter.topics.create";
  public static final String TOPICS_PARTITIONS = "segmenter.topics.partitions";
  public static final String TOPICS_REPLICATION = "segmenter.topics.replication.factor";
  /** Names (and prefixes ending in '.') that pass to Kafka although no ConfigDef lists them. */
  public static final String SETTINGS_PASS_THROUGH = "segmenter.settings.pass.through";
  /** Events older than this at emission are counted as stale, not put in the latency histogram. */
  public static final String METRICS_LIVE_MAX_AGE_MS = "segmenter.metrics.live.max.age.ms";

  public static final String THREAD_BACKOFF_INITIAL_MS = "segmenter.thread.replace.backoff.initial.ms";
  public static final String THREAD_BACKOFF_MAX_MS = "segmenter.thread.replace.backoff.max.ms";
  public static final String THREAD_FAILURES_MAX = "segmenter.thread.failures.max";
  public static final String THREAD_FAILURES_WINDOW_MS = "segmenter.thread.failures.window.ms";
  public static final String CONNECT_TIMEOUT_MS = "segmenter.connect.timeout.ms";

  /** Kafka Streams' application.id when none is given: the consumer group and the internal topics' prefix. */
  public static final String DEFAULT_APPLICATION_ID = "segmenter";
  /**
   * Settings whose default is derived from application.id (they are empty in {@link #CONFIG} and
   * filled in by {@link #postProcessParsedConfig}); the value is the suffix after the id. Like Kafka
   * Streams' own internal topics, the model topics belong to one deployment: a second application.id
   * on the same cluster gets its own instead of reading the first one's model.
   */
  public static final Map<String, String> DERIVED_TOPIC_SUFFIXES = Map.of(
      TOPIC_MODEL_DELTAS, "-model-deltas",
      TOPIC_MODEL, "-model",
      TOPIC_STRATEGY, "-strategy");

  public static final String CLOCK_HYBRID = "hybrid";
  public static final String CLOCK_EVENT = "event";

  private static final long DAY = Duration.ofDays(1).toMillis();

  private final Pseudonymiser pseudonymiser;

  public static final ConfigDef CONFIG = new ConfigDef()
      .define(SCHEMA_REGISTRY_URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "Confluent-compatible schema registry URL(s), comma separated.")
      .define(TOPIC_CLICKS, Type.STRING, "clicks", nonBlank(), Importance.HIGH, "Input topic of ClickEvent, keyed by customer id.")
      .define(TOPIC_ORDERS, Type.STRING, "orders", nonBlank(), Importance.HIGH, "Input topic of OrderEvent, keyed by customer id.")
      .define(TOPIC_SEGMENT_CHANGES, Type.STRING, "segment-changes", nonBlank(), Importance.HIGH,
          "Output: one SegmentChange per real change of a customer's segment.")
      .define(TOPIC_CUSTOMER_SEGMENTS, Type.STRING, "customer-segments", nonBlank(), Importance.HIGH,
          "Output (compacted): the current CustomerSegment of every customer.")
      .define(TOPIC_SEGMENT_CATALOG, Type.STRING, "segment-catalog", nonBlank(), Importance.HIGH,
          "Output (compacted, one partition): a SegmentCatalogEntry per segment id: name, description, centre, estimated population, "
              + "plain rules and history; a rename or merge is a new entry. Join segment-changes with it on the segment id.")
      .define(TOPIC_MODEL_DELTAS, Type.STRING, "", emptyOrNonBlank(), Importance.MEDIUM,
          "Internal: mini-batch statistics from every task; must have exactly ONE partition (checked at start-up). "
              + "Empty = `<application.id>-model-deltas`, so that every deployment has its own.")
      .define(TOPIC_MODEL, Type.STRING, "", emptyOrNonBlank(), Importance.MEDIUM,
          "Internal: the model versions, read by every instance as a global store; must have exactly ONE partition "
              + "and cleanup.policy compact (checked at start-up). Empty = `<application.id>-model`, so that every "
              + "deployment has its own.")
      .define(TOPIC_DLQ, Type.STRING, "segmenter-dlq", nonBlank(), Importance.MEDIUM,
          "Dead-letter topic: input that cannot be processed (undecodable, impossible values, processing errors), "
              + "with the original bytes and headers saying why, where from and when.")
      .define(TOPIC_ERASURES, Type.STRING, "erasure-requests", nonBlank(), Importance.HIGH,
          "Input topic of ErasureRequest (GDPR/CCPA), keyed by customer id, partitioned like the event topics: "
              + "each request deletes everything segmenter holds about the customer.")
      .define(TOPIC_STRATEGY, Type.STRING, "", emptyOrNonBlank(), Importance.LOW,
          "Internal (compacted, one partition): which strategy is the champion, one record per promotion; read by every "
              + "instance as a global store. Used only with " + "segmenter.strategy.challengers" + ". Empty = `<application.id>-strategy`.")
      .define(STRATEGY_CHALLENGERS, Type.STRING, "", Importance.MEDIUM,
          "Challenger strategies run beside the champion on the same stream, each with its own model (docs/STRATEGIES.md): "
              + "at most 2, separated by ';', each `name: key=value ...` with keys k, k.min, k.max, decay.factor, "
              + "refresh.every.versions, seed overriding the segmenter.model.* settings, e.g. `k4: k=4; wide: k.min=3 k.max=10`. "
              + "The segmenter.model.* settings themselves are the strategy named `default`. Empty = no challengers.")
      .define(TOPIC_OUTCOMES, Type.STRING, "", emptyOrNonBlank("empty (no such input)"), Importance.MEDIUM,
          "Optional input topic of CampaignOutcome (a campaign delivered, opened, clicked, converted), keyed by customer "
              + "id and partitioned like the event topics: counted per strategy, segment and campaign in the "
              + "campaign-outcomes store (docs/STRATEGIES.md). Empty = no such input; the topology is as without it.")
      .define(OUTCOMES_MAX_CAMPAIGNS, Type.INT, 100, Range.between(1, 10_000), Importance.LOW,
          "Campaigns each task counts under their own name (the first it sees); outcomes of later campaigns are counted "
              + "under '(other)', so that the campaign-outcomes store and the answers built from it stay bounded.")
      .define(STRATEGY_CHAMPION, Type.STRING, "default", nonBlank(), Importance.MEDIUM,
          "The strategy whose segments go to segment-changes and customer-segments: `default` or a challenger's name. "
              + "Changing it (and restarting) promotes that strategy; so does POST /strategies/{name}/promote. "
              + "The latest of the two wins (docs/STRATEGIES.md).")
      .define(MODEL_K, Type.INT, 0, Range.between(0, 64), Importance.HIGH,
          "Number of segments (k of k-means). 0 = chosen by the model: at each refresh, the k in [segmenter.model.k.min, segmenter.model.k.max] "
              + "with the best mean silhouette on the customer panel (docs/SEGMENT-NAMES.md). Centres too close to deserve two names merge, so a version may have fewer segments.")
      .define(MODEL_K_MIN, Type.INT, 5, Range.between(1, 64), Importance.LOW,
          "Smallest k the model may choose when segmenter.model.k is 0.")
      .define(MODEL_K_MAX, Type.INT, 8, Range.between(1, 64), Importance.LOW,
          "Largest k the model may choose when segmenter.model.k is 0.")
      .define(MODEL_PANEL_CUSTOMERS, Type.INT, 5000, Range.between(1, 50_000), Importance.LOW,
          "Customers in the model's panel: the latest point of the customers with the smallest keyed hashes of their ids, "
              + "which the refresh clusters, k is chosen on and the explanation tree is fitted to. The same customers whatever the timing, "
              + "so that two runs over the same data agree. Kept in the aggregator's store, one record per customer (about 150 bytes).")
      .define(MODEL_SEED, Type.LONG, 42L, Importance.LOW, "Seed of k-means++ and re-seeding: same seed, same deltas, same model.")
      .define(MODEL_DECAY_FACTOR, Type.DOUBLE, 0.95, Range.between(0.01, 1.0), Importance.MEDIUM,
          "Forgetting factor applied to centre weights and feature statistics at each model version (1 = never forget).")
      .define(MODEL_WARMUP_POINTS, Type.INT, 1000, Range.atLeast(1), Importance.MEDIUM,
          "Training points gathered before k-means++ builds the first model.")
      .define(MODEL_MIN_BATCH_POINTS, Type.LONG, 2000L, Range.atLeast(1), Importance.MEDIUM,
          "Training points merged before the aggregator cuts a new model version.")
      .define(MODEL_MAX_INTERVAL_MS, Type.LONG, Duration.ofHours(6).toMillis(), Range.atLeast(1), Importance.LOW,
          "Event time after which pending points make a new version even below the batch size.")
      .define(MODEL_DEAD_AFTER_VERSIONS, Type.LONG, 50L, Range.atLeast(1), Importance.LOW,
          "A centre that received no point in this many versions is dead and re-seeded with a new id.")
      .define(MODEL_REFRESH_EVERY, Type.INT, 10, Range.atLeast(0), Importance.LOW,
          "Every this many versions, batch k-means on the customer panel (the batch's sample while the panel is small) re-anchors the centres when tighter, choosing k again when segmenter.model.k is 0 (0 = never; see ModelRefresh).")
      .define(MODEL_REFRESH_SAMPLE, Type.INT, 2000, Range.between(1, 5_000), Importance.LOW,
          "Points per model batch kept for the refresh. They travel in the model deltas and in the aggregator's state record (about 120 bytes each): at most 5,000, so that one record stays under Kafka's default 1 MB message size.")
      .define(MODEL_DELTA_POINTS, Type.INT, 500, Range.atLeast(1), Importance.LOW,
          "Training points a task gathers before it sends a delta to the aggregator.")
      .define(MODEL_DELTA_INTERVAL_MS, Type.LONG, 5000L, Range.atLeast(1), Importance.LOW,
          "Wall-clock interval after which a task sends a non-empty delta anyway.")
      .define(MODEL_SAMPLE_INTERVAL_MS, Type.LONG, DAY, Range.atLeast(0), Importance.LOW,
          "A customer contributes at most one training point per this much event time, so busy customers do not dominate the model.")
      .define(MODEL_BACKGROUND, Type.BOOLEAN, true, Importance.LOW,
          "Computes each model version (update, refresh, choice of k, names, predictive fit) on a thread of the model"
              + " aggregator's own, so that the stream thread that runs the aggregator's task goes on with its customers'"
              + " events meanwhile; the deltas that arrive during it wait in the aggregator's state. The versions are the"
              + " same either way. false computes them on the stream thread (tests that drive the topology step by step).")
      .define(SEGMENT_HYSTERESIS, Type.DOUBLE, 0.1, Range.between(0.0, 0.99), Importance.MEDIUM,
          "A customer moves only when the new centre is closer than the current one by this fraction.")
      .define(SEGMENT_ACTIVE_DAYS, Type.DOUBLE, 90.0, Range.atLeast(1), Importance.MEDIUM,
          "A customer whose last order is older than this many days is never put in a Champions-like segment (Champions, Loyal): those names promise recent buyers.")
      .define(PROFILE_HALF_LIFE_MS, Type.LONG, 30 * DAY, Range.atLeast(1), Importance.MEDIUM,
          "Half-life of the decayed order count and spend.")
      .define(PROFILE_SESSION_MEMORY, Type.INT, 16, Range.between(1, 1024), Importance.LOW,
          "Recent session ids remembered per customer (bounds the profile; see docs/FEATURES.md).")
      .define(PROFILE_CATEGORY_LIMIT, Type.INT, 64, Range.between(1, 4096), Importance.LOW,
          "Distinct categories counted per customer before the count saturates.")
      .define(PROFILE_NO_ACTIVITY_DAYS, Type.DOUBLE, 365.0, Range.atLeast(1), Importance.LOW,
          "Recency (days) used for a customer who never ordered / never visited.")
      .define(INACTIVITY_RECHECK_MS, Type.LONG, DAY, Range.atLeast(1), Importance.MEDIUM,
          "A customer is re-evaluated this long (segmenter clock) after their last evaluation, even without events.")
      .define(INACTIVITY_PUNCTUATE_MS, Type.LONG, 60_000L, Range.atLeast(1), Importance.LOW,
          "Wall-clock interval of the punctuator that re-evaluates due customers.")
      .define(INACTIVITY_STREAM_PUNCTUATE_MS, Type.LONG, Duration.ofHours(1).toMillis(), Range.atLeast(1), Importance.LOW,
          "Stream-time interval of the same punctuator, so that due customers are re-evaluated during a fast replay too.")
      .define(INACTIVITY_MAX_PER_TICK, Type.INT, 10_000, Range.atLeast(1), Importance.LOW,
          "Most customers re-evaluated per punctuation, so one tick cannot stall the stream thread.")
      .define(DEDUP_TTL_MS, Type.LONG, 7 * DAY, Range.atLeast(1), Importance.MEDIUM,
          "How long (event time) an event id / order id is remembered to drop retried duplicates.")
      .define(PROFILES_REMEMBERED, Type.INT, 2000, Range.between(0, 1_000_000), Importance.LOW,
          "Decoded profiles each stream task keeps in memory (the customers it wrote most recently, about 1-4 kB each), "
              + "so that a customer's next event skips decoding the stored bytes; under exactly-once also how many changed "
              + "profiles wait to be encoded and written once, at the next commit, however many steps changed them (past "
              + "that the one changed longest ago is written at once). 0 = decode every time and write at every step.")
      .define(DEDUP_MAX_IDS, Type.INT, 256, Range.between(1, 100_000), Importance.LOW,
          "Most event ids remembered per customer (in the profile, about 12 bytes each): past it the oldest is forgotten "
              + "before its TTL (counted in segmenter_dedup_ids_forgotten_early_total), and a retry of it is processed again.")
      .define(HISTORY_MAX_CHANGES, Type.INT, 20, Range.between(0, 1_000), Importance.LOW,
          "Most segment changes kept per customer (newest first, about 20 bytes each, in the segment-history store) for the "
              + "'history' of GET /customers/{id}; 0 = none: the answer has no history, nothing is stored, and a history "
              + "stored before is deleted at the customer's next change.")
      .define(CLOCK, Type.STRING, CLOCK_HYBRID, ValidString.in(CLOCK_HYBRID, CLOCK_EVENT), Importance.MEDIUM,
          "What 'now' is: hybrid = stream time advanced by the wall clock while the stream is idle; event = stream time only.")
      .define(CLOCK_MAX_AHEAD_MS, Type.LONG, 300_000L, Range.atLeast(0), Importance.LOW,
          "How far past the wall clock one event may move a task's 'now': an event stamped later (a producer's clock running fast) "
              + "is processed at its own time for its own customer only, so it cannot make every other customer look inactive.")
      .define(CURRENCY, Type.STRING, "EUR", nonBlank(), Importance.HIGH,
          "The one currency spend is summed in; orders in another currency go to the dead-letter topic.")
      .define(MAX_FUTURE_MS, Type.LONG, DAY, Range.atLeast(0), Importance.LOW,
          "Events stamped further than this in the future (wall clock) are rejected to the dead-letter topic.")
      .define(MIN_EVENT_TIME, Type.STRING, "2000-01-01T00:00:00Z", instant(), Importance.LOW,
          "Events that happened before this instant (ISO-8601, UTC) are rejected to the dead-letter topic: "
              + "a time that old is a broken clock or a unit error, not history.")
      .define(MAX_AMOUNT, Type.DOUBLE, 1_000_000.0, Range.atLeast(0), Importance.LOW,
          "Order amounts and prices above this (in segmenter.currency) are rejected to the dead-letter topic as absurd.")
      .define(PSEUDONYMISE_KEY_FILE, Type.STRING, "", Importance.MEDIUM,
          "File holding the key (at least 32 bytes; trailing line breaks ignored; e.g. a mounted Kubernetes Secret) with "
              + "which customer ids are replaced by keyed HMAC-SHA256 pseudonyms (p1:...) as they enter the topology: stores, "
              + "changelogs and output topics then hold no raw id (input and dead-letter topics still do). Empty = raw ids. "
              + "A new key, or turning this on or off, starts a new identity space: rebuild the state (see docs/PRIVACY.md).")
      .define(CLV_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
          "Predictive scores (BG/NBD P(alive), expected purchases, Gamma-Gamma CLV) and predictive segments.")
      .define(CLV_PARAMETERS_FILE, Type.STRING, "", Importance.MEDIUM,
          "JSON file of fixed model parameters (as printed by `java -jar tools/target/segmenter-tools.jar clv fit FILE --json`); "
              + "empty = fit them in the service from the reservoir.")
      .define(CLV_HORIZON_DAYS, Type.DOUBLE, 365.0, Range.between(1, 36_500), Importance.MEDIUM,
          "Horizon of the CLV, in days (summed in 30-day steps).")
      .define(CLV_MONTHLY_DISCOUNT, Type.DOUBLE, 0.01, Range.between(0, 1), Importance.LOW,
          "Discount rate per 30-day step of the CLV (0.01 = about 12.7% a year).")
      .define(CLV_CHURN_P_ALIVE, Type.DOUBLE, 0.3, Range.between(0.001, 0.999), Importance.MEDIUM,
          "A customer who bought again at least once enters \"high churn risk\" when P(alive) falls below this.")
      .define(CLV_CHURN_HYSTERESIS, Type.DOUBLE, 0.05, Range.between(0, 0.5), Importance.LOW,
          "... and leaves it only when P(alive) rises above the threshold plus this margin.")
      .define(CLV_STABLE_P_ALIVE, Type.DOUBLE, 0.7, Range.between(0.001, 1), Importance.LOW,
          "\"High value, stable\" needs at least this P(alive).")
      .define(CLV_HIGH_VALUE_QUANTILE, Type.DOUBLE, 0.8, Range.between(0.01, 0.99), Importance.MEDIUM,
          "\"High value\" means a CLV at least this quantile of the CLVs of the fit sample.")
      .define(CLV_NEW_DAYS, Type.DOUBLE, 90.0, Range.atLeast(1), Importance.LOW,
          "\"New, with potential\" is for customers whose first purchase is at most this many days old.")
      .define(CLV_RESERVOIR_SIZE, Type.INT, 5000, Range.between(10, 100_000), Importance.LOW,
          "Customer summaries the model aggregator keeps to fit the parameters (uniform reservoir sample).")
      .define(CLV_FIT_MIN_CUSTOMERS, Type.INT, 500, Range.atLeast(10), Importance.LOW,
          "Summaries needed before the first fit (no scores before it, unless a parameters file is given).")
      .define(CLV_FIT_EVERY_VERSIONS, Type.INT, 10, Range.atLeast(1), Importance.LOW,
          "The parameters are fitted again every this many model versions.")
      .define(CLV_SUMMARIES_PER_DELTA, Type.INT, 25, Range.between(0, 10_000), Importance.LOW,
          "Most customer summaries one task sends with one model delta (customers re-evaluated as time passes);"
              + " each is a store write, and a 5,000-summary reservoir needs few.")
      .define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65535), Importance.HIGH,
          "Port of the HTTP server (metrics, health, queries); 0 = any free port.")
      .define(HTTP_HOST, Type.STRING, "0.0.0.0", nonBlank(), Importance.LOW,
          "Address the HTTP server binds to.")
      .define(HTTP_ADVERTISED_HOST, Type.STRING, "", Importance.MEDIUM,
          "Host name other instances use to reach this one's HTTP server (interactive queries forward there); "
              + "empty = the bound address when segmenter.http.host is a loopback address, else this machine's host "
              + "name. Ignored when application.server is set. A non-loopback value (or application.server) with a "
              + "loopback segmenter.http.host is refused at start-up: no other machine could reach it.")
      .define(HTTP_READ_TIMEOUT_MS, Type.LONG, 10_000L, Range.between(100, 600_000), Importance.LOW,
          "A connection must send a complete request head within this time of opening or of its previous "
              + "answer, else it is closed (slow clients); also the idle timeout.")
      .define(HTTP_API_THREADS, Type.INT, 4, Range.between(1, 256), Importance.LOW,
          "Threads that answer the API (everything but health, which is answered on the server's own threads).")
      .define(HTTP_API_IN_FLIGHT, Type.INT, 256, Range.between(1, 100_000), Importance.LOW,
          "API requests accepted at once (queued, running or waiting for another instance); one more is "
              + "answered 503 with Retry-After.")
      .define(HTTP_ACCESS_CONTROL, Type.BOOLEAN, true, Importance.HIGH,
          "Access control on the HTTP endpoints. On: health is open; /customers/{id} needs the reader role; "
              + "/segments and /model the ops role; /metrics too once any credential is configured. "
              + "Off (the demo): everything is open to anyone who reaches the port.")
      .define(HTTP_TOKENS_FILE, Type.STRING, "", Importance.HIGH,
          "File of bearer tokens, hashed (lines '<role> <name> sha256:<hex>', made by 'segmenter hash-token'); "
              + "re-read when it changes (a mounted Secret rotates without restart). Empty = no tokens.")
      .define(HTTP_CERTIFICATE_ROLES_FILE, Type.STRING, "", Importance.MEDIUM,
          "File mapping client-certificate subjects to roles (lines '<role> <subject DN>'), for mutual TLS; "
              + "re-read when it changes. Needs " + HTTP_TLS_CLIENT_AUTH + " want or need.")
      .define(HTTP_PEER_SECRET_FILE, Type.STRING, "", Importance.HIGH,
          "File holding a secret (at least 32 bytes) shared by every instance of the deployment: requests "
              + "between instances are signed with it. Without it, instances forward a client's own "
              + "credentials, and stale reads are impossible.")
      .define(HTTP_STALE_READS, Type.BOOLEAN, false, Importance.LOW,
          "While a customer's owner is down, answer from a standby replica (marked stale: true). Off by "
              + "default: a lagging standby may still hold a customer erased moments ago. Needs "
              + HTTP_PEER_SECRET_FILE + ".")
      .define(HTTP_AUDIT, Type.STRING, "log", auditTarget(), Importance.MEDIUM,
          "Audit trail of customer reads (who, which id or pseudonym, when, outcome): 'log' (the "
              + "segmenter.audit logger), 'file:<path>' (JSON lines) or 'off'.")
      .define(HTTP_TLS_KEYSTORE, Type.STRING, "", Importance.MEDIUM,
          "TLS for the HTTP server and between instances: the server's key and certificate as a PKCS12 or JKS "
              + "keystore. Or give " + HTTP_TLS_CERTIFICATE + " and " + HTTP_TLS_KEY + ". Empty = plain HTTP.")
      .define(HTTP_TLS_KEYSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM,
          "Password of " + HTTP_TLS_KEYSTORE + ".")
      .define(HTTP_TLS_CERTIFICATE, Type.STRING, "", Importance.MEDIUM,
          "TLS: the server's certificate chain as PEM (with " + HTTP_TLS_KEY + ").")
      .define(HTTP_TLS_KEY, Type.STRING, "", Importance.MEDIUM,
          "TLS: the server's private key as PEM (PKCS#8, or PKCS#1 RSA), unencrypted (a mounted Secret).")
      .define(HTTP_TLS_TRUST, Type.STRING, "", Importance.MEDIUM,
          "TLS: certificate authorities trusted for client certificates and for other instances' servers, as a "
              + "PEM bundle or a PKCS12/JKS truststore. Empty = the JDK's default authorities.")
      .define(HTTP_TLS_TRUST_PASSWORD, Type.PASSWORD, "", Importance.LOW,
          "Password of " + HTTP_TLS_TRUST + " when it is a keystore.")
      .define(HTTP_TLS_CLIENT_AUTH, Type.STRING, "none", ConfigDef.ValidString.in("none", "want", "need"),
          Importance.MEDIUM,
          "Client certificates (mutual TLS): 'none', 'want' (checked when sent; tokens still work) or 'need' "
              + "(a connection without a trusted certificate is refused).")
      .define(TOPICS_CREATE, Type.BOOLEAN, true, Importance.MEDIUM,
          "Create missing topics at start-up (inputs, outputs, model topics, dead-letter topic).")
      .define(TOPICS_PARTITIONS, Type.INT, 6, Range.atLeast(1), Importance.MEDIUM,
          "Partitions of the topics created at start-up (the model topics always get one).")
      .define(TOPICS_REPLICATION, Type.SHORT, (short) -1, Importance.MEDIUM,
          "Replication factor of the topics created at start-up; -1 = the broker's default.")
      .define(SETTINGS_PASS_THROUGH, Type.LIST, "", Importance.LOW,
          "Setting names that no segmenter, Kafka, Kafka Streams or schema registry setting has but that are meant "
              + "(a custom interceptor's, metrics reporter's or config provider's own settings), comma separated; a "
              + "name ending in '.' lets every setting under that prefix through. They go to Kafka Streams and its "
              + "clients unchecked; any other unknown name stops start-up (a typo would otherwise be ignored).")
      .define(METRICS_LIVE_MAX_AGE_MS, Type.LONG, 300_000L, Range.atLeast(1), Importance.LOW,
          "An event whose segment change is emitted at most this long after it happened (wall clock minus "
              + "occurredAt) is live: its latency goes into segmenter_event_to_emit_latency_seconds. An older one "
              + "(a replay of history, a backlog after an outage) only counts in segmenter_event_to_emit_stale_total, "
              + "so that the histogram measures segmenter's latency on live traffic, never the history's age.")
      .define(THREAD_BACKOFF_INITIAL_MS, Type.LONG, 1_000L, Range.atLeast(0), Importance.LOW,
          "Wait before a failed stream thread is replaced; it doubles with every further failure within "
              + "segmenter.thread.failures.window.ms (1 s, 2 s, 4 s, ...). The failed thread's tasks stay idle meanwhile.")
      .define(THREAD_BACKOFF_MAX_MS, Type.LONG, 60_000L, Range.atLeast(0), Importance.LOW,
          "Longest wait before a failed stream thread is replaced. Keep it well below the consumer's "
              + "max.poll.interval.ms (300000 by default), or the waiting thread's consumer leaves the group.")
      .define(THREAD_FAILURES_MAX, Type.INT, 5, Range.between(1, 1000), Importance.MEDIUM,
          "Stream-thread failures within segmenter.thread.failures.window.ms at which /health/live answers 503 "
              + "(so that the orchestrator restarts the process); it answers 200 again once failures leave the window. "
              + "A failure of the global thread (which cannot be replaced) makes it 503 at once.")
      .define(THREAD_FAILURES_WINDOW_MS, Type.LONG, 600_000L, Range.atLeast(1), Importance.LOW,
          "Sliding window in which stream-thread failures are counted, for the backoff and for liveness.")
      .define(CONNECT_TIMEOUT_MS, Type.LONG, 15_000L, Range.between(100, 3_600_000), Importance.MEDIUM,
          "How long a command (run, generate, replay, erase) waits for Kafka and for the schema registry to answer "
              + "before it starts: past it, it exits 1 with one line naming the address and what to check.");

  /** 'log', 'off' or 'file:<path>'. */
  private static ConfigDef.Validator auditTarget() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        String v = String.valueOf(value);
        if (v.equals("log") || v.equals("off") || v.startsWith("file:") && v.length() > "file:".length()) return;
        throw new org.apache.kafka.common.config.ConfigException(name, value, "must be 'log', 'off' or 'file:<path>'");
      }

      @Override
      public String toString() {
        return "log, off, file:<path>";
      }
    };
  }

  public SegmenterConfig(Map<?, ?> props) {
    super(CONFIG, props, false);
    rejectUnknownSegmenterKeys();
    requireDistinctInputs();
    requireBackoffCapAboveStart();
    // Cross-field rules fail here, at start-up, not when the first model is built.
    modelSettings();
    strategies();
    clvSettings();
    clvParametersFromFile();
    pseudonymiser = readPseudonymiser();
  }

  /**
   * A misspelt segmenter setting would otherwise be passed to Kafka Streams, which only logs that it
   * is unused, and the service would run with the default: fail at start-up instead.
   */
  private void rejectUnknownSegmenterKeys() {
    for (Object key : originals().keySet()) {
      String k = String.valueOf(key);
      if (k.startsWith("segmenter.") && !CONFIG.names().contains(k)) {
        // Not the value: a misspelt password setting would print the password.
        throw new org.apache.kafka.common.config.ConfigException("unknown segmenter setting '" + k + "'"
            + KnownSettings.closest(k).map(c -> " (did you mean " + c + "?)").orElse("")
            + " (see the table of settings in docs/CONFIGURATION.md)");
      }
    }
  }

  /**
   * Fills in the settings whose default derives from application.id (see {@link #DERIVED_TOPIC_SUFFIXES}).
   * Called by AbstractConfig's constructor once the values are parsed, so that every
   * {@code getString(TOPIC_MODEL)} sees the final name; an explicit setting is kept as it is.
   */
  @Override
  protected Map<String, Object> postProcessParsedConfig(Map<String, Object> parsedValues) {
    Map<String, Object> derived = new HashMap<>();
    String applicationId = applicationIdOf(originals());
    for (Map.Entry<String, String> e : DERIVED_TOPIC_SUFFIXES.entrySet()) {
      Object value = parsedValues.get(e.getKey());
      if (value == null || value.toString().isEmpty()) derived.put(e.getKey(), applicationId + e.getValue());
    }
    return derived;
  }

  private static String applicationIdOf(Map<String, ?> settings) {
    Object id = settings.get(StreamsConfig.APPLICATION_ID_CONFIG);
    return id == null || id.toString().isBlank() ? DEFAULT_APPLICATION_ID : id.toString().trim();
  }

  public static SegmenterConfig of(Properties props) {
    return new SegmenterConfig(props);
  }

  private static ConfigDef.Validator instant() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        try {
          java.time.Instant.parse(String.valueOf(value));
        } catch (java.time.format.DateTimeParseException e) {
          throw new org.apache.kafka.common.config.ConfigException(name, value,
              "not an ISO-8601 instant such as 2000-01-01T00:00:00Z");
        }
      }

      @Override
      public String toString() {
        return "an ISO-8601 instant (UTC)";
      }
    };
  }

  /** The earliest event time accepted, from {@link #MIN_EVENT_TIME}. */
  public long minEventTimeMs() {
    return java.time.Instant.parse(getString(MIN_EVENT_TIME)).toEpochMilli();
  }

  /**
   * The input topics (clicks, orders, erasures, and outcomes when set) must differ: the topology reads
   * each with its own deserializer, and the error handlers tell the event type by topic.
   */
  private void requireDistinctInputs() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String key : inputTopicKeys()) {
      if (!seen.add(getString(key))) {
        throw new org.apache.kafka.common.config.ConfigException(key, getString(key),
            "the clicks, orders, erasures and outcomes topics must be different topics");
      }
    }
  }

  /** The settings naming the input topics: clicks, orders, erasures, and outcomes when it is set. */
  public java.util.List<String> inputTopicKeys() {
    return outcomesEnabled() ? java.util.List.of(TOPIC_CLICKS, TOPIC_ORDERS, TOPIC_ERASURES, TOPIC_OUTCOMES)
        : java.util.List.of(TOPIC_CLICKS, TOPIC_ORDERS, TOPIC_ERASURES);
  }

  /** Whether the optional campaign-outcomes input is set. */
  public boolean outcomesEnabled() {
    return !getString(TOPIC_OUTCOMES).isEmpty();
  }

  private static ConfigDef.Validator nonBlank() {
    return new ConfigDef.NonEmptyStringWithoutControlChars();
  }

  /** A topic name, or empty for the name derived from application.id. */
  private static ConfigDef.Validator emptyOrNonBlank() {
    return emptyOrNonBlank("empty (derived from application.id)");
  }

  /** A topic name, or empty, which means {@code emptyMeans} (said in the table of settings). */
  private static ConfigDef.Validator emptyOrNonBlank(String emptyMeans) {
    ConfigDef.Validator name = nonBlank();
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String key, Object value) {
        if (value != null && !value.toString().isEmpty()) name.ensureValid(key, value);
      }

      @Override
      public String toString() {
        return emptyMeans + " or " + name;
      }
    };
  }

  private void requireBackoffCapAboveStart() {
    if (getLong(THREAD_BACKOFF_MAX_MS) < getLong(THREAD_BACKOFF_INITIAL_MS)) {
      throw new org.apache.kafka.common.config.ConfigException(THREAD_BACKOFF_MAX_MS, getLong(THREAD_BACKOFF_MAX_MS),
          "must be at least " + THREAD_BACKOFF_INITIAL_MS + " (" + getLong(THREAD_BACKOFF_INITIAL_MS) + ")");
    }
  }

  /** Properties for Kafka Streams: everything that is not segmenter's own, with safe defaults. */
  public Properties streamsProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // The dead-letter topic of Kafka's error handling (KIP-1034); the handlers that write to it are
    // the topology's (SegmenterTopology.streamsProperties).
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, getString(TOPIC_DLQ));
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    for (Map.Entry<String, Object> e : originals().entrySet()) {
      if (!CONFIG.names().contains(e.getKey()) || e.getKey().equals(SCHEMA_REGISTRY_URL)) p.put(e.getKey(), e.getValue());
    }
    return p;
  }

  /** Whether Kafka Streams runs exactly-once ({@code exactly_once_v2}, the default here), from the settings as given. */
  public boolean exactlyOnce() {
    return StreamsConfig.EXACTLY_ONCE_V2.equals(String.valueOf(streamsProperties().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
  }

  /** Settings for the Avro serdes (registry URL, auto-registration, ...). */
  public Map<String, Object> serdeConfig() {
    Map<String, Object> m = new HashMap<>(originals());
    m.put(SCHEMA_REGISTRY_URL, String.join(",", getList(SCHEMA_REGISTRY_URL)));
    return m;
  }

  public ProfileConfig profileConfig() {
    return new ProfileConfig(Duration.ofMillis(getLong(PROFILE_HALF_LIFE_MS)), getInt(PROFILE_SESSION_MEMORY),
        getInt(PROFILE_CATEGORY_LIMIT), getDouble(PROFILE_NO_ACTIVITY_DAYS));
  }

  /** What the per-customer evaluation needs (predictive settings null when scoring is off). */
  public EvaluatorSettings evaluatorSettings() {
    ModelAggregator.Settings model = modelSettings();
    return new EvaluatorSettings(profileConfig(), getDouble(SEGMENT_HYSTERESIS),
        Math.round(getDouble(SEGMENT_ACTIVE_DAYS) * DAY), getLong(INACTIVITY_RECHECK_MS),
        getLong(MODEL_SAMPLE_INTERVAL_MS), model.warmupPoints(), model.sampleCap(), clvEnabled() ? clvSettings() : null);
  }

  public ModelAggregator.Settings modelSettings() {
    int fixed = getInt(MODEL_K);
    int kMin = fixed > 0 ? fixed : getInt(MODEL_K_MIN);
    int k = fixed > 0 ? fixed : getInt(MODEL_K_MAX);
    if (kMin > k) {
      throw new org.apache.kafka.common.config.ConfigException(MODEL_K_MIN, kMin,
          "must be at most " + MODEL_K_MAX + " (" + k + ")");
    }
    int warmup = getInt(MODEL_WARMUP_POINTS);
    if (warmup < k) {
      throw new org.apache.kafka.common.config.ConfigException(MODEL_WARMUP_POINTS, warmup,
          "must be at least " + (fixed > 0 ? MODEL_K : MODEL_K_MAX) + " (" + k + ")");
    }
    return new ModelAggregator.Settings(k, getLong(MODEL_SEED), getDouble(MODEL_DECAY_FACTOR), warmup,
        getLong(MODEL_MIN_BATCH_POINTS), getLong(MODEL_MAX_INTERVAL_MS), getLong(MODEL_DEAD_AFTER_VERSIONS),
        getInt(MODEL_REFRESH_EVERY), getInt(MODEL_REFRESH_SAMPLE), kMin, getInt(MODEL_PANEL_CUSTOMERS));
  }

  /**
   * Every strategy this deployment runs, `default` (the segmenter.model.* settings) first, then the
   * challengers of {@link #STRATEGY_CHALLENGERS}; a spec that makes no sense fails here, at start-up.
   */
  public List<StrategySettings> strategies() {
    List<StrategySpec> specs;
    try {
      specs = StrategySpec.parse(getString(STRATEGY_CHALLENGERS));
    } catch (IllegalArgumentException e) {
      throw new org.apache.kafka.common.config.ConfigException(e.getMessage());
    }
    List<StrategySettings> out = new ArrayList<>();
    out.add(new StrategySettings(StrategySpec.DEFAULT, modelSettings(), 0, getString(TOPIC_MODEL_DELTAS),
        getString(TOPIC_MODEL)));
    // StrategySpec.parse refuses two names whose id ranges would coincide.
    for (StrategySpec spec : specs) {
      out.add(new StrategySettings(spec.name(), overridden(spec), StrategySpec.idBase(spec.name()),
          getString(TOPIC_MODEL_DELTAS) + "." + spec.name(), getString(TOPIC_MODEL) + "." + spec.name()));
    }
    String champion = getString(STRATEGY_CHAMPION).trim();
    if (out.stream().noneMatch(st -> st.name().equals(champion))) {
      throw new org.apache.kafka.common.config.ConfigException(STRATEGY_CHAMPION, champion,
          "names no strategy: use 'default' or a name from " + STRATEGY_CHALLENGERS);
    }
    return out;
  }

  /** The segmenter.model.* settings with a challenger's overrides. */
  private ModelAggregator.Settings overridden(StrategySpec spec) {
    ModelAggregator.Settings base = modelSettings();
    int fixed = spec.k() != null ? spec.k() : spec.kMin() != null || spec.kMax() != null ? 0 : getInt(MODEL_K);
    int kMin = fixed > 0 ? fixed : spec.kMin() != null ? spec.kMin() : getInt(MODEL_K_MIN);
    int k = fixed > 0 ? fixed : spec.kMax() != null ? spec.kMax() : getInt(MODEL_K_MAX);
    String where = "strategy '" + spec.name() + "'";
    if (kMin > k) {
      throw new org.apache.kafka.common.config.ConfigException(STRATEGY_CHALLENGERS, getString(STRATEGY_CHALLENGERS),
          where + ": k.min (" + kMin + ") must be at most k.max (" + k + ")");
    }
    if (base.warmupPoints() < k) {
      throw new org.apache.kafka.common.config.ConfigException(STRATEGY_CHALLENGERS, getString(STRATEGY_CHALLENGERS),
          where + ": k (" + k + ") must be at most " + MODEL_WARMUP_POINTS + " (" + base.warmupPoints() + ")");
    }
    return new ModelAggregator.Settings(k, spec.seed() != null ? spec.seed() : base.seed(),
        spec.decayFactor() != null ? spec.decayFactor() : base.decayFactor(), base.warmupPoints(), base.minBatchPoints(),
        base.maxIntervalMs(), base.deadAfterVersions(),
        spec.refreshEvery() != null ? spec.refreshEvery() : base.refreshEvery(), base.refreshSample(), kMin,
        base.panelCapacity());
  }

  /** The champion the settings name (the control topic may name a later one: docs/STRATEGIES.md). */
  public String championSetting() {
    return getString(STRATEGY_CHAMPION).trim();
  }

  /** The predictive settings; a combination that makes no sense fails with the key to fix. */
  public ClvSettings clvSettings() {
    int min = getInt(CLV_FIT_MIN_CUSTOMERS);
    if (min > getInt(CLV_RESERVOIR_SIZE)) {
      throw new org.apache.kafka.common.config.ConfigException(CLV_FIT_MIN_CUSTOMERS, min,
          "must be at most " + CLV_RESERVOIR_SIZE + " (" + getInt(CLV_RESERVOIR_SIZE) + ")");
    }
    double churn = getDouble(CLV_CHURN_P_ALIVE) + getDouble(CLV_CHURN_HYSTERESIS);
    if (getDouble(CLV_STABLE_P_ALIVE) <= churn) {
      throw new org.apache.kafka.common.config.ConfigException(CLV_STABLE_P_ALIVE, getDouble(CLV_STABLE_P_ALIVE),
          "must be above " + CLV_CHURN_P_ALIVE + " + " + CLV_CHURN_HYSTERESIS + " (" + churn + ")");
    }
    return new ClvSettings(getDouble(CLV_HORIZON_DAYS), getDouble(CLV_MONTHLY_DISCOUNT), getDouble(CLV_CHURN_P_ALIVE),
        getDouble(CLV_CHURN_HYSTERESIS), getDouble(CLV_STABLE_P_ALIVE), getDouble(CLV_HIGH_VALUE_QUANTILE),
        getDouble(CLV_NEW_DAYS), getInt(CLV_RESERVOIR_SIZE), min, getInt(CLV_FIT_EVERY_VERSIONS),
        getInt(CLV_SUMMARIES_PER_DELTA));
  }

  /**
   * The fixed parameters of {@link #CLV_PARAMETERS_FILE}, or null when the service fits them. Read at
   * start-up: a missing or malformed file stops the service with the file's problem.
   */
  public ClvModel clvParametersFromFile() {
    String file = getString(CLV_PARAMETERS_FILE);
    if (file.isBlank()) return null;
    try {
      return ClvParametersFile.read(java.nio.file.Path.of(file));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new org.apache.kafka.common.config.ConfigException(CLV_PARAMETERS_FILE, file, e.getMessage());
    }
  }

  /**
   * How customer ids are kept from the edge of the topology on: raw (the identity), or keyed
   * pseudonyms when {@link #PSEUDONYMISE_KEY_FILE} is set. The key file is read once, when the
   * settings are (a missing or short file stops start-up); thread-safe, so the HTTP side can use it
   * for lookups by raw id.
   */
  public Pseudonymiser pseudonymiser() {
    return pseudonymiser;
  }

  private Pseudonymiser readPseudonymiser() {
    String file = getString(PSEUDONYMISE_KEY_FILE);
    if (file.isBlank()) return Pseudonymiser.identity();
    try {
      return Pseudonymiser.fromKeyFile(java.nio.file.Path.of(file));
    } catch (IllegalArgumentException e) {
      // The message names the problem, never the key's content.
      throw new org.apache.kafka.common.config.ConfigException(PSEUDONYMISE_KEY_FILE, file, e.getMessage());
    }
  }

  public boolean clvEnabled() {
    return getBoolean(CLV_ENABLED);
  }

  public boolean hybridClock() {
    return CLOCK_HYBRID.equals(getString(CLOCK));
  }
}
