package io.segmenter.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.events.ChangeReason;
import io.segmenter.profile.ChangeHistory.Entry;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeHistoryCodecTest {
  private static final long T0 = 1_780_000_000_000L; // 2026-05-28

  private static Entry entry(long sequence, int from, int to, ChangeReason reason) {
    return new Entry(sequence, T0 + sequence * 60_000, T0 + sequence * 60_000 - 1_500, from, to, reason, 40 + sequence,
        ChangeHistory.NONE, 2);
  }

  @Test
  void aHistoryRoundTripsNewestFirstInAboutTwentyBytesPerChange() {
    ChangeHistory h = ChangeHistory.EMPTY;
    h = h.with(entry(1, ChangeHistory.NONE, 0, ChangeReason.EVENT), 20);
    h = h.with(entry(2, 0, 3, ChangeReason.INACTIVITY), 20);
    h = h.with(entry(3, 3, 3, ChangeReason.PREDICTIVE), 20);
    h = h.with(new Entry(4, T0, T0 - 400L * 86_400_000, 3, 1, ChangeReason.MODEL, 1_000_000, 3, 0), 20);

    byte[] bytes = ChangeHistoryCodec.encode(h);
    ChangeHistory back = ChangeHistoryCodec.decode(bytes);

    assertThat(back).isEqualTo(h);
    assertThat(back.entries()).extracting(Entry::sequence).containsExactly(4L, 3L, 2L, 1L);
    assertThat(back.entries().get(0).eventTime()).as("an event time far before the emission (a replay)")
        .isEqualTo(T0 - 400L * 86_400_000);
    assertThat(bytes[0]).isEqualTo(ChangeHistoryCodec.VERSION);
    assertThat(bytes.length).as("bytes for 4 changes").isLessThanOrEqualTo(2 + 4 * 24);
    assertThat(ChangeHistoryCodec.decode(ChangeHistoryCodec.encode(ChangeHistory.EMPTY))).isEqualTo(ChangeHistory.EMPTY);
  }

  @Test
  void theBoundKeepsTheNewestAndAStepRunAgainDoesNotRecordItsChangeTwice() {
    ChangeHistory h = ChangeHistory.EMPTY;
    for (long s = 1; s <= 25; s++) h = h.with(entry(s, (int) s - 2, (int) s - 1, ChangeReason.EVENT), 20);
    assertThat(h.entries()).extracting(Entry::sequence).hasSize(20).startsWith(25L, 24L).endsWith(6L);

    // Under at-least-once a failed step runs again and computes the same sequence: it replaces.
    Entry again = new Entry(25, T0 + 99, T0 + 98, 23, 7, ChangeReason.EVENT, 70, ChangeHistory.NONE, ChangeHistory.NONE);
    ChangeHistory rerun = h.with(again, 20);
    assertThat(rerun.entries()).extracting(Entry::sequence).hasSize(20).startsWith(25L, 24L);
    assertThat(rerun.entries().get(0)).isEqualTo(again);

    assertThat(h.with(entry(26, 1, 2, ChangeReason.EVENT), 3).entries()).extracting(Entry::sequence)
        .as("a lowered bound cuts at the next change").containsExactly(26L, 25L, 24L);
    assertThat(h.newest(2).entries()).extracting(Entry::sequence).containsExactly(25L, 24L);
    assertThat(h.with(entry(26, 1, 2, ChangeReason.EVENT), 0)).isEqualTo(ChangeHistory.EMPTY);
  }

  /** The layout as bytes: a change of it breaks every stored history, so it must be deliberate. */
  @Test
  void theVersionOneLayoutIsFixed() {
    ChangeHistory one = new ChangeHistory(List.of(
        new Entry(1, 1000, 990, ChangeHistory.NONE, 3, ChangeReason.EVENT, 7, ChangeHistory.NONE, 2)));
    String golden = "01" + "01" + "0a" + "01" + "d00f" + "14" + "01" + "06" + "01" + "0e" + "01" + "04";
    assertThat(HexFormat.of().formatHex(ChangeHistoryCodec.encode(one))).isEqualTo(golden);
    assertThat(ChangeHistoryCodec.decode(HexFormat.of().parseHex(golden))).isEqualTo(one);
  }

  @Test
  void bytesOfANewerReleaseWithMoreFieldsPerEntryAndAnUnknownReasonStillDecode() {
    Entry first = entry(1, ChangeHistory.NONE, 0, ChangeReason.EVENT);
    Entry second = entry(2, 0, 1, ChangeReason.MODEL);
    BinaryOut out = new BinaryOut(64);
    out.u8(ChangeHistoryCodec.VERSION);
    out.varint(2);
    for (Entry e : List.of(second, first)) {
      BinaryOut fields = new BinaryOut(32);
      fields.varint(e.sequence());
      fields.zz(e.at());
      fields.zz(e.at() - e.eventTime());
      fields.zz(e.fromSegment());
      fields.zz(e.toSegment());
      fields.u8(e == second ? 9 : 1); // 9: a reason this release does not know
      fields.zz(e.modelVersion());
      fields.zz(e.fromPredictive());
      fields.zz(e.toPredictive());
      fields.zz(-123_456); // a field appended by a newer release
      fields.i64(42);      // and another
      out.varint(fields.size());
      out.bytes(fields);
    }

    ChangeHistory back = ChangeHistoryCodec.decode(out.toByteArray());

    assertThat(back.entries()).hasSize(2);
    assertThat(back.entries().get(1)).isEqualTo(first);
    assertThat(back.entries().get(0).reason()).isEqualTo(ChangeReason.UNKNOWN);
    assertThat(back.entries().get(0).modelVersion()).isEqualTo(second.modelVersion());
  }

  @Test
  void corruptBytesFailSayingWhy() {
    byte[] good = ChangeHistoryCodec.encode(ChangeHistory.EMPTY.with(entry(1, ChangeHistory.NONE, 0, ChangeReason.EVENT), 5));
    assertThatThrownBy(() -> ChangeHistoryCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    byte[] version2 = good.clone();
    version2[0] = 2;
    assertThatThrownBy(() -> ChangeHistoryCodec.decode(version2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 2");
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 2);
    assertThatThrownBy(() -> ChangeHistoryCodec.decode(cut)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the remaining bytes");
    byte[] hugeCount = {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    assertThatThrownBy(() -> ChangeHistoryCodec.decode(hugeCount)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length");
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> ChangeHistoryCodec.decode(trailing)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after its last entry");
  }
}
