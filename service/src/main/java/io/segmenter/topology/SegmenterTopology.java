package io.segmenter.topology;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.config.StrategySettings;
import io.segmenter.events.CampaignOutcome;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.CustomerSegment;
import io.segmenter.events.ErasureRequest;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.events.SegmentChange;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.SchemaRegistryClient;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires segmenter's Kafka Streams topology (see docs/TOPOLOGY.md):
 * <pre>
 * clicks, orders, erasures[, outcomes] -> segmenting (profiles, due index, members, model batch, history) -> segment-changes
 *                                                                       -> customer-segments
 *                                                                       -> model-deltas
 * model-deltas (1 partition) -> model aggregator (aggregator state) -> model (compacted)
 *                                                                 -> dlq (deltas it cannot use)
 * model -> global store on every instance -> read by segmenting
 * </pre>
 * Input that does not decode, and input the processor throws on ({@link InvalidEventException}),
 * goes to the dead-letter topic through {@link DeadLetterDeserializationHandler} and
 * {@link DeadLetterProcessingHandler} (configured in {@link SegmenterConfig}; see
 * {@link #streamsProperties}).
 */
public final class SegmenterTopology {
  public static final String PROFILES_STORE = "profiles";
  public static final String DUE_STORE = "inactivity-index";
  public static final String BATCH_STORE = "model-batch";
  public static final String MEMBERS_STORE = "segment-members";
  /** Per customer, the latest segment changes emitted for them (GET /customers/{id}'s "history"). */
  public static final String HISTORY_STORE = "segment-history";
  public static final String AGGREGATOR_STORE = "model-aggregator";
  public static final String MODEL_GLOBAL_STORE = "model-global";
  /** Per customer, each challenger's segment and the outcome window ({@code CustomerStrategies}); with challengers only. */
  public static final String STRATEGY_STORE = "strategy-assignments";
  /** Per (strategy, segment), what the segment's customers did in the windows closed so far; with challengers only. */
  public static final String OUTCOMES_STORE = "strategy-outcomes";
  /** Per (strategy, segment, campaign, outcome), how many campaign outcomes were counted; with segmenter.topic.outcomes only. */
  public static final String CAMPAIGN_STORE = "campaign-outcomes";
  /** The champion's name, from the strategy control topic; with challengers only. */
  public static final String STRATEGY_GLOBAL_STORE = "strategy-control";
  /** The one key of the model topic: compaction keeps just the newest version. */
  public static final String MODEL_KEY = "model";

  static final String CHANGES_SINK = "segment-changes-sink";
  static final String SEGMENTS_SINK = "customer-segments-sink";
  static final String CATALOG_SINK = "segment-catalog-sink";
  static final String DELTAS_SINK = "model-deltas-sink";
  static final String MODEL_SINK = "model-sink";
  /** Where the aggregator sends deltas it cannot use: the dead-letter topic. */
  static final String INTERNAL_DLQ_SINK = "model-deltas-dlq-sink";
  private static final String SEGMENTING = "segmenting";
  private static final String AGGREGATOR = "model-aggregator";

  private SegmenterTopology() { }

  /** Builds the topology with a runtime of its own whose metrics go nowhere (tests, tools). */
  public static Topology build(SegmenterConfig config, SchemaRegistryClient registry) {
    return build(config, registry, SegmenterRuntime.standalone());
  }

  /**
   * Builds the topology for one Kafka Streams instance. The runtime is what the instance shares with
   * its HTTP server: the model holder, the metrics and the local segment populations.
   */
  public static Topology build(SegmenterConfig config, SchemaRegistryClient registry, SegmenterRuntime runtime) {
    TopologySettings settings = TopologySettings.from(config);
    runtime.metrics().liveMaxAge(config.getLong(SegmenterConfig.METRICS_LIVE_MAX_AGE_MS));
    Map<String, Object> serdeConfig = config.serdeConfig();
    List<StrategySettings> strategies = config.strategies();
    runtime.strategies().configure(strategies, config.championSetting());
    boolean comparing = strategies.size() > 1;
    var clicks = serde(ClickEvent.class, registry, serdeConfig);
    var orders = serde(OrderEvent.class, registry, serdeConfig);
    var erasures = serde(ErasureRequest.class, registry, serdeConfig);
    var changes = serde(SegmentChange.class, registry, serdeConfig);
    var segments = serde(CustomerSegment.class, registry, serdeConfig);
    var catalog = serde(SegmentCatalogEntry.class, registry, serdeConfig);

    Topology t = new Topology();
    OccurredAtExtractor eventTime = new OccurredAtExtractor(settings.maxFutureMs(), settings.minEventTime());
    t.addSource(AutoOffsetReset.earliest(), "clicks-source", eventTime, Serdes.String().deserializer(),
        clicks.deserializer(), config.getString(SegmenterConfig.TOPIC_CLICKS));
    t.addSource(AutoOffsetReset.earliest(), "orders-source", eventTime, Serdes.String().deserializer(),
        orders.deserializer(), config.getString(SegmenterConfig.TOPIC_ORDERS));
    t.addSource(AutoOffsetReset.earliest(), "erasures-source", eventTime, Serdes.String().deserializer(),
        erasures.deserializer(), config.getString(SegmenterConfig.TOPIC_ERASURES));
    List<String> inputs = new java.util.ArrayList<>(List.of("clicks-source", "orders-source", "erasures-source"));
    if (settings.outcomes()) {
      // Optional: without the setting, no source and no store, so the topology is that of a deployment without it.
      var outcomes = serde(CampaignOutcome.class, registry, serdeConfig);
      t.addSource(AutoOffsetReset.earliest(), "outcomes-source", eventTime, Serdes.String().deserializer(),
          outcomes.deserializer(), config.getString(SegmenterConfig.TOPIC_OUTCOMES));
      inputs.add("outcomes-source");
    }
    t.addProcessor(SEGMENTING, () -> new SegmentingProcessor(settings, runtime), inputs.toArray(String[]::new));
    // Under exactly-once only, two layers on top of the cache (WriteBehindStore and InactivityIndex say
    // why not at least once). Write-behind: a profile changed by many steps between two commits is
    // encoded once, at the commit, with at most profilesRemembered of them waiting per task.
    KeyValueBytesStoreSupplier profiles = Stores.persistentKeyValueStore(PROFILES_STORE);
    t.addStateStore((settings.exactlyOnce()
        ? new LayeredStoreBuilder<>(profiles, Serdes.String(),
            below -> new WriteBehindStore<CustomerProfile>(below, ProfileCodec::encode, settings.profilesRemembered()))
        : Stores.keyValueStoreBuilder(profiles, Serdes.String(), Serdes.ByteArray())).withCachingEnabled(), SEGMENTING);
    // No de-duplication store: the ids of recent events live in the profile (RecentIds), written anyway.
    // A check booked and taken within one commit interval (a replay runs days of event time in one)
    // never reaches the store: InactivityIndex holds new bookings until the flush (FlushHookStore).
    KeyValueBytesStoreSupplier due = Stores.persistentKeyValueStore(DUE_STORE);
    t.addStateStore((settings.exactlyOnce()
        ? new LayeredStoreBuilder<>(due, Serdes.Bytes(), FlushHookStore::new)
        : Stores.keyValueStoreBuilder(due, Serdes.Bytes(), Serdes.ByteArray())).withCachingEnabled(), SEGMENTING);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERS_STORE),
        Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled(), SEGMENTING);
    // Written only when a change is emitted, in the same step; cached like the profiles.
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HISTORY_STORE),
        Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), SEGMENTING);
    // Cached: the batch's current chunk is put again after every point, and the cache writes it (and
    // its changelog record) once per commit.
    for (StrategySettings st : strategies) {
      t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(batchStore(st)),
          Serdes.Long(), Serdes.ByteArray()).withCachingEnabled(), SEGMENTING);
    }
    if (comparing) {
      // Written only when a customer's challenger segments or outcome window change; cached like the profiles.
      t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STRATEGY_STORE),
          Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), SEGMENTING);
      // A few keys per strategy and segment, put again at every closed window: the cache writes each once per commit.
      t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OUTCOMES_STORE),
          Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), SEGMENTING);
    }
    if (settings.outcomes()) {
      // A few keys per strategy, segment and campaign, each put again at every outcome: the cache writes each once per commit.
      t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CAMPAIGN_STORE),
          Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), SEGMENTING);
    }
    t.addSink(CHANGES_SINK, config.getString(SegmenterConfig.TOPIC_SEGMENT_CHANGES),
        Serdes.String().serializer(), as(changes.serializer()), SEGMENTING);
    t.addSink(SEGMENTS_SINK, config.getString(SegmenterConfig.TOPIC_CUSTOMER_SEGMENTS),
        Serdes.String().serializer(), as(segments.serializer()), SEGMENTING);
    // The internal topics are read as raw bytes and decoded by their processors, which skip what
    // they cannot use: no record there can stop the service. They need no schema registry.
    // Each strategy's model: its deltas, its single aggregator, its model topic and the global store
    // every instance reads it from. The default strategy's names are those of a deployment without
    // challengers, so adding challengers leaves its topics and stores as they were.
    List<String> aggregators = new java.util.ArrayList<>();
    for (StrategySettings st : strategies) {
      String suffix = suffix(st);
      t.addSink(deltasSink(st.name()), st.deltasTopic(),
          Serdes.String().serializer(), as(InternalSerdes.modelDeltas().serializer()), SEGMENTING);
      t.addSource("model-deltas-source" + suffix, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
          st.deltasTopic());
      var names = new ModelAggregatorProcessor.Names(AGGREGATOR_STORE + suffix, MODEL_GLOBAL_STORE + suffix,
          MODEL_SINK + suffix, st.idBase());
      String name = st.name();
      java.util.function.BooleanSupplier champion = comparing
          ? () -> runtime.strategies().champion().equals(name) : null;
      t.addProcessor(AGGREGATOR + suffix, () -> new ModelAggregatorProcessor(settings, st.model(), names,
          runtime.metrics(), champion, ModelAggregatorProcessor.ownThread(names, settings)), "model-deltas-source" + suffix);
      aggregators.add(AGGREGATOR + suffix);
      // Cached: the merged deltas ("pending", tens of kB) are put again after every delta, and a panel
      // customer's point after each of their points; the cache writes each key once per commit.
      t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AGGREGATOR_STORE + suffix),
          Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), AGGREGATOR + suffix);
      t.addSink(MODEL_SINK + suffix, st.modelTopic(),
          anything(Serdes.String().serializer()), anything(InternalSerdes.modelVersions().serializer()), AGGREGATOR + suffix);
      ModelHolder holder = runtime.strategies().holder(name);
      t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MODEL_GLOBAL_STORE + suffix),
              Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
          "model-source" + suffix, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
          st.modelTopic(), "model-global-loader" + suffix, () -> new GlobalModelProcessor(holder, runtime.metrics(),
              MODEL_GLOBAL_STORE + suffix, name, () -> runtime.strategies().champion().equals(name)));
    }
    t.addSink(INTERNAL_DLQ_SINK, config.getString(SegmenterConfig.TOPIC_DLQ),
        anything(Serdes.ByteArray().serializer()), anything(Serdes.ByteArray().serializer()),
        aggregators.toArray(String[]::new));
    t.addSink(CATALOG_SINK, config.getString(SegmenterConfig.TOPIC_SEGMENT_CATALOG),
        anything(Serdes.String().serializer()), anything(catalog.serializer()), aggregators.toArray(String[]::new));
    if (comparing) {
      t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STRATEGY_GLOBAL_STORE),
              Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
          "strategy-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
          config.getString(SegmenterConfig.TOPIC_STRATEGY), "strategy-control-loader",
          () -> new StrategyControlProcessor(runtime.strategies(), runtime.metrics()));
    }
    return t;
  }

  /** "" for the default strategy (a deployment without challengers keeps its names), "-name" for a challenger. */
  static String suffix(StrategySettings st) {
    return st.isDefault() ? "" : "-" + st.name();
  }

  /** The mini-batch store of a strategy. */
  static String batchStore(StrategySettings st) {
    return BATCH_STORE + suffix(st);
  }

  /** The sink of a strategy's deltas. */
  static String deltasSink(String strategy) {
    return strategy.equals(io.segmenter.strategy.StrategySpec.DEFAULT) ? DELTAS_SINK : DELTAS_SINK + "-" + strategy;
  }

  /**
   * The Kafka Streams properties of one instance: the configuration's, plus what the dead-letter
   * handlers need from the instance (its metrics, which topic holds which event type).
   */
  public static java.util.Properties streamsProperties(SegmenterConfig config, SegmenterRuntime runtime) {
    java.util.Properties props = config.streamsProperties();
    // Bad input never stops the service: records that do not decode, and records the processor
    // rejects as invalid (KIP-1033), go to the dead-letter topic (KIP-1034) with the reason in headers.
    props.put(org.apache.kafka.streams.StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName());
    props.put(org.apache.kafka.streams.StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingHandler.class.getName());
    DeadLetters.attach(props, config, runtime);
    return props;
  }

  private static <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type, SchemaRegistryClient registry,
      Map<String, Object> serdeConfig) {
    SpecificAvroSerde<T> s = new SpecificAvroSerde<>(type, registry);
    s.configure(serdeConfig, false);
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Serializer<SpecificRecord> as(Serializer<? extends SpecificRecord> s) {
    return (Serializer<SpecificRecord>) s;
  }

  /** The aggregator forwards to two sinks of different types; each sink gets only its own. */
  @SuppressWarnings("unchecked")
  private static Serializer<Object> anything(Serializer<?> s) {
    return (Serializer<Object>) s;
  }
}
