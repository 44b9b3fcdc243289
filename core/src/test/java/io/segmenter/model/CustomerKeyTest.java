package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CustomerKeyTest {
  @Test
  void theKeyIsTheFirst63BitsOfSha256OverSeedAndIdAsStoredKeysExpect() {
    // Expected values from Python's hashlib (sha256(seed as 8 big-endian bytes + UTF-8 id), first 8
    // bytes, sign bit cleared): the panel's keys are stored, so the function must never change.
    assertThat(CustomerKey.of(42, "c-1")).isEqualTo(7662913025559786815L);
    assertThat(CustomerKey.of(7, "Zoë")).isEqualTo(378651432590725641L);
    // The per-thread digest is reset between calls: a repeat gives the same key.
    assertThat(CustomerKey.of(42, "c-1")).isEqualTo(7662913025559786815L);
  }
}
