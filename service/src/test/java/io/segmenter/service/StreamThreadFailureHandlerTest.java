package io.segmenter.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.segmenter.ops.ThreadFailurePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/**
 * The handler on real threads named as Kafka Streams 4.3.1 names its own ({@code <client.id>-StreamThread-N},
 * {@code <client.id>-GlobalStreamThread}), with the real policy and meters; only the wait is recorded
 * instead of slept, except where the test is about the wait itself.
 */
class StreamThreadFailureHandlerTest {
  private static final ThreadFailurePolicy.Settings SETTINGS =
      new ThreadFailurePolicy.Settings(Duration.ofSeconds(1), Duration.ofSeconds(5), 3, Duration.ofMinutes(10));
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** Runs the handler on a new thread of that name, as Kafka Streams does on the failing thread. */
  private static StreamThreadExceptionResponse failOn(String threadName, StreamThreadFailureHandler handler)
      throws Exception {
    CompletableFuture<StreamThreadExceptionResponse> response = new CompletableFuture<>();
    Thread t = new Thread(() -> response.complete(handler.handle(new IllegalStateException("registry down"))), threadName);
    t.start();
    return response.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aStreamThreadIsReplacedAfterAGrowingWait() throws Exception {
    List<Duration> waits = new ArrayList<>();
    ThreadFailurePolicy policy = new ThreadFailurePolicy(SETTINGS, Clock.systemUTC());
    StreamThreadFailureHandler handler = new StreamThreadFailureHandler(policy, meters, (wait, closing) -> waits.add(wait));
    for (int i = 0; i < 4; i++) {
      assertThat(failOn("app-1234-StreamThread-" + (i + 1), handler)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
    assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5));
    assertThat(meters.get(StreamThreadFailureHandler.FAILURES).tag("thread", "stream").counter().count()).isEqualTo(4);
    ThreadFailurePolicy.Status status = policy.status();
    assertThat(status.live()).as("4 failures, limit 3").isFalse();
    assertThat(status.waiting()).isZero();
    assertThat(status.recent()).allSatisfy(f -> assertThat(f.replacedAt()).isNotNull());
  }

  @Test
  void aGlobalThreadFailureShutsTheClientDownAtOnceAndEndsLiveness() throws Exception {
    List<Duration> waits = new ArrayList<>();
    ThreadFailurePolicy policy = new ThreadFailurePolicy(SETTINGS, Clock.systemUTC());
    StreamThreadFailureHandler handler = new StreamThreadFailureHandler(policy, meters, (wait, closing) -> waits.add(wait));
    assertThat(failOn("app-1234-GlobalStreamThread", handler)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(waits).as("no wait: nothing will be replaced").isEmpty();
    assertThat(policy.live()).isFalse();
    assertThat(policy.status().globalThreadFailed()).isTrue();
    assertThat(meters.get(StreamThreadFailureHandler.FAILURES).tag("thread", "global").counter().count()).isEqualTo(1);
    assertThat(meters.get(StreamThreadFailureHandler.FAILURES).tag("thread", "stream").counter().count()).isZero();
  }

  @Test
  void theRealWaitLastsTheBackoffAndClosingEndsIt() throws Exception {
    ThreadFailurePolicy.Settings slow =
        new ThreadFailurePolicy.Settings(Duration.ofMillis(300), Duration.ofMinutes(5), 5, Duration.ofMinutes(10));
    ThreadFailurePolicy policy = new ThreadFailurePolicy(slow, Clock.systemUTC());
    StreamThreadFailureHandler handler = new StreamThreadFailureHandler(policy, meters);

    long started = System.nanoTime();
    failOn("app-StreamThread-1", handler);
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(waitedMs).as("the first failure's wait (300 ms)").isBetween(300L, 5_000L);

    // Failures until the next one waits the 5-minute cap.
    while (policy.status().nextBackoff().compareTo(Duration.ofMinutes(5)) < 0) {
      policy.replacementStarted(policy.streamThreadFailed().number());
    }
    assertThat(policy.status().nextBackoff()).isEqualTo(Duration.ofMinutes(5));
    CountDownLatch inHandler = new CountDownLatch(1);
    CompletableFuture<StreamThreadExceptionResponse> response = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      inHandler.countDown();
      response.complete(handler.handle(new IllegalStateException("still down")));
    }, "app-StreamThread-2");
    t.start();
    assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
    long closing = System.nanoTime();
    handler.close();
    assertThat(response.get(10, TimeUnit.SECONDS)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - closing)).as("a close ends a 5-minute wait").isLessThan(10);
  }
}
