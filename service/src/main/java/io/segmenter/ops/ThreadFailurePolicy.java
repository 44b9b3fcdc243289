package io.segmenter.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * When to replace a failed stream thread, and when the process should be restarted instead: pure
 * bookkeeping over the failure times, with the clock given (no Kafka imports; the Kafka side is
 * {@code io.segmenter.service.StreamThreadFailureHandler}).
 *
 * <ul>
 *   <li><b>Backoff.</b> The n-th failure within the window waits {@code initial * 2^(n-1)}, at most
 *       {@code max}, before its thread is replaced: 1 s, 2 s, 4 s, ... with the defaults. A thread
 *       that fails on every record (a dependency down, a bug) then retries ever more slowly instead
 *       of spinning through rebalances; one isolated failure costs only the initial wait.</li>
 *   <li><b>Liveness.</b> With {@code maxFailures} failures within the window the process is no
 *       longer live ({@code /health/live} 503): replacing threads has not helped, and a restart by
 *       the orchestrator is the next remedy. When old failures leave the window (a sliding window:
 *       a failure counts for {@code window} after it happened) the count falls and the process is live
 *       again, and the backoff falls with it.</li>
 *   <li><b>Global thread.</b> Kafka Streams cannot replace its global thread; its failure stops the
 *       client, so the process is not live from then on, whatever the window says.</li>
 * </ul>
 *
 * <p>Thread-safe: stream threads report failures while HTTP threads read {@link #status()}.
 */
public final class ThreadFailurePolicy {
  /**
   * Failures remembered at least, newest kept (more when {@code maxFailures} is larger). Liveness needs
   * at most {@code maxFailures} of them and the backoff stops growing once it reaches its cap, so a
   * bounded history loses nothing that matters as long as it holds both; 64 doublings exceed any cap.
   */
  static final int HISTORY_LIMIT = 64;

  /**
   * @param initialBackoff wait before replacing the thread after the first failure in the window
   * @param maxBackoff the longest wait
   * @param maxFailures failures in the window at which the process is no longer live
   * @param window how long a failure counts
   */
  public record Settings(Duration initialBackoff, Duration maxBackoff, int maxFailures, Duration window) {
    public Settings {
      if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("need 0 <= initial backoff <= max backoff: " + initialBackoff + ", " + maxBackoff);
      }
      if (maxFailures < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("need maxFailures >= 1 and a positive window: " + maxFailures + ", " + window);
      }
    }

    /** The defaults of segmenter's settings: 1 s doubling to 60 s; 5 failures in 10 minutes. */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(60), 5, Duration.ofMinutes(10));
    }
  }

  /**
   * One failure of a stream thread: its number since start (1, 2, ...), when, how long its replacement
   * waits, and when the replacement was asked for (null while it waits, or when the process stopped first).
   */
  public record Failure(long number, Instant failedAt, Duration backoff, Instant replacedAt) { }

  /** What the policy decided for a failure ({@code number} identifies it in {@link #replacementStarted}). */
  public record Decision(long number, Duration backoff, int failuresInWindow, boolean live) { }

  /**
   * The state shown on {@code /health} and in the metrics.
   *
   * @param failuresInWindow stream-thread failures within the window (counted up to the larger of
   *     {@value #HISTORY_LIMIT} and the limit)
   * @param total stream-thread failures since start
   * @param lastFailure the newest failure, or null
   * @param backoff the wait of the newest failure still in the window (zero when there is none)
   * @param nextBackoff what the next failure would wait
   * @param waiting threads whose replacement is waiting now
   * @param globalThreadFailed the global thread failed: the client is stopped for good
   * @param live whether the process should be kept running
   * @param recent the failures still in the window, oldest first
   */
  public record Status(int failuresInWindow, long total, Instant lastFailure, Duration backoff, Duration nextBackoff,
      int waiting, boolean globalThreadFailed, boolean live, Settings settings, List<Failure> recent) { }

  private final Settings settings;
  private final Clock clock;
  private final Deque<Failure> history = new ArrayDeque<>();
  private long total;
  private Instant lastFailure;
  private int waiting;
  private boolean globalThreadFailed;

  public ThreadFailurePolicy(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  public Settings settings() {
    return settings;
  }

  /** A stream thread failed now: how long to wait before replacing it, and whether the process is still live. */
  public synchronized Decision streamThreadFailed() {
    Instant now = clock.instant();
    forgetOld(now);
    Duration backoff = backoff(history.size() + 1);
    total++;
    history.addLast(new Failure(total, now, backoff, null));
    if (history.size() > Math.max(HISTORY_LIMIT, settings.maxFailures())) history.removeFirst();
    lastFailure = now;
    waiting++;
    return new Decision(total, backoff, history.size(), isLive());
  }

  /** The replacement of the thread of this failure ({@link Decision#number()}) was asked for now. */
  public synchronized void replacementStarted(long number) {
    waiting = Math.max(0, waiting - 1);
    Instant now = clock.instant();
    List<Failure> updated = new ArrayList<>(history.size());
    for (Failure f : history) {
      updated.add(f.number() == number && f.replacedAt() == null ? new Failure(f.number(), f.failedAt(), f.backoff(), now) : f);
    }
    history.clear();
    history.addAll(updated);
  }

  /** The global thread failed: Kafka Streams stops the client; the process is not live from now on. */
  public synchronized void globalThreadFailed() {
    globalThreadFailed = true;
    lastFailure = clock.instant();
  }

  public synchronized Status status() {
    Instant now = clock.instant();
    forgetOld(now);
    int n = history.size();
    Duration current = n == 0 ? Duration.ZERO : history.peekLast().backoff();
    return new Status(n, total, lastFailure, current, backoff(n + 1), waiting, globalThreadFailed, isLive(), settings,
        List.copyOf(history));
  }

  /** Whether the process should be kept running (see the class comment). */
  public synchronized boolean live() {
    forgetOld(clock.instant());
    return isLive();
  }

  private boolean isLive() {
    return !globalThreadFailed && history.size() < settings.maxFailures();
  }

  /** The wait of the n-th failure in the window (n >= 1): initial * 2^(n-1), capped. */
  Duration backoff(int n) {
    long initial = settings.initialBackoff().toMillis();
    long max = settings.maxBackoff().toMillis();
    long wait = initial;
    for (int i = 1; i < n && wait < max; i++) {
      wait = wait > max / 2 ? max : wait * 2;
    }
    return Duration.ofMillis(Math.min(wait, max));
  }

  /** Drops the failures that happened a window or more ago. */
  private void forgetOld(Instant now) {
    Instant horizon = now.minus(settings.window());
    while (!history.isEmpty() && !history.peekFirst().failedAt().isAfter(horizon)) history.removeFirst();
  }
}
