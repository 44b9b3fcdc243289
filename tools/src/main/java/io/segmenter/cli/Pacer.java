package io.segmenter.cli;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces a loop at a fixed number of events per second by sleeping until each event's slot (slot n
 * is at start + n / rate): no busy waiting, and no drift, since a late slot is not pushed back (the
 * loop catches up). Rate 0 means no pacing.
 */
final class Pacer {
  /** Sleeps shorter than this are skipped: the next slot catches up, and the loop stays cheap at high rates. */
  private static final long MIN_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final double ratePerSecond;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private long start;
  private long issued;

  /** How to sleep; a field so that tests can pace without waiting. */
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  Pacer(double ratePerSecond) {
    this(ratePerSecond, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
  }

  Pacer(double ratePerSecond, LongSupplier nanoClock, Sleeper sleeper) {
    if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be a finite number >= 0: " + ratePerSecond);
    }
    this.ratePerSecond = ratePerSecond;
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
    this.start = nanoClock.getAsLong();
  }

  /** Blocks until the next event may go. */
  void await() throws InterruptedException {
    if (ratePerSecond == 0) return;
    long slot = start + (long) (issued * 1e9 / ratePerSecond);
    issued++;
    long wait = slot - nanoClock.getAsLong();
    if (wait >= MIN_SLEEP_NANOS) sleeper.sleepNanos(wait);
  }

  /** Starts counting slots afresh from now (after a pause, so that the loop does not burst to catch up). */
  void restart() {
    start = nanoClock.getAsLong();
    issued = 0;
  }
}
