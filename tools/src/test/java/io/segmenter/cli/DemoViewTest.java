package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's view is a pure function of a snapshot: the same lines on a terminal and in plain mode. */
class DemoViewTest {
  private static final DemoView VIEW = new DemoView(ZoneOffset.UTC);
  private static final DemoSnapshot.Endpoints ENDPOINTS = new DemoSnapshot.Endpoints("localhost:9092",
      "http://127.0.0.1:8081", "http://localhost:8080", "/tmp/segmenter-demo-1/segmenter.log");

  private static DemoSnapshot snapshot(DemoSnapshot.Input input, DemoSnapshot.Model model, long changes,
      List<DemoSnapshot.ChangeRow> last) {
    return new DemoSnapshot(Duration.ofSeconds(83), Duration.ofSeconds(37), ENDPOINTS, input, model, changes, last);
  }

  private static final DemoSnapshot.Model MODEL = new DemoSnapshot.Model(12, "EUR", List.of(
      new DemoSnapshot.SegmentRow(0, "Champions", 312, 2.04, 7.96, 1234.5),
      new DemoSnapshot.SegmentRow(3, "Window Shoppers", 1_040, 365.0, -0.0, 0.0),
      new DemoSnapshot.SegmentRow(11, "A Very Long Segment Name Indeed", 7, 30.0, 1.0, 20.0)));

  @Test
  void liveSnapshotShowsInputModelAndChanges() {
    DemoSnapshot.Input input = new DemoSnapshot.Input(516_000, 516_000, 21.43, 1_234, 19.6, 510_000, 517_234, 20_511.4);
    List<DemoSnapshot.ChangeRow> last = List.of(
        new DemoSnapshot.ChangeRow(Instant.parse("2026-11-23T17:01:02Z"), "cust-000123", "Loyal", "At Risk", "INACTIVITY"),
        new DemoSnapshot.ChangeRow(Instant.parse("2026-11-23T17:01:03Z"), "cust-000007", null, "New Customers", "EVENT"));
    List<String> lines = VIEW.lines(snapshot(input, MODEL, 4_321, last));

    assertThat(lines.get(0)).isEqualTo("segmenter demo | up 1:23 | live | stops in 0:37 (Ctrl-C to stop now)");
    assertThat(lines).contains(
        "  Kafka      localhost:9092   (bootstrap.servers; topics clicks, orders, segment-changes, ...)",
        "  registry   http://127.0.0.1:8081",
        "  HTTP       http://localhost:8080/segments   /customers/{id}   /model   /metrics   /health/ready",
        "  log        /tmp/segmenter-demo-1/segmenter.log",
        "  history    [########################]  516,000 / 516,000 events in 21.4 s",
        "  live       1,234 events   20 ev/s",
        "  processed  510,000 / 517,234 (98%)   20,511 ev/s",
        "model version 12 | 3 segments | 1,359 customers placed",
        "    id  segment                 customers   centre R (days)  F (orders)    M (net spend EUR)",
        "     0  Champions                     312               2.0         8.0             1,234.50",
        // -0.0 from undoing the log transform shows as 0.0; long names are clipped to the column
        "     3  Window Shoppers             1,040             365.0         0.0                 0.00",
        "    11  A Very Long Segment N~          7              30.0         1.0                20.00",
        "segment changes: 4,321 | the last 2 read",
        "  17:01:02  cust-000123  Loyal -> At Risk  (INACTIVITY)",
        "  17:01:03  cust-000007  (none) -> New Customers  (EVENT)");
  }

  @Test
  void beforeTheFirstModelTheViewSaysSoAndShowsHistoryProgress() {
    DemoSnapshot.Input input = new DemoSnapshot.Input(129_000, 516_000, null, 0, 45_250.2, -1, -1, 0);
    DemoSnapshot s = new DemoSnapshot(Duration.ofSeconds(9), null, ENDPOINTS, input, null, 0, List.of());
    List<String> lines = VIEW.lines(s);
    assertThat(lines.get(0)).isEqualTo("segmenter demo | up 0:09 | producing history | Ctrl-C to stop");
    assertThat(lines).contains(
        "  history    [######------------------]  129,000 / 516,000 events   45,250 ev/s",
        "  processed  (waiting for segmenter's first commit)",
        "model      waiting for the first version (it is trained on a warm-up sample of the input)",
        "segment changes: 0");
    assertThat(lines).noneMatch(l -> l.startsWith("  live"));
  }

  @Test
  void beforeTheHistoryIsReadyOrSent() {
    DemoSnapshot generating = new DemoSnapshot(Duration.ofSeconds(4), null, ENDPOINTS,
        new DemoSnapshot.Input(0, 0, null, 0, 0, -1, -1, 0), null, 0, List.of());
    assertThat(VIEW.lines(generating)).contains("  history    (being generated)")
        .noneMatch(l -> l.startsWith("  processed"));
    DemoSnapshot waiting = new DemoSnapshot(Duration.ofSeconds(6), null, ENDPOINTS,
        new DemoSnapshot.Input(0, 516_000, null, 0, 0, -1, -1, 0), null, 0, List.of());
    assertThat(VIEW.lines(waiting))
        .contains("  history    [------------------------]  0 / 516,000 events   (starts when segmenter runs)");
  }

  @Test
  void plainBlockIsTheSameInformationUnderATimedSeparatorWithoutTheAddresses() {
    DemoSnapshot.Input input = new DemoSnapshot.Input(516_000, 516_000, 21.4, 10, 20, 400_000, 516_010, 19_000);
    DemoSnapshot s = snapshot(input, MODEL, 5, List.of());
    List<String> block = VIEW.plainBlock(s);
    List<String> full = VIEW.lines(s);
    assertThat(block.get(0)).isEqualTo("---- segmenter demo at +1:23 ----");
    assertThat(block.get(1)).isEqualTo(full.get(0));
    assertThat(block).noneMatch(l -> l.contains("localhost:9092") || l.contains("segmenter.log"));
    // everything from the input section on is identical
    assertThat(block.subList(2, block.size())).isEqualTo(full.subList(full.indexOf("input"), full.size()));
    assertThat(block).contains("  processed  400,000 / 516,010 (77%)   19,000 ev/s");
    assertThat(block).allMatch(l -> !l.contains("\u001b"), "no terminal escapes in plain mode");
  }

  @Test
  void formattingHelpers() {
    assertThat(DemoView.bar(0, 0)).isEqualTo("[------------------------]");
    assertThat(DemoView.bar(1, 2)).isEqualTo("[############------------]");
    assertThat(DemoView.bar(5, 2)).isEqualTo("[########################]");
    assertThat(DemoView.clock(Duration.ofSeconds(3_725))).isEqualTo("1:02:05");
    assertThat(DemoView.clock(Duration.ofSeconds(-3))).isEqualTo("0:00");
    assertThat(DemoView.percent(999, 1_000)).isEqualTo("99%");
    assertThat(DemoView.percent(1, 0)).isEqualTo("-");
    assertThat(DemoView.count(1_234_567)).isEqualTo("1,234,567");
  }
}
