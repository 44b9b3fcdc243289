package io.segmenter.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.replay.OnlineRetailOrders.Result;
import io.segmenter.replay.OnlineRetailOrders.SkipReason;
import io.segmenter.replay.OnlineRetailOrders.Stats;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
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
    return order(id, customer, status, amount, items, at, "GBP");
  }

  static OrderEvent order(String id, String customer, OrderStatus status, String amount, int items,
      String at, String currency) {
    return OrderEvent.newBuilder().setOrderId(id).setCustomerId(customer).setStatus(status)
        .setAmount(new BigDecimal(amount)).setCurrency(currency).setItemCount(items)
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
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Customer ID")
        .hasMessageContaining("its columns are \"event_time\", \"event_type\", \"price\", \"user_id\"");
  }

  @Test
  void aUciFileMissingAnotherColumnNamesIt(@TempDir Path dir) throws IOException {
    Path file = gzip(dir.resolve("short.csv.gz"), "InvoiceNo,StockCode,Quantity,UnitPrice,CustomerID\n");
    assertThatThrownBy(() -> OnlineRetailOrders.read(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no column \"InvoiceDate\" (time) in the header; its columns are \"InvoiceNo\", \"StockCode\","
            + " \"Quantity\", \"UnitPrice\", \"CustomerID\"");
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

  // ---- the classic layout, and any file through a column mapping ----------------------------------

  static final String ONLINE_RETAIL_II_HEADER = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country";
  static final String ONLINE_RETAIL_HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

  @Test
  void theClassicLayoutGivesTheSameOrders(@TempDir Path dir) throws IOException {
    Path classic = withHeader(dir.resolve("classic.csv"), ONLINE_RETAIL_HEADER);
    assertThat(OrderFormat.detect(OnlineRetailOrders.header(classic))).isEqualTo(OrderFormat.ONLINE_RETAIL);
    Result r = OnlineRetailOrders.read(classic);
    System.out.printf("Online Retail (classic header): %s%n", r.stats());
    assertThat(r.stats()).isEqualTo(real.stats());
    assertThat(r.orders()).isEqualTo(real.orders());
  }

  @Test
  void mappedColumnsGiveTheSameOrders() {
    OrderColumns columns = OrderColumns.parse(
        List.of("customer=Customer ID", "order=Invoice", "time=InvoiceDate", "quantity=Quantity", "price=Price"));
    assertThat(columns).isEqualTo(OrderColumns.ONLINE_RETAIL_II);
    OrderFormat mapped = OrderFormat.mapped(columns, "GBP", OrderTimes.DEFAULT);
    assertThat(mapped.cancellations()).isEqualTo(OrderFormat.Cancellations.NEGATIVE_TOTAL);
    Result r = OnlineRetailOrders.read(OnlineRetailOrders.defaultLocation(), mapped);
    System.out.printf("Online Retail II through --columns %s: %s%n", columns, r.stats());
    // A mapped file's cancellations are its orders with a negative total: on this file exactly the "C"
    // invoices (none of which sums to 0 or more, and no other invoice with a customer sums below 0).
    assertThat(r.stats()).isEqualTo(real.stats());
    assertThat(r.orders()).isEqualTo(real.orders());
  }

  @Test
  void anAmountFileWithIsoTimes(@TempDir Path dir) throws IOException {
    // A byte order mark as spreadsheets write it; a quoted header name; times with Z, an offset, a
    // fraction, a space, or a date alone.
    Path file = Files.writeString(dir.resolve("orders.csv"), """
        \uFEFF"Order No",Client,Date,Total,Channel
        A-1,alice,2024-03-01T10:15:00Z,19.90,web
        A-1,alice,2024-03-01T10:16:30Z,5.10,web
        A-2,bob,2024-03-02T09:00:00+01:00,42,shop
        A-3,alice,2024-03-05,-12.50,web
        A-4,carol,2024-03-06T08:00:00.250,0,web
        A-5,bob,2024-03-07 18:30,"1,000.00",web
        A-6,,2024-03-07T18:30:00Z,3,web
        A-7,dave,07/03/2024 18:30,3,web
        A-8,erin,2024-03-08 12:00:00,10,web
        A-8,erin,2024-03-08T12:05:00Z,-25,web
        A-9,erin,2024-03-09T12:00:00Z,-5,web
        A-9,erin,2024-03-09T12:01:00Z,5,web
        """, StandardCharsets.UTF_8);
    OrderColumns columns = OrderColumns.parse(List.of("customer=Client", "order=Order No", "time=Date", "amount=Total"));
    Result r = OnlineRetailOrders.read(file, OrderFormat.mapped(columns, "EUR", OrderTimes.DEFAULT));
    assertThat(r.orders()).containsExactly(
        order("A-1", "alice", OrderStatus.PLACED, "25.0000", 2, "2024-03-01T10:15:00Z", "EUR"),
        order("A-2", "bob", OrderStatus.PLACED, "42.0000", 1, "2024-03-02T08:00:00Z", "EUR"),
        // a negative total is a cancellation of that much; a date alone is its day's start, UTC
        order("A-3", "alice", OrderStatus.CANCELLED, "12.5000", 1, "2024-03-05T00:00:00Z", "EUR"),
        order("A-4", "carol", OrderStatus.PLACED, "0.0000", 1, "2024-03-06T08:00:00.250Z", "EUR"),
        // 10 - 25: returns outweigh the purchase
        order("A-8", "erin", OrderStatus.CANCELLED, "15.0000", 2, "2024-03-08T12:00:00Z", "EUR"),
        // -5 + 5: a placed order of amount 0, not skipped
        order("A-9", "erin", OrderStatus.PLACED, "0.0000", 2, "2024-03-09T12:00:00Z", "EUR"));
    Map<SkipReason, Long> skipped = Map.of(SkipReason.BAD_AMOUNT, 1L, SkipReason.NO_CUSTOMER, 1L, SkipReason.BAD_DATE, 1L);
    // 9 rows in orders, 3 of them on the two cancellations; one at amount 0; total 0
    assertThat(r.stats()).isEqualTo(new Stats(12, 9, skipped, 6, 2, 3, 1, 4, 2,
        Instant.parse("2024-03-01T10:15:00Z"), Instant.parse("2024-03-09T12:00:00Z")));
  }

  @Test
  void aTimePatternReplacesTheDefaultTimes(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("dmy.csv"), """
        ref,who,when,qty,unit
        1,x,01/02/2024 10:00,2,1.25
        2,y,2024-02-01T10:00:00Z,1,1
        3,z,30/02/2024 10:00,1,1
        """, StandardCharsets.UTF_8);
    OrderColumns columns = OrderColumns.parse(List.of("customer=who", "order=ref", "time=when", "quantity=qty", "price=unit"));
    Result r = OnlineRetailOrders.read(file, OrderFormat.mapped(columns, "USD", OrderTimes.pattern("dd/MM/uuuu HH:mm")));
    assertThat(r.orders()).containsExactly(order("1", "x", OrderStatus.PLACED, "2.5000", 2, "2024-02-01T10:00:00Z", "USD"));
    // ISO is not the pattern; 30 February is no date
    assertThat(r.stats().skipped()).containsEntry(SkipReason.BAD_DATE, 2L);
  }

  @Test
  void timesByDefaultAndByPattern() {
    OrderTimes times = OrderTimes.DEFAULT;
    assertThat(times.parse("2009-12-01 07:45")).isEqualTo("2009-12-01T07:45:00Z");
    assertThat(times.parse("2009-12-01 07:45:30")).isEqualTo("2009-12-01T07:45:30Z");
    assertThat(times.parse("2009-12-01T07:45")).isEqualTo("2009-12-01T07:45:00Z");
    assertThat(times.parse("2009-12-01T07:45:00.5Z")).isEqualTo("2009-12-01T07:45:00.500Z");
    assertThat(times.parse("2010-07-01T08:45:00+01:00")).isEqualTo("2010-07-01T07:45:00Z");
    assertThat(times.parse("2010-07-01T08:45:00+01:00[Europe/London]")).isEqualTo("2010-07-01T07:45:00Z");
    assertThat(times.parse("2009-12-01")).isEqualTo("2009-12-01T00:00:00Z");
    for (String bad : List.of("03/01/2010 11:00", "2010-02-30 10:00", "2010-02-03 25:00", "", "2010-02-03 10:00 extra")) {
      assertThat(times.parse(bad)).as(bad).isNull();
    }
    // The classic file as spreadsheet exports write it (US order); yyyy works like uuuu
    assertThat(OrderTimes.pattern("M/d/yyyy H:mm").parse("12/1/2010 8:26")).isEqualTo("2010-12-01T08:26:00Z");
    assertThat(OrderTimes.pattern("uuuuMMdd").parse("19970101")).isEqualTo("1997-01-01T00:00:00Z");
    assertThat(OrderTimes.pattern("dd MMM uuuu HH:mm XXX").parse("01 Dec 2010 09:26 +01:00"))
        .isEqualTo("2010-12-01T08:26:00Z");
    assertThat(OrderTimes.pattern("dd/MM/uuuu HH:mm")).hasToString("pattern 'dd/MM/uuuu HH:mm'")
        .isEqualTo(OrderTimes.pattern("dd/MM/uuuu HH:mm")).isNotEqualTo(OrderTimes.DEFAULT);
  }

  @Test
  void aTimePatternThatCannotGiveADateIsRefused() {
    assertThatThrownBy(() -> OrderTimes.pattern("HH:mm")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("time pattern 'HH:mm' does not give a date");
    assertThatThrownBy(() -> OrderTimes.pattern("YYYY-MM-dd")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("YYYY is the week-based year");
    assertThatThrownBy(() -> OrderTimes.pattern("uuuu-MM-dd'T")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid time pattern 'uuuu-MM-dd'T'");
    assertThatThrownBy(() -> OrderTimes.pattern("uuuu-MM-dd {x}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid time pattern");
  }

  @Test
  void badMappingsSayWhatToFix() {
    record Case(List<String> pairs, String message) { }
    List<Case> cases = List.of(
        new Case(List.of("customer=a", "order=b", "time=c", "amount=d", "quantity=e", "price=f"),
            "give amount (the line's amount) or quantity and price (amount = quantity * price), not both"),
        new Case(List.of("customer=a", "order=b", "time=c", "amount=d", "price=f"),
            "give amount (the line's amount) or quantity and price (amount = quantity * price), not both"),
        new Case(List.of("customer=a", "order=b", "time=c", "quantity=e"),
            "missing price: quantity and price go together (amount = quantity * price); or give amount alone"),
        new Case(List.of("customer=a", "order=b", "time=c"),
            "missing the line's value: give amount, or quantity and price (amount = quantity * price)"),
        new Case(List.of("customer=a", "amount=d"),
            "missing order, time: customer, order and time are required, with amount or quantity and price"),
        new Case(List.of("customer=a", "cust=b"), "unknown key 'cust' (keys: customer, order, time, amount, quantity, price)"),
        new Case(List.of("customer"), "'customer' is not KEY=COLUMN (keys: customer, order, time, amount, quantity, price)"),
        new Case(List.of("customer=a", "customer=b"), "key 'customer' given twice"),
        new Case(List.of("customer=", "order=b", "time=c", "amount=d"), "empty column name for customer"));
    for (Case c : cases) {
      assertThatThrownBy(() -> OrderColumns.parse(c.pairs())).as(c.pairs().toString())
          .isInstanceOf(IllegalArgumentException.class).hasMessage(c.message());
    }
    // The column name is everything after the first "=", spaces and all
    assertThat(OrderColumns.parse(List.of(" order =No=1 ", "customer=c", "time=t", "amount=a")).order()).isEqualTo("No=1 ");
  }

  @Test
  void aMappedColumnMissingFromTheHeaderIsNamedWithTheHeader(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("orders.csv"), "Order No,Client,Date,Total\nA-1,alice,2024-03-01,1\n");
    // Exact names: "order no" is not "Order No"
    OrderColumns columns = OrderColumns.parse(List.of("customer=Customer", "order=order no", "time=Date", "amount=Total"));
    assertThatThrownBy(() -> OnlineRetailOrders.read(file, OrderFormat.mapped(columns, "EUR", OrderTimes.DEFAULT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no column \"Customer\" (customer), \"order no\" (order) in the header; its columns are"
            + " \"Order No\", \"Client\", \"Date\", \"Total\"");
  }

  @Test
  void theCurrencyIsAnIsoCode() {
    OrderColumns columns = OrderColumns.parse(List.of("customer=c", "order=o", "time=t", "amount=a"));
    for (String bad : Arrays.asList("gbp", "POUND", "", null)) {
      assertThatThrownBy(() -> OrderFormat.mapped(columns, bad, OrderTimes.DEFAULT)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not an ISO 4217 currency code");
    }
    assertThat(OrderFormat.detect(List.of(ONLINE_RETAIL_II_HEADER.split(","))).withCurrency("EUR").currency()).isEqualTo("EUR");
  }

  @Test
  void theLayoutIsToldByTheHeader() {
    assertThat(OrderFormat.detect(List.of(ONLINE_RETAIL_II_HEADER.split(",")))).isEqualTo(OrderFormat.ONLINE_RETAIL_II);
    assertThat(OrderFormat.detect(List.of(ONLINE_RETAIL_HEADER.split(",")))).isEqualTo(OrderFormat.ONLINE_RETAIL);
    assertThat(OrderFormat.ONLINE_RETAIL.describe()).isEqualTo("UCI Online Retail; amounts in GBP; \"C\" invoices are"
        + " cancellations; times UCI (2009-12-01 07:45) or ISO-8601");
    // Half of each is neither
    assertThatThrownBy(() -> OrderFormat.detect(List.of("Invoice", "UnitPrice", "Customer ID", "Quantity", "InvoiceDate")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a UCI Online Retail file (Online Retail II has the columns \"Invoice\", \"Price\", \"Customer ID\";"
            + " Online Retail has \"InvoiceNo\", \"UnitPrice\", \"CustomerID\"); its columns are \"Invoice\", \"UnitPrice\","
            + " \"Customer ID\", \"Quantity\", \"InvoiceDate\": name the columns to use instead");
  }

  /** The real file with its first line replaced by {@code header}, written plain (the reader tells gzip by content). */
  private static Path withHeader(Path copy, String header) throws IOException {
    try (InputStream in = new BufferedInputStream(
            new GZIPInputStream(Files.newInputStream(OnlineRetailOrders.defaultLocation()), 1 << 16), 1 << 16);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(copy), 1 << 16)) {
      ByteArrayOutputStream first = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        assertThat(b).as("the header line ends").isNotEqualTo(-1);
        first.write(b);
      }
      assertThat(first.toString(StandardCharsets.UTF_8)).isEqualTo(ONLINE_RETAIL_II_HEADER);
      out.write((header + "\n").getBytes(StandardCharsets.UTF_8));
      in.transferTo(out);
    }
    return copy;
  }

  private static Path gzip(Path file, String csv) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(csv.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }
}
