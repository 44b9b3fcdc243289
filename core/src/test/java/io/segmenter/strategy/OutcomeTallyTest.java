package io.segmenter.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.strategy.OutcomeWindows.ClosedWindow;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeTallyTest {

  @Test
  void aClosedWindowCountsOnceWithTheQuietChangesOfTheStrategyAsked() {
    ClosedWindow bought = new ClosedWindow(0, Map.of("default", 1, "wide", 733_000_000), true, 3, 45.5,
        Map.of("wide", 2));
    ClosedWindow idle = new ClosedWindow(0, Map.of("default", 1), false, 0, 0, Map.of());

    assertThat(OutcomeTally.of(bought, "wide")).isEqualTo(new OutcomeTally(1, 1, 3, 45.5, 2));
    assertThat(OutcomeTally.of(bought, "default")).isEqualTo(new OutcomeTally(1, 1, 3, 45.5, 0));
    assertThat(OutcomeTally.of(bought, "default").plus(OutcomeTally.of(idle, "default")))
        .isEqualTo(new OutcomeTally(2, 1, 3, 45.5, 0));
    assertThat(OutcomeTally.ZERO.plus(OutcomeTally.of(idle, "x"))).isEqualTo(new OutcomeTally(1, 0, 0, 0, 0));
  }

  @Test
  void windowsAreSummedPerStrategyUnderTheSegmentEachGaveAtTheStart() {
    ClosedWindow a = new ClosedWindow(0, Map.of("default", 1, "wide", 733_000_000), true, 2, 10, Map.of("wide", 1));
    ClosedWindow b = new ClosedWindow(0, Map.of("default", 1, "wide", 733_000_001), false, 0, 0, Map.of());
    ClosedWindow c = new ClosedWindow(0, Map.of("default", 2), true, 1, 5, Map.of("default", 3));

    assertThat(OutcomeTally.byStrategy(List.of(a, b, c))).isEqualTo(Map.of(
        "default", Map.of(1, new OutcomeTally(2, 1, 2, 10, 0), 2, new OutcomeTally(1, 1, 1, 5, 3)),
        "wide", Map.of(733_000_000, new OutcomeTally(1, 1, 2, 10, 1), 733_000_001, new OutcomeTally(1, 0, 0, 0, 0))));
  }

  @Test
  void theEncodingIsFortyOneFixedBytes() {
    OutcomeTally t = new OutcomeTally(1000, 250, 400, 12_345.5, 7);
    String golden = "01" + "00000000000003e8" + "00000000000000fa" + "0000000000000190" + "40c81cc000000000"
        + "0000000000000007";
    assertThat(HexFormat.of().formatHex(t.encode())).isEqualTo(golden);
    assertThat(OutcomeTally.decode(HexFormat.of().parseHex(golden))).isEqualTo(t);
    assertThat(OutcomeTally.decode(OutcomeTally.ZERO.encode())).isEqualTo(OutcomeTally.ZERO);
  }

  @Test
  void badBytesAndImpossibleCountsAreRefused() {
    byte[] good = new OutcomeTally(10, 5, 6, 1.0, 0).encode();
    assertThatThrownBy(() -> OutcomeTally.decode(Arrays.copyOf(good, 40))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("40 bytes, not 41");
    byte[] version9 = good.clone();
    version9[0] = 9;
    assertThatThrownBy(() -> OutcomeTally.decode(version9)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 9");
    assertThatThrownBy(() -> OutcomeTally.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> new OutcomeTally(1, 2, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 purchasing windows of 1");
    assertThatThrownBy(() -> new OutcomeTally(-1, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OutcomeTally(1, 0, 0, Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
