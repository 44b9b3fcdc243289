package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.replay.OnlineRetailOrders;
import io.segmenter.replay.OnlineRetailOrders.SkipReason;
import io.segmenter.replay.OnlineRetailOrders.Stats;
import io.segmenter.replay.OrderColumns;
import io.segmenter.replay.OrderFormat;
import io.segmenter.replay.OrderTimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
    List<String> report = ReplayCommand.report(file, OrderFormat.ONLINE_RETAIL_II, stats, 1.2, stats.invoices(), "orders", 2.5);
    report.forEach(System.out::println);
    assertThat(report.get(0)).isEqualTo("replay: " + file);
    assertThat(report.get(1)).isEqualTo("  read as                  UCI Online Retail II; amounts in GBP; \"C\" invoices are"
        + " cancellations; times UCI (2009-12-01 07:45) or ISO-8601");
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
    List<String> report = ReplayCommand.report(file, OrderFormat.ONLINE_RETAIL_II, stats, 1, 100, "orders", 1);
    assertThat(report).contains("  stopped early: 23,487 orders not produced");
  }

  /** Online Retail II (2009-2010) passes the default limit (2000); CDNOW's 1997 orders would not. */
  @Test
  void ordersBeforeTheEarliestEventTimeSegmenterAcceptsAreSaidSo() {
    assertThat(ReplayCommand.tooOldNote(stats, java.time.Instant.parse("2000-01-01T00:00:00Z"))).isEmpty();
    assertThat(ReplayCommand.tooOldNote(stats, java.time.Instant.parse("2010-01-01T00:00:00Z"))).hasValue(
        "note: some orders (the first at 2009-12-01T07:45:00Z) are before segmenter.validation.min.event.time (2010-01-01T00:00:00Z):"
        + " segmenter sends them to its dead-letter topic (TIMESTAMP_TOO_OLD), so run it with"
        + " segmenter.validation.min.event.time=2009-12-01T00:00:00Z or earlier");
    assertThat(ReplayCommand.tooOldNote(stats, java.time.Instant.parse("2011-01-01T00:00:00Z")).orElseThrow())
        .startsWith("note: all the orders are before");
  }

  @Test
  void aMissingFileExitsTwoWithAClearMessage(@TempDir Path dir) {
    CommandOutcome o = CliHelpTest.run("replay", dir.resolve("nope.csv.gz").toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("segmenter replay: no such file or directory: " + dir.resolve("nope.csv.gz")
        + System.lineSeparator());
  }

  @Test
  void theReplayOptionsParse() {
    ReplayCommand replay = new ReplayCommand();
    // --columns splits at commas and may be repeated; column names keep their spaces
    new CommandLine(replay).parseArgs("orders.csv", "--columns", "customer=Customer ID,order=Invoice",
        "--columns", "time=InvoiceDate,quantity=Quantity,price=Price", "--time-format", "dd/MM/uuuu HH:mm",
        "--currency", "EUR");
    assertThat(replay.columns).containsExactly("customer=Customer ID", "order=Invoice", "time=InvoiceDate",
        "quantity=Quantity", "price=Price");
    assertThat(replay.timeFormat).isEqualTo("dd/MM/uuuu HH:mm");
    assertThat(replay.currency).isEqualTo("EUR");
    OrderColumns columns = OrderColumns.parse(replay.columns);
    assertThat(columns).isEqualTo(OrderColumns.ONLINE_RETAIL_II);
    OrderTimes times = OrderTimes.pattern(replay.timeFormat);
    List<String> header = OnlineRetailOrders.header(file);
    OrderFormat mapped = ReplayCommand.format(header, columns, replay.currency, times);
    assertThat(mapped).isEqualTo(OrderFormat.mapped(columns, "EUR", times));
    assertThat(mapped.describe()).isEqualTo("columns customer=Customer ID,order=Invoice,time=InvoiceDate,quantity=Quantity,"
        + "price=Price; amounts in EUR; orders with a negative total are cancellations; times pattern 'dd/MM/uuuu HH:mm'");
    // Without --columns: the layout of the header, with the currency and times given, if any
    assertThat(ReplayCommand.format(header, null, null, OrderTimes.DEFAULT)).isEqualTo(OrderFormat.ONLINE_RETAIL_II);
    assertThat(ReplayCommand.format(header, null, "EUR", times))
        .isEqualTo(OrderFormat.ONLINE_RETAIL_II.withCurrency("EUR").withTimes(times));
    // Nothing given: no mapping, the UCI defaults
    ReplayCommand plain = new ReplayCommand();
    new CommandLine(plain).parseArgs("orders.csv");
    assertThat(plain.columns).isNull();
    assertThat(plain.timeFormat).isNull();
    assertThat(plain.currency).isNull();
  }

  @Test
  void aMappedFileGetsAsFarAsTheClusterSettings(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("orders.csv"), "Order No,Client,Date,Total\nA-1,alice,2024-03-01,1\n");
    CommandOutcome o = runWithoutEnvironment("replay", csv.toString(),
        "--columns", "customer=Client,order=Order No,time=Date,amount=Total", "--currency", "EUR");
    // Options and header are fine: what stops it is the missing cluster settings
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).startsWith("segmenter replay: invalid setting: Missing required configuration")
        .doesNotContain("column");
  }

  @Test
  void aMappedColumnMissingFromTheHeaderExitsTwoNamingItAndTheHeader(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("orders.csv"), "Order No,Client,Date,Total\nA-1,alice,2024-03-01,1\n");
    CommandOutcome o = runWithoutEnvironment("replay", csv.toString(),
        "--columns", "customer=Customer,order=Order No,time=Date,amount=Total", "--currency", "EUR");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("segmenter replay: " + csv + ": no column \"Customer\" (customer) in the header; its"
        + " columns are \"Order No\", \"Client\", \"Date\", \"Total\"" + System.lineSeparator());
  }

  @Test
  void aFileOfNoKnownLayoutExitsTwoAndSaysHowToMapIt(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("clicks.csv"), "event_time,event_type,price,user_id\n");
    CommandOutcome o = runWithoutEnvironment("replay", csv.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).startsWith("segmenter replay: " + csv + ": not a UCI Online Retail file")
        .contains("its columns are \"event_time\", \"event_type\", \"price\", \"user_id\"")
        .contains("with --columns customer=COLUMN,order=COLUMN,time=COLUMN,amount=COLUMN (or quantity=COLUMN,"
            + "price=COLUMN) and --currency CODE");
  }

  @Test
  void badMappingsExitTwoAndSayWhatToFix() {
    assertThat(CliHelpTest.run("replay", "x.csv", "--columns", "customer=a,order=b,time=c,amount=d,quantity=e,price=f",
        "--currency", "EUR").err()).startsWith("segmenter replay: --columns: give amount (the line's amount) or quantity and price"
            + " (amount = quantity * price), not both");
    assertThat(CliHelpTest.run("replay", "x.csv", "--columns", "customer=a,time=c,amount=d", "--currency", "EUR").err())
        .startsWith("segmenter replay: --columns: missing order: customer, order and time are required");
    assertThat(CliHelpTest.run("replay", "x.csv", "--columns", "customer=a,order=b,time=c,amount=d,cost=e",
        "--currency", "EUR").err()).startsWith("segmenter replay: --columns: unknown key 'cost' (keys: customer, order, time, amount,"
            + " quantity, price)");
    CommandOutcome o = CliHelpTest.run("replay", "x.csv", "--columns", "customer=a,order=b,time=c,amount=d");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).startsWith("segmenter replay: --columns needs --currency CODE, the ISO 4217 code of the file's amounts (only the"
        + " UCI layouts default to GBP)");
  }

  /** The command line run with no SEGMENTER_* variables, whatever the machine has. */
  private static CommandOutcome runWithoutEnvironment(String... args) {
    CommandLine cl = SegmenterTools.commandLine();
    ((ReplayCommand) cl.getSubcommands().get("replay").getCommand()).environment = Map.of();
    return CommandOutcome.run(cl, args);
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
