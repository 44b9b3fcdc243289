package io.segmenter.topology;

import io.segmenter.evaluation.CustomerEvaluator;
import io.segmenter.evaluation.Decision;
import io.segmenter.evaluation.TaskClock;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.ErasureRequest;
import io.segmenter.events.OrderEvent;
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
  private ReadOnlyKeyValueStore<String, byte[]> globalModel;
  private TaskStores stores;
  private CustomerEvaluator evaluator;
  private DecisionApplier applier;
  private InactivityCheck inactivity;
  private CustomerErasure erasure;
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
    globalModel = context.getStateStore(SegmenterTopology.MODEL_GLOBAL_STORE);
    // Initialised again when a task is revived after an error: its stores were restored, and the
    // counts of the previous initialisation are void.
    if (stores != null) stores.close();
    stores = TaskStores.open(context, settings, runtime);
    evaluator = new CustomerEvaluator(settings.evaluator());
    applier = new DecisionApplier(context, stores, metrics, settings);
    erasure = new CustomerErasure(context, stores, metrics, settings.model().seed());
    clock = new TaskClock(settings.hybridClock(), settings.maxAheadMs());
    taskId = context.taskId().toString();
    lastDeltaWall = context.currentSystemTimeMs();
    loadModelFromGlobalStore();
    metrics.onModel(holder.current());
    inactivity = new InactivityCheck(settings, evaluator, stores, applier, holder.current());
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
    Decision d = evaluator.onEvent(stored, event, eventTime, holder.current(), taskNow);
    applier.applyEvent(customerId, d, dedupId, eventTime, wall);
    metrics.eventProcessed(click);
    if (stores.batch().points() >= settings.deltaPoints()) sendDelta(wall);
  }

  private void punctuate(long wall) {
    loadModelFromGlobalStore();
    metrics.onModel(holder.current());
    long now = clock.now(context::currentStreamTimeMs, wall);
    if (now == TaskClock.UNKNOWN) return;
    inactivity.run(holder.current(), now, wall);
  }

  /** The holder is filled by the global store's processor; a task that starts before it reads the store. */
  private void loadModelFromGlobalStore() {
    if (holder.current() != null) return;
    byte[] bytes = globalModel.get(SegmenterTopology.MODEL_KEY);
    if (bytes == null) return;
    try {
      holder.offer(InternalRecordCheck.modelVersion(bytes, -1));
    } catch (RejectedRecord e) {
      // The global store only keeps versions that passed this check; nothing to count twice.
    }
  }

  private void sendDeltaIfDue(long wall) {
    if (!stores.batch().isEmpty() && wall - lastDeltaWall >= settings.deltaIntervalMs()) sendDelta(wall);
  }

  /** Sends the mini-batch to the aggregator; the send and the store update share the transaction. */
  private void sendDelta(long wall) {
    if (stores.batch().isEmpty()) return;
    ModelSnapshot model = holder.current();
    TaskDelta delta = stores.batch().pending(taskId, model == null ? -1 : model.version());
    // Wall-clock stamp: an event-time one could be older than the topic's retention (replays), and the
    // broker would delete the delta before the aggregator read it. Event times are in the payload.
    context.forward(new Record<>(taskId, ModelCodec.toAvro(delta), wall), SegmenterTopology.DELTAS_SINK);
    stores.batch().sent();
    lastDeltaWall = wall;
  }
}
