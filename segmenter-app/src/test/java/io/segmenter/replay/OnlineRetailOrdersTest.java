package io.segmenter.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.replay.OnlineRetailOrders.Result;
import io.segmenter.replay.OnlineRetailOrders.SkipReason;
import io.segmenter.replay.OnlineRetailOrders.Stats;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnlineRetailOrdersTest {

  /** The real file is read once for all real-data tests: it takes a second or two. */
  static Result real;
  static Map<String, OrderEvent> byId;

  @BeforeAll
  static void readRealFile() {
    Path file = OnlineRetailOrders.defaultLocation();
    long start = System.nanoTime();
    real = OnlineRetailOrders.read(file);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("Online Retail II: read %s in %d ms%n  %s%n  distinct customers: %d%n",
        file, millis, real.stats(), real.stats().customers());
    byId = real.orders().stream().collect(Collectors.toMap(OrderEvent::getOrderId, Function.identity()));
  }

  static OrderEvent order(String id, String customer, OrderStatus status, String amount, int items,
      String at) {
    return OrderEvent.newBuilder().setOrderId(id).setCustomerId(customer).setStatus(status)
        .setAmount(new BigDecimal(amount)).setCurrency("GBP").setItemCount(items)
        .setCategories(List.of()).setOccurredAt(Instant.parse(at)).build();
  }

  // ---- real file -------------------------------------------------------------------------------

  @Test
  void countsRowsAndSkipsRowsWithoutCustomer() {
    Stats s = real.stats();
    assertThat(s.rows()).isEqualTo(525_461);
    assertThat(s.rowsWithoutCustomer()).isGreaterThan(100_000);
    // Exact figures cross-checked with an independent Python csv/Decimal pass over the file.
    assertThat(s.rowsWithoutCustomer()).isEqualTo(107_927);
    assertThat(s.rowsWithBadValues()).isZero();
    assertThat(s.invoices()).isEqualTo(23_587).isEqualTo(real.orders().size());
    assertThat(s.cancellations()).isEqualTo(4_372);
    assertThat(s.zeroAmountInvoices()).isEqualTo(2);
  }

  @Test
  void everyRowIsInAnOrderOrSkippedForOneReason() {
    Stats s = real.stats();
    // Cross-checked with Python's csv module: 525,461 rows, 107,927 without a customer id, and of the
    // rest 9,839 on "C" invoices and 31 at price 0; nothing else is wrong with the real file.
    assertThat(s.rowsInOrders()).isEqualTo(417_534);
    assertThat(s.skipped()).containsEntry(SkipReason.NO_CUSTOMER, 107_927L).hasSize(SkipReason.values().length);
    assertThat(s.skipped()).allSatisfy((reason, n) -> {
      if (reason != SkipReason.NO_CUSTOMER) assertThat(n).as(reason.toString()).isZero();
    });
    assertThat(s.rowsSkipped()).isEqualTo(107_927);
    assertThat(s.rowsInOrders() + s.rowsSkipped()).isEqualTo(s.rows());
    assertThat(s.cancellationRows()).isEqualTo(9_839);
    assertThat(s.zeroPriceRows()).isEqualTo(31);
  }

  @Test
  void readsAPlainCsvLikeTheGzippedOne(@TempDir Path dir) throws IOException {
    String csv = """
        Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country
        100,A1,"BOX, RED",2,2010-01-02 10:01,1.5,12345.0,United Kingdom
        101,A1,NO CUSTOMER,5,2010-01-02 09:00,1,,France
        """;
    Path plain = dir.resolve("tiny.csv");
    Files.writeString(plain, csv, StandardCharsets.UTF_8);
    // The name says .gz, the bytes say plain: the bytes decide.
    Path misnamed = dir.resolve("misnamed.csv.gz");
    Files.writeString(misnamed, csv, StandardCharsets.UTF_8);
    Result gz = OnlineRetailOrders.read(gzip(dir.resolve("tiny.csv.gz"), csv));
    assertThat(OnlineRetailOrders.read(plain)).isEqualTo(gz);
    assertThat(OnlineRetailOrders.read(misnamed)).isEqualTo(gz);
    assertThat(gz.orders()).hasSize(1);
    assertThat(gz.stats().skipped()).containsEntry(SkipReason.NO_CUSTOMER, 1L);
  }

  @Test
  void countsDistinctCustomers() {
    Set<String> customers = new HashSet<>();
    real.orders().forEach(o -> customers.add(o.getCustomerId()));
    assertThat(real.stats().customers()).isEqualTo(customers.size()).isBetween(4_000L, 4_700L)
        .isEqualTo(4_383);
  }

  @Test
  void everyOrderIsWellFormed() {
    for (OrderEvent o : real.orders()) {
      assertThat(o.getAmount().scale()).as(o.getOrderId()).isEqualTo(4);
      assertThat(o.getAmount().signum()).as(o.getOrderId()).isNotNegative();
      assertThat(o.getCustomerId()).as(o.getOrderId()).isNotBlank().doesNotEndWith(".0");
      assertThat(o.getCurrency()).isEqualTo("GBP");
      assertThat(o.getItemCount()).isNotNegative();
      assertThat(o.getCategories()).isEmpty();
      assertThat(o.getStatus()).isIn(OrderStatus.PLACED, OrderStatus.CANCELLED);
    }
  }

  @Test
  void ordersAreSortedByTimeThenId() {
    List<OrderEvent> orders = real.orders();
    for (int i = 1; i < orders.size(); i++) {
      OrderEvent a = orders.get(i - 1);
      OrderEvent b = orders.get(i);
      int byTime = a.getOccurredAt().compareTo(b.getOccurredAt());
      assertThat(byTime < 0 || byTime == 0 && a.getOrderId().compareTo(b.getOrderId()) < 0)
          .as("%s before %s", a.getOrderId(), b.getOrderId()).isTrue();
    }
  }

  @Test
  void spansTheDataSetsYear() {
    Stats s = real.stats();
    assertThat(s.first().atZone(ZoneOffset.UTC).toLocalDate()).hasToString("2009-12-01");
    assertThat(s.last().atZone(ZoneOffset.UTC).toLocalDate()).hasToString("2010-12-09");
    assertThat(s.first()).isEqualTo(real.orders().get(0).getOccurredAt());
    assertThat(s.last()).isEqualTo(real.orders().get(real.orders().size() - 1).getOccurredAt());
  }

  @Test
  void cancellationsAreTheCInvoices() {
    assertThat(real.stats().cancellations()).isPositive();
    for (OrderEvent o : real.orders()) {
      assertThat(o.getStatus() == OrderStatus.CANCELLED).as(o.getOrderId())
          .isEqualTo(o.getOrderId().startsWith("C"));
    }
  }

  @Test
  void handCheckedInvoices() {
    // zcat ... | grep '^489434,': 12*6.95 + 12*6.75 + 12*6.75 + 48*2.10 + 24*1.25 + 24*1.65
    //   + 24*1.25 + 10*5.95 = 505.30 for 166 items; one line is the quoted 'RECORD FRAME 7"...'.
    assertThat(byId.get("489434"))
        .isEqualTo(order("489434", "13085", OrderStatus.PLACED, "505.3000", 166, "2009-12-01T07:45:00Z"));
    // grep '^C489449,': 12*2.95 + 6*1.65 + 4*4.25 + 6*2.10 + 12*2.95 + 12*1.25 + 12*1.25
    //   + 24*0.85 + 12*2.95 = 196.10 for 100 items, all negative quantities.
    assertThat(byId.get("C489449")).isEqualTo(
        order("C489449", "16321", OrderStatus.CANCELLED, "196.1000", 100, "2009-12-01T10:33:00Z"));
    // Its lines say 12:28 and 12:29: the invoice starts at its earliest line.
    assertThat(byId.get("492807").getOccurredAt()).isEqualTo(Instant.parse("2009-12-20T12:28:00Z"));
  }

  @Test
  void readingTwiceGivesEqualResults() {
    Result again = OnlineRetailOrders.read(OnlineRetailOrders.defaultLocation());
    assertThat(again.stats()).isEqualTo(real.stats());
    assertThat(again.orders()).isEqualTo(real.orders());
  }

  // ---- tiny in-memory file ---------------------------------------------------------------------

  @Test
  void tinyFileCoversEveryRule(@TempDir Path dir) throws IOException {
    Path file = gzip(dir.resolve("tiny.csv.gz"), """
        Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country
        100,A1,"BOX, RED",2,2010-01-02 10:01,1.5,12345.0,United Kingdom
        100,A2,"MUG ""BIG"", BLUE",1,2010-01-02 10:00:30,0.333,12345.0,United Kingdom
        101,A1,NO CUSTOMER,5,2010-01-02 09:00,1,,France
        C102,A1,"BOX, RED",-2,2010-01-01 08:00,1.5,777,United Kingdom
        103,A3,BAD NUMBER,two,2010-01-03 11:00,1,888,United Kingdom
        103,A3,BAD DATE,1,03/01/2010 11:00,1,888,United Kingdom
        104,A4,FREE SAMPLE,3,2010-01-04 12:00,0,999,United Kingdom
        098,A5,SAME MINUTE,1,2010-01-04 12:00,2.5,555,United Kingdom
        105,B,Adjust bad debt,1,2010-01-05 12:00,-10,999,United Kingdom
        106,A6,"HALF, EVEN",1,2010-01-06 09:00,1.00005,555,United Kingdom
        107,A1
        100,A7,OTHER CUSTOMER,1,2010-01-02 10:00,9,12346,United Kingdom
        """);
    Result r = OnlineRetailOrders.read(file);
    assertThat(r.orders()).containsExactly(
        order("C102", "777", OrderStatus.CANCELLED, "3.0000", 2, "2010-01-01T08:00:00Z"),
        // 2*1.5 + 0.333, starting at its earlier line (10:00:30 before 10:01)
        order("100", "12345", OrderStatus.PLACED, "3.3330", 3, "2010-01-02T10:00:30Z"),
        // same instant as 104: orderId decides
        order("098", "555", OrderStatus.PLACED, "2.5000", 1, "2010-01-04T12:00:00Z"),
        order("104", "999", OrderStatus.PLACED, "0.0000", 3, "2010-01-04T12:00:00Z"),
        // 1.00005 rounds half to even: 1.0000, not 1.0001
        order("106", "555", OrderStatus.PLACED, "1.0000", 1, "2010-01-06T09:00:00Z"));
    // bad values: 2 rows of 103, the adjustment 105, the short row 107, the other customer on 100
    Map<SkipReason, Long> skipped = Map.of(SkipReason.NO_CUSTOMER, 1L, SkipReason.BAD_QUANTITY, 1L,
        SkipReason.BAD_DATE, 1L, SkipReason.WRONG_SIGN, 1L, SkipReason.MISSING_COLUMNS, 1L, SkipReason.OTHER_CUSTOMER, 1L);
    // 6 rows in orders (2 of invoice 100, C102, 104, 098, 106), of which C102's is a cancellation and
    // 104's is at price 0
    assertThat(r.stats()).isEqualTo(new Stats(12, 6, skipped, 5, 1, 1, 1, 4, 1,
        Instant.parse("2010-01-01T08:00:00Z"), Instant.parse("2010-01-06T09:00:00Z")));
    assertThat(r.stats().rowsWithoutCustomer()).isEqualTo(1);
    assertThat(r.stats().rowsWithBadValues()).isEqualTo(5);
    assertThat(r.stats().rowsInOrders() + r.stats().rowsSkipped()).isEqualTo(r.stats().rows());
  }

  @Test
  void emptyFileGivesNoOrdersAndNoTimes(@TempDir Path dir) throws IOException {
    Path file = gzip(dir.resolve("empty.csv.gz"),
        "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n");
    assertThat(OnlineRetailOrders.read(file))
        .isEqualTo(new Result(List.of(), new Stats(0, 0, Map.of(), 0, 0, 0, 0, 0, 0, null, null)));
  }

  @Test
  void rejectsAFileWithoutTheExpectedColumns(@TempDir Path dir) throws IOException {
    Path file = gzip(dir.resolve("other.csv.gz"), "event_time,event_type,price,user_id\n");
    assertThatThrownBy(() -> OnlineRetailOrders.read(file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Customer ID");
  }

  @Test
  void stripsTheFloatSuffixOfCustomerIds() {
    assertThat(OnlineRetailOrders.customerId(" 13085.0 ")).isEqualTo("13085");
    assertThat(OnlineRetailOrders.customerId("13085")).isEqualTo("13085");
    assertThat(OnlineRetailOrders.customerId("")).isEmpty();
  }

  @Test
  void defaultLocationSaysWhereItLooked(@TempDir Path dir) {
    assertThat(OnlineRetailOrders.defaultLocation()).isRegularFile();
    Path deep = dir.resolve("a/b/c/d");
    String relative = OnlineRetailOrders.RELATIVE_LOCATION;
    // the start directory and its third parent are both named
    assertThatThrownBy(() -> OnlineRetailOrders.defaultLocation(deep))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(deep.resolve(relative).normalize().toString())
        .hasMessageContaining(dir.resolve("a").resolve(relative).normalize().toString());
  }

  private static Path gzip(Path file, String csv) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(csv.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }
}
