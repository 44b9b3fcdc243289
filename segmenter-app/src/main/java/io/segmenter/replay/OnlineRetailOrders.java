package io.segmenter.replay;

import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Turns the invoice lines of the UCI Online Retail II data set (year 2009-2010) into one
 * {@link OrderEvent} per invoice, to replay real customer behaviour through the topology.
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
 * <p>Lines that cannot be used are skipped and counted in {@link Stats}:
 * <ul>
 *   <li>no customer id (about a fifth of the rows): the topology is keyed by customer, so an
 *       anonymous order has nowhere to go. Checked first, so such a row is never also a bad
 *       value;</li>
 *   <li>bad values: a missing column, a blank invoice number, a quantity that is not an int, a
 *       price that is not a number, a date that does not parse, or a customer id differing from
 *       the one of the invoice's earlier lines. Only the line is dropped, the invoice keeps its
 *       other lines (the real file has no such line, so this only matters for damaged
 *       copies).</li>
 * </ul>
 *
 * <p>Decisions on whole invoices:
 * <ul>
 *   <li>A zero total (e.g. free samples at price 0) still yields an order with amount 0, counted
 *       in {@link Stats#zeroAmountInvoices()}: the customer did place an order, and dropping it
 *       would understate purchase frequency.</li>
 *   <li>A total whose sign contradicts the invoice kind (a normal invoice summing below zero, as
 *       with the "B"/"M" adjustment lines, or a "C" invoice summing above zero) is not an order
 *       but a book-keeping correction. It is skipped and all its lines are counted as bad values,
 *       rather than emitted with amount 0, which would invent a purchase. The real file has no
 *       such invoice with a customer id.</li>
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

  static final String INVOICE = "Invoice";
  static final String QUANTITY = "Quantity";
  static final String INVOICE_DATE = "InvoiceDate";
  static final String PRICE = "Price";
  static final String CUSTOMER_ID = "Customer ID";
  private static final List<String> REQUIRED = List.of(INVOICE, QUANTITY, INVOICE_DATE, PRICE, CUSTOMER_ID);

  private static final int AMOUNT_SCALE = 4;

  // The file writes "2009-12-01 07:45"; other exports of the same data add seconds.
  private static final DateTimeFormatter DATE_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss]").withResolverStyle(ResolverStyle.STRICT);

  private static final Comparator<OrderEvent> BY_TIME_THEN_ID =
      Comparator.comparing(OrderEvent::getOccurredAt).thenComparing(OrderEvent::getOrderId);

  private OnlineRetailOrders() { }

  /** Orders sorted by occurredAt then orderId, and what reading them took. */
  public record Result(List<OrderEvent> orders, Stats stats) {
    public Result {
      orders = List.copyOf(orders);
    }
  }

  /**
   * Counts of one read.
   *
   * @param rows data rows read (the header excluded)
   * @param rowsWithoutCustomer rows skipped because their customer id is blank
   * @param rowsWithBadValues rows skipped for a bad value, plus the rows of invoices skipped
   *     because their total has the wrong sign
   * @param invoices orders produced (cancellations included)
   * @param cancellations orders produced with status CANCELLED
   * @param customers distinct customer ids among the orders
   * @param zeroAmountInvoices orders produced with amount 0
   * @param first earliest occurredAt of the orders, null when there is none
   * @param last latest occurredAt of the orders, null when there is none
   */
  public record Stats(long rows, long rowsWithoutCustomer, long rowsWithBadValues, long invoices,
      long cancellations, long customers, long zeroAmountInvoices, Instant first, Instant last) { }

  /**
   * Reads a gzip-compressed Online Retail II CSV, streaming (the file is never held whole).
   *
   * @throws UncheckedIOException when the file cannot be read or is not valid CSV
   * @throws IllegalArgumentException when a required column is missing from the header
   */
  public static Result read(Path csvGz) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(csvGz), 1 << 16);
        Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      return read(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csvGz, e);
    }
  }

  static Result read(Reader reader) throws IOException {
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    // Insertion order is file order, which keeps "first customer id of an invoice" deterministic.
    Map<String, Invoice> invoices = new LinkedHashMap<>();
    long rows = 0;
    long withoutCustomer = 0;
    long badValues = 0;
    try (CSVParser parser = format.parse(reader)) {
      requireColumns(parser.getHeaderNames());
      int columns = parser.getHeaderNames().size();
      for (CSVRecord record : parser) {
        rows++;
        if (record.size() < columns) {
          badValues++;
          continue;
        }
        String customerId = customerId(record.get(CUSTOMER_ID));
        if (customerId.isEmpty()) {
          withoutCustomer++;
          continue;
        }
        Line line = Line.parse(record, customerId);
        if (line == null) {
          badValues++;
          continue;
        }
        Invoice invoice = invoices.computeIfAbsent(line.invoice(), id -> new Invoice(id, customerId));
        if (!invoice.add(line)) badValues++;
      }
    }
    return collect(invoices.values(), rows, withoutCustomer, badValues);
  }

  private static Result collect(Iterable<Invoice> invoices, long rows, long withoutCustomer, long badValues) {
    List<OrderEvent> orders = new ArrayList<>();
    Set<String> customers = new HashSet<>();
    long cancellations = 0;
    long zeroAmount = 0;
    for (Invoice invoice : invoices) {
      if (invoice.hasWrongSign()) {
        badValues += invoice.lines;
        continue;
      }
      OrderEvent order = invoice.toOrder();
      orders.add(order);
      customers.add(order.getCustomerId());
      if (order.getStatus() == OrderStatus.CANCELLED) cancellations++;
      if (order.getAmount().signum() == 0) zeroAmount++;
    }
    orders.sort(BY_TIME_THEN_ID);
    Instant first = orders.isEmpty() ? null : orders.get(0).getOccurredAt();
    Instant last = orders.isEmpty() ? null : orders.get(orders.size() - 1).getOccurredAt();
    Stats stats = new Stats(rows, withoutCustomer, badValues, orders.size(), cancellations,
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

  private static void requireColumns(List<String> header) {
    List<String> missing = REQUIRED.stream().filter(c -> !header.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("not an Online Retail II file: missing column(s) " + missing
          + " in header " + header);
    }
  }

  /** Blank when absent; "13085.0" becomes "13085" (ids exported as floats). */
  static String customerId(String raw) {
    String id = raw.strip();
    return id.endsWith(".0") ? id.substring(0, id.length() - 2) : id;
  }

  /** One usable invoice line. */
  private record Line(String invoice, String customerId, int quantity, BigDecimal price, Instant at) {

    /** Null when a value does not parse. */
    static Line parse(CSVRecord record, String customerId) {
      String invoice = record.get(INVOICE).strip();
      if (invoice.isEmpty()) return null;
      try {
        // Through BigDecimal so that "12.0" is accepted but 12.5 (and overflow) are not.
        int quantity = new BigDecimal(record.get(QUANTITY).strip()).intValueExact();
        BigDecimal price = new BigDecimal(record.get(PRICE).strip());
        Instant at = LocalDateTime.parse(record.get(INVOICE_DATE).strip(), DATE_FORMAT)
            .toInstant(ZoneOffset.UTC);
        return new Line(invoice, customerId, quantity, price, at);
      } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
        return null;
      }
    }
  }

  /** Running totals of one invoice. */
  private static final class Invoice {
    private final String id;
    private final String customerId;
    private final boolean cancellation;
    private BigDecimal total = BigDecimal.ZERO;
    // A long cannot overflow: each line adds at most an int and there are fewer than 2^31 lines.
    private long quantity;
    private Instant first;
    private long lines;

    Invoice(String id, String customerId) {
      this.id = id;
      this.customerId = customerId;
      this.cancellation = id.startsWith("C");
    }

    /** False (line not counted) when the line names another customer than the invoice's. */
    boolean add(Line line) {
      if (!line.customerId().equals(customerId)) return false;
      total = total.add(line.price().multiply(BigDecimal.valueOf(line.quantity())));
      quantity += line.quantity();
      if (first == null || line.at().isBefore(first)) first = line.at();
      lines++;
      return true;
    }

    boolean hasWrongSign() {
      return cancellation ? total.signum() > 0 : total.signum() < 0;
    }

    OrderEvent toOrder() {
      return OrderEvent.newBuilder()
          .setOrderId(id)
          .setCustomerId(customerId)
          .setStatus(cancellation ? OrderStatus.CANCELLED : OrderStatus.PLACED)
          .setAmount(total.abs().setScale(AMOUNT_SCALE, RoundingMode.HALF_EVEN))
          .setCurrency(CURRENCY)
          .setItemCount((int) Math.min(Math.abs(quantity), Integer.MAX_VALUE))
          .setCategories(List.of())
          .setOccurredAt(first)
          .build();
    }
  }
}
