package io.segmenter.replay;

import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Turns the invoice lines of the UCI Online Retail II data set (year 2009-2010) into one
 * {@link OrderEvent} per invoice, to replay real customer behaviour through the topology; also the
 * classic UCI Online Retail file (columns InvoiceNo, UnitPrice, CustomerID instead of Invoice, Price,
 * Customer ID: {@link OrderFormat#detect}) and any order CSV whose columns are named
 * ({@link OrderFormat#mapped}, {@link OrderColumns}). The rules below are written for the UCI
 * files; a mapped file is read by the same rules, with its own columns, with the amount of a line
 * given either as quantity × price or by one amount column (then a line counts as one item), with
 * the currency given, and with orders whose total is negative as its cancellations
 * ({@link OrderFormat.Cancellations#NEGATIVE_TOTAL}; no order of a mapped file is skipped for its
 * sign).
 *
 * <p>Mapping of an invoice (all its lines with a customer id):
 * <ul>
 *   <li>orderId = the invoice number as written ("489434", "C489449");</li>
 *   <li>customerId = the Customer ID without a trailing ".0" (spreadsheet exports write ids as
 *       floats: "13085.0" and "13085" are the same customer);</li>
 *   <li>status = CANCELLED when the invoice starts with "C", else PLACED;</li>
 *   <li>amount = |sum(Quantity * Price)| at scale 4, HALF_EVEN (the schema's decimal(18,4)); the
 *       sum is exact, only the final value is rounded;</li>
 *   <li>currency = GBP: the retailer is British and the data set has no currency column;</li>
 *   <li>itemCount = |sum(Quantity)|, capped to int;</li>
 *   <li>categories = empty: the data set has no categories;</li>
 *   <li>occurredAt = the earliest InvoiceDate of the invoice's lines. A few invoices (35 in
 *       2009-2010) span a minute boundary; the earliest line is when the order started. The data
 *       set has no time zone (it is UK local time, mostly GMT): the local time is read as if it
 *       were UTC, so summer dates are an hour late. That is fine for replay, where only order
 *       and spacing matter, and avoids inventing a zone the source never stated.</li>
 * </ul>
 *
 * <p>Lines that cannot be used are skipped and counted in {@link Stats}, by {@link SkipReason} (the
 * first that applies, so that every row is counted once: rows = rows in orders + rows skipped):
 * <ul>
 *   <li>{@code NO_CUSTOMER} (about a fifth of the rows): the topology is keyed by customer, so an
 *       anonymous order has nowhere to go. Checked first after the column count, so such a row is
 *       never also a bad value (whatever else is wrong with it: the real file's anonymous rows
 *       include its bad-debt adjustments and most of its price-0 rows);</li>
 *   <li>bad values: fewer columns than the header ({@code MISSING_COLUMNS}), a blank invoice number,
 *       a quantity that is not an int, a price (or an amount) that is not a number, a date that does
 *       not parse ({@link OrderTimes}), or
 *       a customer id differing from the one of the invoice's earlier lines ({@code OTHER_CUSTOMER}).
 *       Only the line is dropped, the invoice keeps its other lines (the real file has no such
 *       line, so this only matters for damaged copies).</li>
 * </ul>
 *
 * <p>Decisions on whole invoices:
 * <ul>
 *   <li>A zero total (e.g. free samples at price 0) still yields an order with amount 0, counted
 *       in {@link Stats#zeroAmountInvoices()}: the customer did place an order, and dropping it
 *       would understate purchase frequency.</li>
 *   <li>A total whose sign contradicts the invoice kind (a normal invoice summing below zero, as
 *       with the "B"/"M" adjustment lines, or a "C" invoice summing above zero) is not an order
 *       but a book-keeping correction. It is skipped and all its lines are counted under
 *       {@code WRONG_SIGN}, rather than emitted with amount 0, which would invent a purchase. The
 *       real file has no such invoice with a customer id.</li>
 *   <li>Cancellations ("C" invoices) are not skipped: they become orders with status CANCELLED,
 *       whose amounts the profile subtracts from net spend ({@link Stats#cancellations()},
 *       {@link Stats#cancellationRows()}).
 *       Lines at price 0 stay in their order ({@link Stats#zeroPriceRows()}).</li>
 *   <li>Duplicate lines are kept and summed: the data cannot tell a line typed twice from the
 *       same article sold twice on one invoice, and replay deduplicates per invoice anyway (one
 *       event per invoice and status).</li>
 * </ul>
 */
public final class OnlineRetailOrders {

  /** The data set's currency: prices are in pounds sterling. */
  public static final String CURRENCY = "GBP";

  /** Where the data lives, relative to the project root (see the shared data README). */
  static final String RELATIVE_LOCATION =
      "../shared/data/online-retail-ii/online_retail_II_2009_2010.csv.gz";

  /** How many parents of the working directory defaultLocation also tries (module dirs nest). */
  static final int PARENT_LEVELS = 3;

  private static final int AMOUNT_SCALE = 4;

  private static final int UTF8_BOM = 0xFEFF;

  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();

  private static final Comparator<OrderEvent> BY_TIME_THEN_ID =
      Comparator.comparing(OrderEvent::getOccurredAt).thenComparing(OrderEvent::getOrderId);

  private OnlineRetailOrders() { }

  /** Orders sorted by occurredAt then orderId, and what reading them took. */
  public record Result(List<OrderEvent> orders, Stats stats) {
    public Result {
      orders = List.copyOf(orders);
    }
  }

  /** Why a row was not used, in the order the checks run (a row counts under the first that applies). */
  public enum SkipReason {
    MISSING_COLUMNS("fewer columns than the header"),
    NO_CUSTOMER("no customer id"),
    BLANK_INVOICE("blank invoice number"),
    BAD_QUANTITY("quantity not a whole number"),
    BAD_PRICE("price not a number"),
    BAD_AMOUNT("amount not a number"),
    BAD_DATE("invoice date does not parse"),
    OTHER_CUSTOMER("customer id differs from the invoice's"),
    WRONG_SIGN("adjustment: invoice total has the wrong sign");

    private final String description;

    SkipReason(String description) {
      this.description = description;
    }

    /** What the reason means, for reports. */
    public String description() {
      return description;
    }
  }

  /**
   * Counts of one read.
   *
   * @param rows data rows read (the header excluded)
   * @param rowsInOrders rows summed into the orders produced
   * @param skipped rows not used, per reason (every reason present, 0 when none); rows = rowsInOrders +
   *     the sum of these
   * @param invoices orders produced (cancellations included)
   * @param cancellations orders produced with status CANCELLED
   * @param cancellationRows rows of those cancellation orders (a part of rowsInOrders)
   * @param zeroPriceRows rows at price 0 kept in orders (free samples and the like; a part of rowsInOrders)
   * @param customers distinct customer ids among the orders
   * @param zeroAmountInvoices orders produced with amount 0
   * @param first earliest occurredAt of the orders, null when there is none
   * @param last latest occurredAt of the orders, null when there is none
   */
  public record Stats(long rows, long rowsInOrders, Map<SkipReason, Long> skipped, long invoices, long cancellations,
      long cancellationRows, long zeroPriceRows, long customers, long zeroAmountInvoices, Instant first, Instant last) {

    public Stats {
      Map<SkipReason, Long> all = new EnumMap<>(SkipReason.class);
      for (SkipReason r : SkipReason.values()) all.put(r, skipped.getOrDefault(r, 0L));
      skipped = Collections.unmodifiableMap(all);
    }

    /** Rows skipped because their customer id is blank. */
    public long rowsWithoutCustomer() {
      return skipped.get(SkipReason.NO_CUSTOMER);
    }

    /** Rows skipped for any other reason: a bad value, or the rows of an invoice whose total has the wrong sign. */
    public long rowsWithBadValues() {
      return rowsSkipped() - rowsWithoutCustomer();
    }

    public long rowsSkipped() {
      return skipped.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Reads a UCI Online Retail II or Online Retail CSV (told by its header: {@link OrderFormat#detect}),
   * gzip-compressed or not (told by its first bytes, not its name), streaming (the file is never
   * held whole).
   *
   * @throws UncheckedIOException when the file cannot be read or is not valid CSV
   * @throws IllegalArgumentException when the header is neither layout's, or a column is missing
   */
  public static Result read(Path csv) {
    return read(csv, OrderFormat::detect);
  }

  /**
   * Reads an order CSV in the given format, as {@link #read(Path)} does.
   *
   * @throws IllegalArgumentException when a column of the format is missing from the header
   */
  public static Result read(Path csv, OrderFormat format) {
    return read(csv, header -> format);
  }

  /**
   * The column names of a CSV's first line, as {@link #read} sees them.
   *
   * @throws UncheckedIOException when the file cannot be read or is not valid CSV
   */
  public static List<String> header(Path csv) {
    try (Reader reader = reader(csv); CSVParser parser = FORMAT.parse(reader)) {
      return List.copyOf(parser.getHeaderNames());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv, e);
    }
  }

  private static Result read(Path csv, Function<List<String>, OrderFormat> formatOfHeader) {
    try (Reader reader = reader(csv)) {
      return read(reader, formatOfHeader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv, e);
    }
  }

  /** UTF-8 text, gunzipped when the bytes are gzip; a byte order mark (spreadsheet exports) is dropped. */
  private static Reader reader(Path csv) throws IOException {
    InputStream in = open(csv);
    try {
      Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
      reader.mark(1);
      if (reader.read() != UTF8_BOM) reader.reset();
      return reader;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == (GZIPInputStream.GZIP_MAGIC & 0xff) && b1 == (GZIPInputStream.GZIP_MAGIC >>> 8);
      return gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  static Result read(Reader reader, Function<List<String>, OrderFormat> formatOfHeader) throws IOException {
    // Insertion order is file order, which keeps "first customer id of an invoice" deterministic.
    Map<String, Invoice> invoices = new LinkedHashMap<>();
    Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    long rows = 0;
    OrderFormat format;
    try (CSVParser parser = FORMAT.parse(reader)) {
      List<String> header = parser.getHeaderNames();
      format = formatOfHeader.apply(header);
      format.requireColumns(header);
      Fields fields = new Fields(format.columns(), header);
      OrderTimes.Reader times = format.times().reader();
      for (CSVRecord record : parser) {
        rows++;
        SkipReason reason = add(record, fields, times, invoices);
        if (reason != null) skipped.merge(reason, 1L, Long::sum);
      }
    }
    return collect(invoices.values(), format, rows, skipped);
  }

  /** Where each column of the format is in a row (-1 for amount, or quantity and price, whichever is not used). */
  private record Fields(int count, int customer, int order, int time, int amount, int quantity, int price) {
    Fields(OrderColumns c, List<String> header) {
      this(header.size(), header.indexOf(c.customer()), header.indexOf(c.order()), header.indexOf(c.time()),
          c.amount() == null ? -1 : header.indexOf(c.amount()), c.quantity() == null ? -1 : header.indexOf(c.quantity()),
          c.price() == null ? -1 : header.indexOf(c.price()));
    }
  }

  /** Adds the row to its invoice; returns why it was skipped, or null. */
  private static SkipReason add(CSVRecord record, Fields fields, OrderTimes.Reader times, Map<String, Invoice> invoices) {
    if (record.size() < fields.count()) return SkipReason.MISSING_COLUMNS;
    String customerId = customerId(record.get(fields.customer()));
    if (customerId.isEmpty()) return SkipReason.NO_CUSTOMER;
    String invoiceId = record.get(fields.order()).strip();
    if (invoiceId.isEmpty()) return SkipReason.BLANK_INVOICE;
    int quantity;
    BigDecimal value;
    boolean free;
    if (fields.amount() >= 0) {
      // A line of an amount file is one item: the file does not say how many.
      quantity = 1;
      try {
        value = new BigDecimal(record.get(fields.amount()).strip());
      } catch (NumberFormatException e) {
        return SkipReason.BAD_AMOUNT;
      }
      free = value.signum() == 0;
    } else {
      BigDecimal price;
      try {
        // Through BigDecimal so that "12.0" is accepted but 12.5 (and overflow) are not.
        quantity = new BigDecimal(record.get(fields.quantity()).strip()).intValueExact();
      } catch (NumberFormatException | ArithmeticException e) {
        return SkipReason.BAD_QUANTITY;
      }
      try {
        price = new BigDecimal(record.get(fields.price()).strip());
      } catch (NumberFormatException e) {
        return SkipReason.BAD_PRICE;
      }
      value = price.multiply(BigDecimal.valueOf(quantity));
      free = price.signum() == 0;
    }
    Instant at = times.parse(record.get(fields.time()).strip());
    if (at == null) return SkipReason.BAD_DATE;
    Invoice invoice = invoices.computeIfAbsent(invoiceId, id -> new Invoice(id, customerId));
    return invoice.add(new Line(customerId, quantity, value, free, at)) ? null : SkipReason.OTHER_CUSTOMER;
  }

  private static Result collect(Iterable<Invoice> invoices, OrderFormat format, long rows, Map<SkipReason, Long> skipped) {
    List<OrderEvent> orders = new ArrayList<>();
    Set<String> customers = new HashSet<>();
    long rowsInOrders = 0;
    long cancellations = 0;
    long cancellationRows = 0;
    long zeroPriceRows = 0;
    long zeroAmount = 0;
    for (Invoice invoice : invoices) {
      if (format.cancellations().wrongSign(invoice.id, invoice.total)) {
        skipped.merge(SkipReason.WRONG_SIGN, invoice.lines, Long::sum);
        continue;
      }
      OrderEvent order = invoice.toOrder(format);
      orders.add(order);
      customers.add(order.getCustomerId());
      rowsInOrders += invoice.lines;
      zeroPriceRows += invoice.zeroPriceLines;
      if (order.getStatus() == OrderStatus.CANCELLED) {
        cancellations++;
        cancellationRows += invoice.lines;
      }
      if (order.getAmount().signum() == 0) zeroAmount++;
    }
    orders.sort(BY_TIME_THEN_ID);
    Instant first = orders.isEmpty() ? null : orders.get(0).getOccurredAt();
    Instant last = orders.isEmpty() ? null : orders.get(orders.size() - 1).getOccurredAt();
    Stats stats = new Stats(rows, rowsInOrders, skipped, orders.size(), cancellations, cancellationRows, zeroPriceRows,
        customers.size(), zeroAmount, first, last);
    return new Result(orders, stats);
  }

  /**
   * The shared data file, looked up as
   * {@code ../shared/data/online-retail-ii/online_retail_II_2009_2010.csv.gz} from the working
   * directory and up to three of its parents: Maven runs tests in the module directory, one level
   * below the project root the path is relative to.
   *
   * @throws IllegalStateException naming every place tried when none holds the file
   */
  public static Path defaultLocation() {
    return defaultLocation(Path.of("").toAbsolutePath());
  }

  static Path defaultLocation(Path start) {
    List<Path> tried = new ArrayList<>();
    Path dir = start.toAbsolutePath();
    for (int level = 0; level <= PARENT_LEVELS && dir != null; level++, dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE_LOCATION).normalize();
      if (Files.isRegularFile(candidate)) return candidate;
      tried.add(candidate);
    }
    throw new IllegalStateException("Online Retail II data not found; looked at " + tried);
  }

  /** Blank when absent; "13085.0" becomes "13085" (ids exported as floats). */
  static String customerId(String raw) {
    String id = raw.strip();
    return id.endsWith(".0") ? id.substring(0, id.length() - 2) : id;
  }

  /**
   * One usable invoice line.
   *
   * @param value quantity × price, or the amount of an amount file
   * @param free at price 0 (amount 0 in an amount file)
   */
  private record Line(String customerId, int quantity, BigDecimal value, boolean free, Instant at) { }

  /** Running totals of one invoice. */
  private static final class Invoice {
    private final String id;
    private final String customerId;
    private BigDecimal total = BigDecimal.ZERO;
    // A long cannot overflow: each line adds at most an int and there are fewer than 2^31 lines.
    private long quantity;
    private Instant first;
    private long lines;
    private long zeroPriceLines;

    Invoice(String id, String customerId) {
      this.id = id;
      this.customerId = customerId;
    }

    /** False (line not counted) when the line names another customer than the invoice's. */
    boolean add(Line line) {
      if (!line.customerId().equals(customerId)) return false;
      total = total.add(line.value());
      quantity += line.quantity();
      if (first == null || line.at().isBefore(first)) first = line.at();
      lines++;
      if (line.free()) zeroPriceLines++;
      return true;
    }

    OrderEvent toOrder(OrderFormat format) {
      return OrderEvent.newBuilder()
          .setOrderId(id)
          .setCustomerId(customerId)
          .setStatus(format.cancellations().cancelled(id, total) ? OrderStatus.CANCELLED : OrderStatus.PLACED)
          .setAmount(total.abs().setScale(AMOUNT_SCALE, RoundingMode.HALF_EVEN))
          .setCurrency(format.currency())
          .setItemCount((int) Math.min(Math.abs(quantity), Integer.MAX_VALUE))
          .setCategories(List.of())
          .setOccurredAt(first)
          .build();
    }
  }
}
