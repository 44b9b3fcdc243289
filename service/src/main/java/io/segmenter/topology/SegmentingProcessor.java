package io.segmenter.topology;

import io.segmenter.evaluation.CustomerEvaluator;
import io.segmenter.evaluation.Decision;
import io.segmenter.evaluation.TaskClock;
import io.segmenter.events.CampaignOutcome;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.ErasureRequest;
import io.segmenter.events.OrderEvent;
import io.segmenter.model.CustomerKey;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.TaskDelta;
import io.segmenter.privacy.Pseudonymiser;
import io.segmenter.profile.CustomerProfile;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The per-customer step of the topology, kept thin: it validates a record before anything else
 * (an invalid one throws {@link InvalidEventException} and leaves no trace), drops duplicates,
 * asks the {@link CustomerEvaluator} what the event means for the customer, and has the
 * {@link DecisionApplier} carry that out. The wall-clock and stream-time punctuators hand due
 * re-evaluations to {@link InactivityCheck} and send the mini-batch to the model aggregator;
 * erasure requests go to {@link CustomerErasure}. Each store is behind its own wrapper
 * ({@link TaskStores}). It is the edge where a customer id becomes the topology's id: with
 * pseudonymisation on, every store key, changelog and output record carries the pseudonym.
 */
final class SegmentingProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
  private final TopologySettings settings;
  private final SegmenterRuntime runtime;
  private final ModelHolder holder;
  private final SegmenterMetrics metrics;
  private final EventValidator validator;
  private final Pseudonymiser ids;
  private ProcessorContext<String, SpecificRecord> context;
  /** Each strategy's global model store, by strategy name. */
  private final java.util.Map<String, ReadOnlyKeyValueStore<String, byte[]>> globalModels = new java.util.LinkedHashMap<>();
  private TaskStores stores;
  private CustomerEvaluator evaluator;
  private DecisionApplier applier;
  /** Null without challengers. */
  private StrategyStep strategySteps;
  private InactivityCheck inactivity;
  private CustomerErasure erasure;
  /** Counts campaign outcomes; its store exists only with segmenter.topic.outcomes. */
  private CampaignOutcomes campaigns;
  private TaskClock clock;
  private String taskId;
  private long lastDeltaWall;

  SegmentingProcessor(TopologySettings settings, SegmenterRuntime runtime) {
    this.settings = settings;
    this.runtime = runtime;
    this.holder = runtime.model();
    this.metrics = runtime.metrics();
    this.validator = new EventValidator(settings.currency(), settings.maxFutureMs(), settings.minEventTime(),
        settings.maxAmount());
    this.ids = settings.pseudonymiser();
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    globalModels.clear();
    for (var st : runtime.strategies().settings()) {
      globalModels.put(st.name(), context.getStateStore(SegmenterTopology.MODEL_GLOBAL_STORE + SegmenterTopology.suffix(st)));
    }
    if (globalModels.isEmpty()) {
      globalModels.put(io.segmenter.strategy.StrategySpec.DEFAULT, context.getStateStore(SegmenterTopology.MODEL_GLOBAL_STORE));
    }
    // Initialised again when a task is revived after an error: its stores were restored, and the
    // counts of the previous initialisation are void.
    if (stores != null) stores.close();
    stores = TaskStores.open(context, settings, runtime);
    evaluator = new CustomerEvaluator(settings.evaluator());
    applier = new DecisionApplier(context, stores, metrics, settings, runtime.strategies());
    strategySteps = runtime.strategies().comparing() ? new StrategyStep(runtime.strategies(), stores, settings) : null;
    erasure = new CustomerErasure(context, stores, metrics, settings.model().seed());
    campaigns = new CampaignOutcomes(runtime.strategies(), stores);
    clock = new TaskClock(settings.hybridClock(), settings.maxAheadMs());
    taskId = context.taskId().toString();
    lastDeltaWall = context.currentSystemTimeMs();
    loadModelFromGlobalStore();
    metrics.onModel(runtime.strategies().champion(), runtime.strategies().championModel().current());
    inactivity = new InactivityCheck(settings, evaluator, stores, applier, holder.current(), strategySteps);
    // Due customers are found on both clocks: the wall clock moves "now" while the stream is idle,
    // stream time moves it during a fast replay (where a minute of wall time can be a year of data).
    context.schedule(Duration.ofMillis(settings.punctuateIntervalMs()), PunctuationType.WALL_CLOCK_TIME,
        w -> punctuate(context.currentSystemTimeMs()));
    context.schedule(Duration.ofMillis(settings.streamPunctuateIntervalMs()), PunctuationType.STREAM_TIME,
        t -> punctuate(context.currentSystemTimeMs()));
    context.schedule(Duration.ofMillis(settings.deltaIntervalMs()), PunctuationType.WALL_CLOCK_TIME, this::sendDeltaIfDue);
  }

  @Override
  public void close() {
    // The task closes (shutdown, or it migrates to another instance): its customers are no longer
    // counted by this instance.
    if (stores != null) stores.close();
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    long wall = context.currentSystemTimeMs();
    // A new model version is acted on at the next record, not only at the next punctuation: the
    // customers waiting for the first version are placed as soon as it is here, whatever the event
    // times of the input (older input never moves stream time, so the stream-time punctuator waits).
    if (inactivity.isNew(holder.current())) punctuate(wall);
    SpecificRecord value = record.value();
    // Every check comes before any state changes: a rejected record (thrown to the dead-letter
    // handler, which counts it) leaves no trace. The checks see the raw id (the input key must be
    // the customer id); from there on the customer is known only by what the pseudonymiser gives
    // (the id itself when the option is off). The event passed along still holds the raw id: the
    // evaluator reads its figures, never its customer id.
    if (value instanceof ClickEvent click) {
      validator.check(record.key(), click, wall);
      String customer = ids.pseudonymise(click.getCustomerId());
      onEvent(customer, DedupKeys.click(click.getEventId()), value, click.getOccurredAt().toEpochMilli(), true, wall);
    } else if (value instanceof OrderEvent order) {
      validator.check(record.key(), order, wall);
      String customer = ids.pseudonymise(order.getCustomerId());
      // The same order id arrives once per status (placed, then maybe returned).
      onEvent(customer, DedupKeys.order(order.getOrderId(), order.getStatus().name()), value,
          order.getOccurredAt().toEpochMilli(), false, wall);
    } else if (value instanceof CampaignOutcome outcome) {
      validator.check(record.key(), outcome, wall);
      campaigns.count(ids.pseudonymise(outcome.getCustomerId()), outcome);
      metrics.outcomeProcessed();
    } else if (value instanceof ErasureRequest request) {
      validator.check(record.key(), request);
      erasure.erase(ids.pseudonymise(request.getCustomerId()), request.getRequestedAt().toEpochMilli(), holder.current(),
          clock.now(context::currentStreamTimeMs, wall), wall);
    } else {
      throw new InvalidEventException(InvalidEventException.Reason.UNEXPECTED_TYPE, "unexpected record type "
          + (value == null ? "null (tombstone)" : value.getSchema().getFullName()));
    }
  }

  private void onEvent(String customerId, long dedupId, SpecificRecord event, long eventTime, boolean click,
      long wall) {
    CustomerProfile stored = stores.profiles().get(customerId);
    if (stored != null && stored.recentIds().contains(dedupId, eventTime)) {
      metrics.duplicateEvent(click);
      return;
    }
    clock.observe(eventTime, wall);
    long taskNow = clock.now(context::currentStreamTimeMs, wall);
    // One champion and its model for the whole step: a promotion that arrives meanwhile waits for the next.
    String champion = runtime.strategies().champion();
    ModelSnapshot model = runtime.strategies().holder(champion).current();
    // The strategies' part sees the customer at the moment the evaluator will (the later of the two).
    StrategyStep.Visit visit = strategySteps == null ? null
        : strategySteps.begin(customerId, stored, champion, model, Math.max(taskNow, eventTime), event, eventTime);
    Decision d = evaluator.onEvent(stored, event, eventTime, visit != null && visit.deferred ? null : model, taskNow,
        visit == null ? CustomerEvaluator.NO_SWITCH : visit.switchedFrom);
    if (visit != null) {
      strategySteps.finish(customerId, visit, d, false, event, eventTime, CustomerKey.of(settings.model().seed(), customerId));
    }
    applier.applyEvent(customerId, d, dedupId, eventTime, wall, champion);
    metrics.eventProcessed(click);
    if (stores.batch(champion).points() >= settings.deltaPoints()) sendDelta(wall);
  }

  private void punctuate(long wall) {
    loadModelFromGlobalStore();
    String champion = runtime.strategies().champion();
    ModelSnapshot model = runtime.strategies().holder(champion).current();
    metrics.onModel(champion, model);
    long now = clock.now(context::currentStreamTimeMs, wall);
    if (now == TaskClock.UNKNOWN) return;
    inactivity.run(champion, model, now, wall);
  }

  /** The holder is filled by the global store's processor; a task that starts before it reads the store. */
  private void loadModelFromGlobalStore() {
    for (var e : globalModels.entrySet()) {
      ModelHolder h = runtime.strategies().holder(e.getKey());
      if (h.current() != null) continue;
      byte[] bytes = e.getValue().get(SegmenterTopology.MODEL_KEY);
      if (bytes == null) continue;
      try {
        h.offer(InternalRecordCheck.modelVersion(bytes, -1));
      } catch (RejectedRecord ex) {
        // The global store only keeps versions that passed this check; nothing to count twice.
      }
    }
  }

  private void sendDeltaIfDue(long wall) {
    if (stores.batches().values().stream().anyMatch(b -> !b.isEmpty())
        && wall - lastDeltaWall >= settings.deltaIntervalMs()) {
      sendDelta(wall);
    }
  }

  /**
   * Sends each strategy's mini-batch to its aggregator (all of them together: the champion's size
   * decides when, and every strategy gets the same points); the sends and the store updates share
   * the transaction.
   */
  private void sendDelta(long wall) {
    for (var e : stores.batches().entrySet()) {
      MiniBatchBuffer batch = e.getValue();
      if (batch.isEmpty()) continue;
      ModelSnapshot model = runtime.strategies().holder(e.getKey()).current();
      TaskDelta delta = batch.pending(taskId, model == null ? -1 : model.version());
      // Wall-clock stamp: an event-time one could be older than the topic's retention (replays), and the
      // broker would delete the delta before the aggregator read it. Event times are in the payload.
      context.forward(new Record<>(taskId, ModelCodec.toAvro(delta), wall), SegmenterTopology.deltasSink(e.getKey()));
      batch.sent();
    }
    lastDeltaWall = wall;
  }
}
