package io.segmenter.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.flows.FlowWindow.Flow;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-minute ring of segment changes, driven by a hand-moved clock (plain millisecond values). */
class FlowRingTest {
  private static final long MINUTE = 60_000L;
  private static final long T0 = Instant.parse("2026-12-05T16:00:00Z").toEpochMilli();
  private final FlowRing ring = new FlowRing();

  @Test
  void theLastHourCountsEachMinuteAndEachPairAndTheirSumsAgree() {
    ring.record(FlowRing.NONE, 3, T0 + 10);
    ring.record(FlowRing.NONE, 3, T0 + 20);
    ring.record(2, 3, T0 + MINUTE + 5);
    ring.record(3, FlowRing.NONE, T0 + 2 * MINUTE); // an erasure

    FlowWindow hour = ring.lastHour(T0 + 2 * MINUTE + 30_000);
    assertThat(hour.totals()).hasSize(60);
    assertThat(hour.since()).isEqualTo(T0 + 2 * MINUTE - 59 * MINUTE);
    long[] t = hour.totals();
    assertThat(new long[] {t[57], t[58], t[59]}).containsExactly(2, 1, 1);
    assertThat(hour.changes()).isEqualTo(4);
    assertThat(hour.flows()).containsExactly(new Flow(FlowRing.NONE, 3, 2), new Flow(2, 3, 1), new Flow(3, FlowRing.NONE, 1));
    assertThat(hour.flows().stream().mapToLong(Flow::count).sum()).isEqualTo(hour.changes());
    // 3 in (2 new, 1 from 2), 1 out (erased); 2 lost one.
    assertThat(hour.net()).isEqualTo(Map.of(3, 2L, 2, -1L));
  }

  @Test
  void minutesOlderThanTheWindowAreLeftOutOfIt() {
    ring.record(1, 2, T0);
    ring.record(1, 2, T0 + 30 * MINUTE);
    FlowWindow hour = ring.lastHour(T0 + 60 * MINUTE + 1);
    assertThat(hour.changes()).as("the change at T0 is 61 minutes old").isEqualTo(1);
    assertThat(ring.lastDay(T0 + 60 * MINUTE + 1).changes()).isEqualTo(2);
  }

  @Test
  void aSlotReachedAgainADayLaterForgetsWhatItHeldAndAnOlderChangeIsDropped() {
    ring.record(1, 2, T0);
    ring.record(1, 2, T0 + 5 * MINUTE);
    long dayLater = T0 + FlowRing.MINUTES * MINUTE; // the same slot as T0
    assertThat(ring.lastDay(dayLater - 1).changes()).isEqualTo(2);
    ring.record(4, 5, dayLater + 1);
    FlowWindow day = ring.lastDay(dayLater + 10 * MINUTE);
    assertThat(day.flows()).as("T0 and T0+5 min are out of the day; T0's slot was reused")
        .containsExactly(new Flow(4, 5, 1));
    ring.record(1, 2, T0 + 7); // more than a day before what the slot holds now: dropped
    assertThat(ring.lastDay(dayLater + 10 * MINUTE).flows()).containsExactly(new Flow(4, 5, 1));
    assertThat(ring.window(Math.floorDiv(T0, MINUTE), 1, 1).changes()).isZero();
  }

  @Test
  void theDayIs96QuarterHoursAlignedToTheClockEndingWithTheCurrentOne() {
    long now = T0 + 37 * MINUTE + 12_000; // 16:37:12
    ring.record(1, 2, T0 + 31 * MINUTE); // 16:31, in the 16:30 quarter
    ring.record(1, 2, now);
    ring.record(2, 1, now - 23 * 60 * MINUTE); // 17:37 the day before
    FlowWindow day = ring.lastDay(now);
    assertThat(day.totals()).hasSize(96);
    assertThat(day.bucketMs()).isEqualTo(15 * MINUTE);
    assertThat(Instant.ofEpochMilli(day.bucketStart(95))).isEqualTo(Instant.parse("2026-12-05T16:30:00Z"));
    assertThat(Instant.ofEpochMilli(day.since())).isEqualTo(Instant.parse("2026-12-04T16:45:00Z"));
    assertThat(day.totals()[95]).isEqualTo(2);
    assertThat(day.totals()[3]).as("17:37 the day before is in the 17:30 quarter").isEqualTo(1);
    assertThat(day.changes()).isEqualTo(3);
  }

  @Test
  void windowsOfTwoInstancesAddBucketByBucketAndPairByPair() {
    FlowRing other = new FlowRing();
    ring.record(FlowRing.NONE, 1, T0);
    other.record(FlowRing.NONE, 1, T0 + 1);
    other.record(1, 2, T0 - MINUTE);
    long now = T0 + 10_000;
    FlowWindow sum = ring.lastHour(now).plus(other.lastHour(now));
    assertThat(sum.totals()[59]).isEqualTo(2);
    assertThat(sum.totals()[58]).isEqualTo(1);
    assertThat(sum.flows()).containsExactly(new Flow(FlowRing.NONE, 1, 2), new Flow(1, 2, 1));
    // An instance whose clock is a minute ahead: its newest bucket falls outside, its flows still count.
    FlowWindow ahead = other.lastHour(now + MINUTE);
    FlowWindow skewed = ring.lastHour(now).plus(ahead);
    assertThat(skewed.changes()).isEqualTo(3);
    assertThat(skewed.flows().stream().mapToLong(Flow::count).sum()).isEqualTo(3);
  }
}
