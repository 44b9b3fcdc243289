package io.segmenter.profile;

import static io.segmenter.profile.ProfileEvents.DAY;
import static io.segmenter.profile.ProfileEvents.T0;
import static io.segmenter.profile.ProfileEvents.click;
import static io.segmenter.profile.ProfileEvents.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.events.ClickType;
import io.segmenter.events.OrderStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProfileCodecTest {
  private static final ProfileConfig CFG = ProfileConfig.defaults();
  /** Times (5), RFM (5), decayed (2): what a release that stopped at the decayed group wrote. */
  private static final int FIELDS_UP_TO_DECAYED = 12;

  @Test
  void richProfileRoundTrips() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    byte[] bytes = ProfileCodec.encode(p);
    assertThat(bytes[0]).isEqualTo(ProfileCodec.VERSION);
    CustomerProfile back = ProfileCodec.decode(bytes);
    assertThat(back).isEqualTo(p);
    assertThat(back.sessionMemory().size()).isEqualTo(2);
    assertThat(back.distinctCategories()).isEqualTo(p.distinctCategories()).isGreaterThan(0);
    assertThat(ProfileCodec.encode(back)).isEqualTo(bytes);
  }

  @Test
  void emptyProfileRoundTrips() {
    CustomerProfile empty = CustomerProfile.empty();
    assertThat(ProfileCodec.decode(ProfileCodec.encode(empty))).isEqualTo(empty);
    // A version byte alone is a valid (very old) profile: everything defaults.
    assertThat(ProfileCodec.decode(new byte[] {1})).isEqualTo(empty);
  }

  @Test
  void bytesOfAnOlderWriterDecodeWithDefaultsForLaterFields() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    byte[] old = ProfileCodec.encodeFields(p, FIELDS_UP_TO_DECAYED);
    assertThat(old.length).isLessThan(ProfileCodec.encode(p).length);

    CustomerProfile back = ProfileCodec.decode(old);
    // The early groups survive...
    assertThat(back.orders()).isEqualTo(p.orders());
    assertThat(back.netSpend()).isEqualTo(p.netSpend());
    assertThat(back.lastOrderAt()).isEqualTo(p.lastOrderAt());
    assertThat(back.decayedSpendSum()).isEqualTo(p.decayedSpendSum());
    // ...and the later ones get the defaults of an empty profile.
    assertThat(back.pageViews()).isZero();
    assertThat(back.sessions()).isZero();
    assertThat(back.sessionMemory().size()).isZero();
    assertThat(back.distinctCategories()).isZero();
    assertThat(back.segmentId()).isEqualTo(CustomerProfile.NO_SEGMENT);
    assertThat(back.nextCheckAt()).isEqualTo(CustomerProfile.NONE);
  }

  @Test
  void everyFieldBoundaryIsAValidOlderFormat() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    for (int n = 0; n <= ProfileCodec.fieldCount(); n++) {
      CustomerProfile back = ProfileCodec.decode(ProfileCodec.encodeFields(p, n));
      assertThat(ProfileCodec.encodeFields(back, n)).isEqualTo(ProfileCodec.encodeFields(p, n));
    }
  }

  @Test
  void trailingBytesOfANewerWriterAreIgnored() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    byte[] bytes = ProfileCodec.encode(p);
    byte[] newer = Arrays.copyOf(bytes, bytes.length + 7);
    newer[bytes.length] = (byte) 0x96; // some future varint and more
    newer[bytes.length + 1] = 0x01;
    assertThat(ProfileCodec.decode(newer)).isEqualTo(p);
  }

  @Test
  void unknownVersionAndCorruptBytesAreRejected() {
    byte[] bytes = ProfileCodec.encode(ProfileEvents.rich(CFG));
    byte[] v2 = bytes.clone();
    v2[0] = 2;
    assertThatThrownBy(() -> ProfileCodec.decode(v2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");
    assertThatThrownBy(() -> ProfileCodec.decode(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    // Cut in the middle of the first field (a multi-byte varint).
    assertThatThrownBy(() -> ProfileCodec.decode(Arrays.copyOf(bytes, 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    // A varint that never ends.
    byte[] endless = new byte[12];
    endless[0] = 1;
    Arrays.fill(endless, 1, 12, (byte) 0xFF);
    assertThatThrownBy(() -> ProfileCodec.decode(endless))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("varint");
  }

  @Test
  void aHugeCollectionLengthIsRejectedBeforeAllocating() {
    CustomerProfile empty = CustomerProfile.empty();
    byte[] prefix = ProfileCodec.encodeFields(empty, 20); // everything before the session memory
    byte[] bad = Arrays.copyOf(prefix, prefix.length + 5);
    // varint 2^31 - 1 as the number of session entries.
    bad[prefix.length] = (byte) 0xFF;
    bad[prefix.length + 1] = (byte) 0xFF;
    bad[prefix.length + 2] = (byte) 0xFF;
    bad[prefix.length + 3] = (byte) 0xFF;
    bad[prefix.length + 4] = 0x07;
    assertThatThrownBy(() -> ProfileCodec.decode(bad))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session memory length");
  }

  @Test
  void sizeStaysBoundedAfterAHundredThousandEvents() {
    CustomerProfile p = CustomerProfile.empty();
    for (int i = 0; i < 100_000; i++) {
      long t = T0 + i * 60_000L;
      if (i % 10 == 0) {
        p.apply(order("o-" + i, OrderStatus.PLACED, "12.3456", t, "order-cat-" + i), CFG);
      } else {
        ClickType type = i % 3 == 0 ? ClickType.ADD_TO_CART : ClickType.PRODUCT_VIEW;
        p.apply(click("session-" + i, type, t, "cat-" + i), CFG);
      }
    }
    p.setSegmentId(7);
    p.setAssignedModelVersion(123_456);
    p.setChangeSequence(99);
    p.setNextCheckAt(T0 + 1000 * DAY);
    int size = ProfileCodec.encode(p).length;
    System.out.println("encoded size after 100,000 events: " + size + " bytes");
    assertThat(p.sessions()).isEqualTo(90_000);
    assertThat(p.sessionMemory().size()).isEqualTo(CFG.sessionMemory());
    assertThat(p.distinctCategories()).isEqualTo(CFG.categoryLimit());
    assertThat(size).isLessThanOrEqualTo(1024);
    assertThat(ProfileCodec.decode(ProfileCodec.encode(p))).isEqualTo(p);
  }

  @Test
  void typicalProfileSize() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    int size = ProfileCodec.encode(p).length;
    System.out.println("encoded size of a typical profile: " + size + " bytes");
    assertThat(size).isLessThan(200);
  }

  @Test
  void recentEventIdsRoundTripAndStayBoundedByTheirCapacity() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    for (int i = 0; i < 1000; i++) p.recentIds().add(RecentIds.hash("c:event-" + i), T0 + i * 60_000L, 256);
    byte[] bytes = ProfileCodec.encode(p);
    CustomerProfile back = ProfileCodec.decode(bytes);
    assertThat(back).isEqualTo(p);
    assertThat(back.recentIds().size()).isEqualTo(256);
    assertThat(back.recentIds().contains(RecentIds.hash("c:event-999"), T0 + 999 * 60_000L)).isTrue();
    // Time deltas of a minute take 3 bytes, the hash 8: about 11 bytes per remembered event.
    System.out.println("encoded size with 256 recent ids: " + bytes.length + " bytes");
    assertThat(bytes.length).isLessThan(200 + 256 * 12);
  }

  @Test
  void aSmallProfileEncodedAfterALargeOneHoldsNothingOfIt() {
    // encode reuses one buffer per thread: what a larger profile left in it must not leak.
    CustomerProfile small = ProfileEvents.rich(CFG);
    byte[] first = ProfileCodec.encode(small);
    CustomerProfile large = ProfileEvents.rich(CFG);
    for (int i = 0; i < 300; i++) large.recentIds().add(RecentIds.hash("c:event-" + i), T0 + i * 60_000L, 256);
    byte[] big = ProfileCodec.encode(large);
    byte[] again = ProfileCodec.encode(small);
    assertThat(again).isEqualTo(first).hasSizeLessThan(big.length);
    assertThat(ProfileCodec.decode(again)).isEqualTo(small);
    assertThat(ProfileCodec.decode(big)).isEqualTo(large);
  }

  @Test
  void aProfileCutInsideARecentIdHashIsRejectedAsTruncated() {
    CustomerProfile p = ProfileEvents.rich(CFG);
    p.recentIds().add(RecentIds.hash("c:event-1"), T0, 256);
    byte[] bytes = ProfileCodec.encode(p);
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3); // the last hash loses 3 of its 8 bytes
    assertThatThrownBy(() -> ProfileCodec.decode(cut)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated inside a field at offset " + cut.length);
  }

  /**
   * The bytes of one profile, as the release before the per-thread buffer and the one-store 64-bit
   * fields wrote them (commit 000043b's jar): stored profiles must read back the same, so the bytes
   * must not change with how they are written. Round trips alone would not see a changed byte order.
   */
  @Test
  void theEncodingOfAKnownProfileIsByteForByteWhatEarlierReleasesWrote() {
    CustomerProfile p = CustomerProfile.empty();
    ProfileConfig c = ProfileConfig.defaults();
    java.time.Instant t0 = java.time.Instant.parse("2026-03-01T10:00:00Z");
    p.apply(io.segmenter.events.ClickEvent.newBuilder().setEventId("e1").setCustomerId("c-1").setSessionId("s1")
        .setType(io.segmenter.events.ClickType.PRODUCT_VIEW).setCategory("shoes").setOccurredAt(t0).build(), c);
    p.apply(io.segmenter.events.ClickEvent.newBuilder().setEventId("e2").setCustomerId("c-1").setSessionId("s1")
        .setType(io.segmenter.events.ClickType.ADD_TO_CART).setCategory("shoes").setOccurredAt(t0.plusSeconds(60)).build(), c);
    p.apply(io.segmenter.events.OrderEvent.newBuilder().setOrderId("o1").setCustomerId("c-1")
        .setStatus(io.segmenter.events.OrderStatus.PLACED).setAmount(new java.math.BigDecimal("49.9000")).setCurrency("EUR")
        .setItemCount(2).setOccurredAt(t0.plusSeconds(300)).build(), c);
    p.recentIds().add(RecentIds.hash("c-1:e1"), t0.toEpochMilli(), 256);
    p.recentIds().add(RecentIds.hash("c-1:e2"), t0.toEpochMilli() + 60_000, 256);
    p.recentIds().add(RecentIds.hash("c-1:o1"), t0.toEpochMilli() + 300_000, 256);

    String expected = "0180b4b98d9567c083de8d9567c0ddc08d9567c083de8d9567c083de8d9567010000b8ba1e003ff0000000000000c083" +
        "de8d95674048f33333333333c083de8d956700010001000001010108d8ff07b578d149c0ddc08d95670101068582e801" +
        "ffffffffffffffffff010100ffffffffffffffffff01ffffffffffffffffff0101b8ba1e01ffffffffffffffffff0103" +
        "80b4b98d95672c8b3f6789ced4c4c0a90701065d2bed055fe480a61dafdbb90858fdda38";
    assertThat(java.util.HexFormat.of().formatHex(ProfileCodec.encode(p))).isEqualTo(expected);
    assertThat(ProfileCodec.decode(java.util.HexFormat.of().parseHex(expected))).isEqualTo(p);
  }
}
