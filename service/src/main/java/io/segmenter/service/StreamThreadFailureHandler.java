package io.segmenter.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.segmenter.ops.ThreadFailurePolicy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a Kafka Streams thread dies of an exception (bad input never gets here: it goes
 * to the dead-letter topic; this is for a dependency that is down, or a bug). A stream thread is
 * replaced after the backoff that {@link ThreadFailurePolicy} gives, so that a thread failing on every
 * record retries ever more slowly; the policy also says when the process stops being live, for the
 * orchestrator to restart it. The global thread cannot be replaced: its failure shuts the client down.
 *
 * <p><b>How the wait delays the replacement (Kafka Streams 4.3.1).</b> {@code StreamThread.run()}
 * catches what escapes its loop and calls the uncaught-exception handler on the failing thread itself,
 * before {@code completeShutdown()}; {@code KafkaStreams.handleStreamsUncaughtException} calls
 * {@link #handle} first and only then, for REPLACE_THREAD, {@code replaceStreamThread}: it shuts the
 * old thread down and calls {@code addStreamThread()}. So waiting here, on the failing thread, delays
 * the replacement by the wait.
 *
 * <p><b>Why waiting is safe.</b> Meanwhile the dying thread's tasks are idle: nothing polls, processes
 * or commits them, and no other thread or instance takes them (the consumer's background heartbeat
 * keeps them assigned, as long as the wait stays under {@code max.poll.interval.ms}). What they
 * processed since their last commit is not committed: under exactly-once the open transaction is
 * aborted when the thread closes its tasks (or by the transaction timeout), and the replacement reads
 * those records again. The other stream threads of this instance go on working. Closing the service
 * ends every wait at once ({@link #close}), so a shutdown is never held up by a backoff.
 *
 * <p>Kafka Streams also calls the handler, without a thread dying, for non-fatal errors of named
 * topologies, which segmenter does not use.
 */
public final class StreamThreadFailureHandler implements StreamsUncaughtExceptionHandler, AutoCloseable {
  /** Metric: thread failures, by thread kind ({@code stream} or {@code global}). */
  public static final String FAILURES = "segmenter.stream.thread.failures";
  /** Name suffix of Kafka Streams' global thread ({@code <client.id>-GlobalStreamThread} in 4.3.1). */
  static final String GLOBAL_THREAD_SUFFIX = "-GlobalStreamThread";
  private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailureHandler.class);

  /** Waits for the backoff; returns early when the service closes. */
  interface Waiter {
    void await(Duration wait, CountDownLatch closing) throws InterruptedException;
  }

  private final ThreadFailurePolicy policy;
  private final Counter streamFailures;
  private final Counter globalFailures;
  private final Waiter waiter;
  private final CountDownLatch closing = new CountDownLatch(1);

  public StreamThreadFailureHandler(ThreadFailurePolicy policy, MeterRegistry meters) {
    this(policy, meters, (wait, closing) -> closing.await(wait.toMillis(), TimeUnit.MILLISECONDS));
  }

  StreamThreadFailureHandler(ThreadFailurePolicy policy, MeterRegistry meters, Waiter waiter) {
    this.policy = policy;
    this.waiter = waiter;
    this.streamFailures = Counter.builder(FAILURES).tag("thread", "stream")
        .description("Kafka Streams threads that died of an exception, by kind (stream threads are replaced after a backoff)")
        .register(meters);
    this.globalFailures = Counter.builder(FAILURES).tag("thread", "global")
        .description("Kafka Streams threads that died of an exception, by kind (stream threads are replaced after a backoff)")
        .register(meters);
  }

  public ThreadFailurePolicy policy() {
    return policy;
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable exception) {
    String thread = Thread.currentThread().getName();
    if (thread.endsWith(GLOBAL_THREAD_SUFFIX)) {
      globalFailures.increment();
      policy.globalThreadFailed();
      // The exception's text names topics, partitions and offsets, never a record's key or value.
      LOG.error("global thread {} failed: {}. It cannot be replaced, so Kafka Streams shuts this client down; "
          + "/health/live answers 503 from now on: restart the process", thread, exception.toString());
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    streamFailures.increment();
    ThreadFailurePolicy.Decision decision = policy.streamThreadFailed();
    ThreadFailurePolicy.Settings s = policy.settings();
    LOG.error("stream thread failed; replacing it in {} ms ({}: failure {} within {} s, liveness ends at {}): {}",
        decision.backoff().toMillis(), thread, decision.failuresInWindow(), s.window().toSeconds(), s.maxFailures(),
        exception.toString());
    if (!decision.live()) {
      LOG.error("{} stream-thread failures within {} s: /health/live answers 503 until failures leave the window "
          + "(the orchestrator should restart this process); threads are still replaced meanwhile",
          decision.failuresInWindow(), s.window().toSeconds());
    }
    try {
      waiter.await(decision.backoff(), closing);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      policy.replacementStarted(decision.number());
    }
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** Ends every wait now: the service is closing (Kafka Streams does not add threads once shutting down). */
  @Override
  public void close() {
    closing.countDown();
  }
}
