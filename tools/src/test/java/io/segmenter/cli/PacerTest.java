package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pacing on a fake clock: the sleeps asked for, not real time. */
class PacerTest {
  private long now;
  private final List<Long> sleeps = new ArrayList<>();

  private Pacer pacer(double rate) {
    return new Pacer(rate, () -> now, nanos -> {
      sleeps.add(nanos);
      now += nanos;
    });
  }

  @Test
  void sleepsUntilEachSlotWithoutDrift() throws InterruptedException {
    Pacer p = pacer(10);
    for (int i = 0; i < 11; i++) p.await();
    // The first event goes at once, then one every 100 ms: 1 s for 11 events.
    assertThat(now).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    assertThat(sleeps).hasSize(10).allMatch(s -> s == TimeUnit.MILLISECONDS.toNanos(100));
  }

  @Test
  void aLateLoopCatchesUpWithoutSleeping() throws InterruptedException {
    Pacer p = pacer(10);
    p.await();
    now += TimeUnit.MILLISECONDS.toNanos(450); // the work of one event took 450 ms
    p.await();
    p.await();
    p.await();
    p.await(); // slots at 100, 200, 300, 400 ms: all already past
    assertThat(sleeps).isEmpty();
    p.await(); // slot at 500 ms
    assertThat(sleeps).containsExactly(TimeUnit.MILLISECONDS.toNanos(50));
  }

  @Test
  void rateZeroNeverSleeps() throws InterruptedException {
    Pacer p = pacer(0);
    for (int i = 0; i < 1_000; i++) p.await();
    assertThat(sleeps).isEmpty();
  }

  @Test
  void refusesANegativeRate() {
    assertThatThrownBy(() -> new Pacer(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Pacer(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
