package io.segmenter.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromTheInitialWaitUpToTheCap() {
    Backoff backoff = new Backoff(100, 1000, () -> 0.0); // no jitter drawn
    assertThat(backoff.delayMs(1)).isEqualTo(100);
    assertThat(backoff.delayMs(2)).isEqualTo(200);
    assertThat(backoff.delayMs(3)).isEqualTo(400);
    assertThat(backoff.delayMs(4)).isEqualTo(800);
    assertThat(backoff.delayMs(5)).isEqualTo(1000);
    assertThat(backoff.delayMs(80)).isEqualTo(1000); // no overflow however many retries
  }

  @Test
  void jitterTakesOffAtMostAQuarter() {
    Backoff backoff = new Backoff(100, 1000, () -> 0.999_999);
    assertThat(backoff.delayMs(1)).isEqualTo(75);
    assertThat(backoff.delayMs(5)).isEqualTo(750);
  }

  @Test
  void randomDelaysStayWithinTheirBounds() {
    Backoff backoff = new Backoff(20, 50);
    for (int i = 0; i < 1000; i++) {
      assertThat(backoff.delayMs(1)).isBetween(15L, 20L);
      assertThat(backoff.delayMs(3)).isBetween(37L, 50L);
    }
  }

  @Test
  void hugeInitialWaitsDoNotOverflow() {
    Backoff backoff = new Backoff(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, () -> 0.0);
    assertThat(backoff.nominalMs(10)).isEqualTo(Long.MAX_VALUE / 2);
  }

  @Test
  void rejectsACapBelowTheInitialWait() {
    assertThatThrownBy(() -> new Backoff(100, 50)).isInstanceOf(IllegalArgumentException.class);
  }
}
