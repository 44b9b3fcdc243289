package io.segmenter.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadFailurePolicyTest {
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private final ManualClock clock = new ManualClock(START);

  private ThreadFailurePolicy policy(long initialMs, long maxMs, int maxFailures, Duration window) {
    return new ThreadFailurePolicy(new ThreadFailurePolicy.Settings(Duration.ofMillis(initialMs), Duration.ofMillis(maxMs),
        maxFailures, window), clock);
  }

  @Test
  void theBackoffDoublesWithEveryFailureInTheWindowUpToItsCap() {
    ThreadFailurePolicy p = policy(1_000, 60_000, 100, Duration.ofHours(1));
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      waits.add(p.streamThreadFailed().backoff().toMillis());
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(waits).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 60_000L, 60_000L, 60_000L);
    assertThat(p.status().backoff()).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.status().nextBackoff()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void theCapHoldsForAnyNumberOfFailuresWithoutOverflow() {
    ThreadFailurePolicy p = policy(Long.MAX_VALUE / 4, Long.MAX_VALUE / 2, 1_000, Duration.ofDays(1));
    assertThat(p.backoff(1).toMillis()).isEqualTo(Long.MAX_VALUE / 4);
    assertThat(p.backoff(500).toMillis()).isEqualTo(Long.MAX_VALUE / 2);
    ThreadFailurePolicy none = policy(0, 0, 3, Duration.ofMinutes(1));
    assertThat(none.backoff(40)).isZero();
  }

  @Test
  void failuresLeaveTheWindowAndTheBackoffFallsWithThem() {
    ThreadFailurePolicy p = policy(1_000, 60_000, 100, Duration.ofMinutes(10));
    p.streamThreadFailed();                           // t = 0
    clock.advance(Duration.ofMinutes(4));
    p.streamThreadFailed();                           // t = 4 min
    clock.advance(Duration.ofMinutes(4));
    assertThat(p.streamThreadFailed().backoff()).as("third in the window").isEqualTo(Duration.ofSeconds(4)); // t = 8 min
    clock.advance(Duration.ofMinutes(3));             // t = 11 min: the first has left
    ThreadFailurePolicy.Status s = p.status();
    assertThat(s.failuresInWindow()).isEqualTo(2);
    assertThat(s.total()).isEqualTo(3);
    assertThat(s.recent()).extracting(ThreadFailurePolicy.Failure::failedAt)
        .containsExactly(START.plus(Duration.ofMinutes(4)), START.plus(Duration.ofMinutes(8)));
    assertThat(s.nextBackoff()).isEqualTo(Duration.ofSeconds(4));
    clock.advance(Duration.ofMinutes(10));            // all gone
    assertThat(p.status().failuresInWindow()).isZero();
    assertThat(p.status().backoff()).isZero();
    assertThat(p.status().lastFailure()).as("the last failure stays known").isEqualTo(START.plus(Duration.ofMinutes(8)));
    assertThat(p.streamThreadFailed().backoff()).as("a fresh start").isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aFailureCountsForExactlyTheWindow() {
    ThreadFailurePolicy p = policy(1_000, 60_000, 100, Duration.ofMinutes(10));
    p.streamThreadFailed();
    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(p.status().failuresInWindow()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(p.status().failuresInWindow()).isZero();
  }

  @Test
  void livenessEndsAtTheLimitAndReturnsWhenOldFailuresLeaveTheWindow() {
    ThreadFailurePolicy p = policy(1_000, 60_000, 3, Duration.ofMinutes(10));
    assertThat(p.live()).isTrue();
    assertThat(p.streamThreadFailed().live()).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(p.streamThreadFailed().live()).isTrue();
    clock.advance(Duration.ofMinutes(1));
    ThreadFailurePolicy.Decision third = p.streamThreadFailed();
    assertThat(third.failuresInWindow()).isEqualTo(3);
    assertThat(third.live()).as("the third failure within 10 minutes").isFalse();
    assertThat(p.live()).isFalse();
    assertThat(p.status().live()).isFalse();
    clock.advance(Duration.ofMinutes(8)); // t = 10 min: the first failure leaves the window
    assertThat(p.live()).as("two failures left in the window").isTrue();
    assertThat(p.status().failuresInWindow()).isEqualTo(2);
  }

  @Test
  void aGlobalThreadFailureEndsLivenessForGood() {
    ThreadFailurePolicy p = policy(1_000, 60_000, 5, Duration.ofMinutes(10));
    p.globalThreadFailed();
    assertThat(p.live()).isFalse();
    clock.advance(Duration.ofDays(1));
    ThreadFailurePolicy.Status s = p.status();
    assertThat(s.live()).isFalse();
    assertThat(s.globalThreadFailed()).isTrue();
    assertThat(s.lastFailure()).isEqualTo(START);
    assertThat(s.failuresInWindow()).as("not a stream-thread failure").isZero();
  }

  @Test
  void aReplacementIsRecordedOnItsFailureAndEndsTheWait() {
    ThreadFailurePolicy p = policy(1_000, 60_000, 5, Duration.ofMinutes(10));
    ThreadFailurePolicy.Decision first = p.streamThreadFailed();
    ThreadFailurePolicy.Decision second = p.streamThreadFailed();
    assertThat(p.status().waiting()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(2));
    p.replacementStarted(second.number());
    ThreadFailurePolicy.Status s = p.status();
    assertThat(s.waiting()).isEqualTo(1);
    assertThat(s.recent()).extracting(ThreadFailurePolicy.Failure::replacedAt)
        .containsExactly(null, START.plus(Duration.ofSeconds(2)));
    p.replacementStarted(first.number());
    assertThat(p.status().waiting()).isZero();
  }

  @Test
  void theHistoryIsBounded() {
    ThreadFailurePolicy p = policy(1, 10, 10, Duration.ofDays(1));
    for (int i = 0; i < 1_000; i++) {
      p.streamThreadFailed();
      clock.advance(Duration.ofMillis(1));
    }
    assertThat(p.status().recent()).hasSize(ThreadFailurePolicy.HISTORY_LIMIT);
    assertThat(p.status().total()).isEqualTo(1_000);
  }

  @Test
  void settingsThatMakeNoSenseAreRefused() {
    assertThatThrownBy(() -> policy(2_000, 1_000, 5, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy(1_000, 2_000, 0, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy(1_000, 2_000, 5, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
