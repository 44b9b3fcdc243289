package io.segmenter.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.strategy.CustomerStrategies.Assignment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomerStrategiesCodecTest {
  private static final long T0 = 1_780_000_000_000L; // 2026-05-28

  /** A customer with two challengers, in the middle of a begun window with orders and a quiet change. */
  static CustomerStrategies busy() {
    CustomerStrategies s = new CustomerStrategies();
    s.champion(StrategySpec.DEFAULT);
    s.put("true-k", new Assignment(682_000_004, 91));
    s.put("wide", new Assignment(733_000_001, 88));
    OutcomeWindows.visit(s, T0, Map.of("default", 3, "true-k", 682_000_004, "wide", 733_000_001));
    OutcomeWindows.visit(s, s.windowStart() + 5, Map.of("default", 3, "true-k", 682_000_004, "wide", 733_000_001));
    OutcomeWindows.onOrder(s, s.windowStart() + 5, 19.99);
    OutcomeWindows.onOrder(s, s.windowStart() + 6, 5.01);
    OutcomeWindows.onQuietChange(s, "wide");
    return s;
  }

  @Test
  void aCustomerRoundTripsInAboutOneHundredBytes() {
    CustomerStrategies s = busy();
    assertThat(s.windowBegun()).isTrue();
    assertThat(s.orders()).isEqualTo(2);

    byte[] bytes = CustomerStrategiesCodec.encode(s);
    CustomerStrategies back = CustomerStrategiesCodec.decode(bytes);

    assertThat(back).isEqualTo(s);
    assertThat(back.assignment("wide")).isEqualTo(new Assignment(733_000_001, 88));
    assertThat(back.segmentsAtStart()).containsEntry("true-k", 682_000_004).hasSize(3);
    assertThat(back.quietChanges()).containsExactly(Map.entry("wide", 1));
    assertThat(back.revenue()).isEqualTo(25.0);
    assertThat(bytes.length).as("bytes for two challengers and a begun window").isEqualTo(91);

    CustomerStrategies fresh = new CustomerStrategies();
    assertThat(fresh.isEmpty()).isTrue();
    CustomerStrategies freshBack = CustomerStrategiesCodec.decode(CustomerStrategiesCodec.encode(fresh));
    assertThat(freshBack).isEqualTo(fresh);
    assertThat(freshBack.champion()).isNull();
    assertThat(freshBack.windowStart()).isEqualTo(CustomerStrategies.NONE);
  }

  /** The layout as bytes: a change of it breaks every stored record, so it must be deliberate. */
  @Test
  void theVersionOneLayoutIsFixed() {
    CustomerStrategies s = new CustomerStrategies();
    s.champion("default");
    s.put("wide", new Assignment(3, 7));
    s.window(OutcomeWindows.WINDOW_MS, true, Map.of("default", 2, "wide", 3));
    s.counters(2, 12.5, Map.of("wide", 1));
    String golden = "01"
        + "08" + "64656661756c74"                  // champion "default", length + 1
        + "01" + "04" + "77696465" + "06" + "0e"    // 1 challenger: "wide", segment 3, model version 7
        + "80a0f6a713" + "01"                       // window start 2,592,000,000 (zz), begun
        + "02" + "07" + "64656661756c74" + "04"     // segments at start: default 2,
        + "04" + "77696465" + "06"                  //   wide 3
        + "02" + "4029000000000000"                 // 2 orders, revenue 12.5
        + "01" + "04" + "77696465" + "01";          // quiet changes: wide 1
    assertThat(HexFormat.of().formatHex(CustomerStrategiesCodec.encode(s))).isEqualTo(golden);
    assertThat(CustomerStrategiesCodec.decode(HexFormat.of().parseHex(golden))).isEqualTo(s);
    // No window: Long.MIN_VALUE zig-zags to ten bytes; no champion is a single 0.
    assertThat(HexFormat.of().formatHex(CustomerStrategiesCodec.encode(new CustomerStrategies())))
        .isEqualTo("01" + "00" + "00" + "ffffffffffffffffff01" + "00" + "00" + "00" + "0000000000000000" + "00");
  }

  @Test
  void bytesANewerReleaseAppendedAreIgnored() {
    byte[] good = CustomerStrategiesCodec.encode(busy());
    byte[] longer = Arrays.copyOf(good, good.length + 3);
    longer[good.length] = 42;
    assertThat(CustomerStrategiesCodec.decode(longer)).isEqualTo(busy());
  }

  @Test
  void bytesCutAnywhereAnUnknownVersionOrABadValueFailSayingWhy() {
    byte[] good = CustomerStrategiesCodec.encode(busy());
    for (int length = 1; length < good.length; length++) {
      byte[] cut = Arrays.copyOf(good, length);
      assertThatThrownBy(() -> CustomerStrategiesCodec.decode(cut)).as("cut at %d of %d bytes", length, good.length)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageMatching("(?s).*(truncated|exceeds the remaining bytes).*");
    }
    assertThatThrownBy(() -> CustomerStrategiesCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    byte[] version2 = good.clone();
    version2[0] = 2;
    assertThatThrownBy(() -> CustomerStrategiesCodec.decode(version2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 2").hasMessageContaining("reads 1");
    byte[] hugeName = {1, 0, 1, (byte) 0xff, (byte) 0xff, 0x7f};
    assertThatThrownBy(() -> CustomerStrategiesCodec.decode(hugeName)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the remaining bytes");
    byte[] belowNone = HexFormat.of().parseHex("01" + "00" + "01" + "0178" + "03" + "00");
    assertThatThrownBy(() -> CustomerStrategiesCodec.decode(belowNone)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segment of x is -2");
  }
}
