package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.replay.OnlineRetailOrders;
import io.segmenter.replay.OnlineRetailOrders.SkipReason;
import io.segmenter.replay.OnlineRetailOrders.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replay's report on the real UCI file, and how it finds the file; no broker needed. */
class ReplayReportTest {
  private static final Pattern REASON_LINE = Pattern.compile(" {2,}([0-9,]+)   (.+)");
  static Path file;
  static Stats stats;

  @BeforeAll
  static void readRealFile() {
    file = ReplayCommand.dataFile(OnlineRetailOrders.defaultLocation().getParent());
    stats = OnlineRetailOrders.read(file).stats();
  }

  @Test
  void aDirectoryNamesItsOneDataFile() {
    assertThat(file).isEqualTo(OnlineRetailOrders.defaultLocation());
  }

  @Test
  void reportListsEveryReasonAndTheCountsAddUp() {
    List<String> report = ReplayCommand.report(file, stats, 1.2, stats.invoices(), "orders", 2.5);
    report.forEach(System.out::println);
    assertThat(report.get(0)).isEqualTo("replay: " + file);
    assertThat(report).contains(
        "  rows read                     525,461   (in 1.2 s)",
        "  rows in orders                417,534   (9,839 on cancellation invoices, 31 at price 0: kept)",
        "  rows skipped                  107,927   by reason:",
        "                                107,927   no customer id",
        "                                      0   adjustment: invoice total has the wrong sign",
        "  orders                         23,587   (19,215 placed, 4,372 cancellations, 2 with amount 0)",
        "  customers                       4,383",
        "  order times              2009-12-01T07:45:00Z .. 2010-12-09T20:01:00Z",
        "  orders produced                23,587   to orders in 2.5 s (9,435 orders/s)");
    // The reason lines, read back from the text, add up to the rows skipped, and with the rows in
    // orders to the rows read.
    long skipped = 0;
    int reasons = 0;
    for (String line : report) {
      Matcher m = REASON_LINE.matcher(line);
      if (m.matches()) {
        skipped += Long.parseLong(m.group(1).replace(",", ""));
        reasons++;
      }
    }
    assertThat(reasons).isEqualTo(SkipReason.values().length);
    assertThat(skipped).isEqualTo(stats.rowsSkipped()).isEqualTo(107_927);
    assertThat(stats.rowsInOrders() + skipped).isEqualTo(stats.rows()).isEqualTo(525_461);
    assertThat(report).noneMatch(l -> l.contains("stopped early"));
  }

  @Test
  void aShortProductionIsSaidSo() {
    List<String> report = ReplayCommand.report(file, stats, 1, 100, "orders", 1);
    assertThat(report).contains("  stopped early: 23,487 orders not produced");
  }

  @Test
  void aMissingFileExitsTwoWithAClearMessage(@TempDir Path dir) {
    CliHelpTest.Outcome o = CliHelpTest.run("replay", dir.resolve("nope.csv.gz").toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("segmenter replay: no such file or directory: " + dir.resolve("nope.csv.gz")
        + System.lineSeparator());
  }

  @Test
  void aDirectoryWithoutOrWithSeveralDataFilesIsRefused(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ReplayCommand.dataFile(dir)).hasMessage("no .csv or .csv.gz file in " + dir);
    Files.writeString(dir.resolve("a.csv"), "x");
    Files.writeString(dir.resolve("notes.txt"), "x");
    assertThat(ReplayCommand.dataFile(dir)).isEqualTo(dir.resolve("a.csv"));
    Files.writeString(dir.resolve("b.CSV.GZ"), "x");
    assertThatThrownBy(() -> ReplayCommand.dataFile(dir)).hasMessageStartingWith("several data files in " + dir);
  }
}
