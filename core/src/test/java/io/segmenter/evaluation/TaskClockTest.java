package io.segmenter.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskClockTest {
  private static final long WALL = 1_800_000_000_000L;
  private static final long HOUR = 3_600_000L;

  @Test
  void beforeAnyRecordTheClockIsUnknown() {
    assertThat(new TaskClock(true, 0).now(() -> -1, WALL)).isEqualTo(TaskClock.UNKNOWN);
  }

  @Test
  void aReplayOfHistoryRunsOnEventTimeAndTheHybridClockAddsIdleWallTime() {
    TaskClock hybrid = new TaskClock(true, 5 * 60_000);
    long history = WALL - 400L * 24 * HOUR;
    hybrid.observe(history, WALL);
    assertThat(hybrid.now(() -> -1, WALL)).isEqualTo(history);
    assertThat(hybrid.now(() -> -1, WALL + HOUR)).as("an hour idle").isEqualTo(history + HOUR);
    TaskClock event = new TaskClock(false, 5 * 60_000);
    event.observe(history, WALL);
    assertThat(event.now(() -> -1, WALL + HOUR)).isEqualTo(history);
  }

  @Test
  void anEventAheadOfTheWallClockMovesTheClockNoFurtherThanTheAllowance() {
    TaskClock clock = new TaskClock(false, 5 * 60_000);
    clock.observe(WALL - HOUR, WALL);
    clock.observe(WALL + 23 * HOUR, WALL);
    assertThat(clock.now(() -> -1, WALL)).isEqualTo(WALL + 5 * 60_000);
    // As the wall clock catches up, so does the allowance; the stamp itself is never exceeded.
    clock.observe(WALL + 23 * HOUR, WALL + 30 * HOUR);
    assertThat(clock.now(() -> -1, WALL + 30 * HOUR)).isEqualTo(WALL + 23 * HOUR);
  }

  @Test
  void kafkasStreamTimeAfterARestartIsCappedTheSameWay() {
    TaskClock clock = new TaskClock(false, 60_000);
    assertThat(clock.now(() -> WALL + 23 * HOUR, WALL)).isEqualTo(WALL + 60_000);
    assertThat(new TaskClock(false, 60_000).now(() -> WALL - HOUR, WALL)).isEqualTo(WALL - HOUR);
  }
}
