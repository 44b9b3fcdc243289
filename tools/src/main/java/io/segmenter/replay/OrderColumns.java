package io.segmenter.replay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which column of an order file is which: the customer id, the order (invoice) id, the time, and the
 * line's value, either one {@code amount} column or {@code quantity} and {@code price} columns
 * (value = quantity × price). Names are matched exactly against the header (case and spaces count).
 *
 * @param customer column of the customer id
 * @param order column of the order id; the lines of one order are grouped into one OrderEvent
 * @param time column of the line's time
 * @param amount column of the line's amount, or null when quantity and price are given
 * @param quantity column of the line's quantity (a whole number), or null when amount is given
 * @param price column of the line's unit price, or null when amount is given
 */
public record OrderColumns(String customer, String order, String time, String amount, String quantity, String price) {

  /** The keys of {@link #parse}, in the order of the components (declared first: the layouts below use it). */
  public static final List<String> KEYS = List.of("customer", "order", "time", "amount", "quantity", "price");

  /** UCI Online Retail II (2009-2011): {@code Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country}. */
  public static final OrderColumns ONLINE_RETAIL_II =
      new OrderColumns("Customer ID", "Invoice", "InvoiceDate", null, "Quantity", "Price");

  /** UCI Online Retail, the classic 2010-2011 file: {@code InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country}. */
  public static final OrderColumns ONLINE_RETAIL =
      new OrderColumns("CustomerID", "InvoiceNo", "InvoiceDate", null, "Quantity", "UnitPrice");

  /**
   * @throws IllegalArgumentException when a required column is missing, a name is blank, or the value
   *     is given both ways (amount, and quantity and price) or only half of the second way
   */
  public OrderColumns {
    Map<String, String> given = pairs(customer, order, time, amount, quantity, price);
    given.forEach((key, column) -> {
      if (column.isEmpty()) throw new IllegalArgumentException("empty column name for " + key);
    });
    List<String> missing = List.of("customer", "order", "time").stream().filter(k -> !given.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("missing " + String.join(", ", missing)
          + ": customer, order and time are required, with amount or quantity and price");
    }
    if (amount != null && (quantity != null || price != null)) {
      throw new IllegalArgumentException("give amount (the line's amount) or quantity and price (amount = quantity"
          + " * price), not both");
    }
    if (amount == null && (quantity == null || price == null)) {
      throw new IllegalArgumentException(quantity == null && price == null
          ? "missing the line's value: give amount, or quantity and price (amount = quantity * price)"
          : "missing " + (quantity == null ? "quantity" : "price") + ": quantity and price go together"
              + " (amount = quantity * price); or give amount alone");
    }
  }

  /**
   * Reads {@code KEY=COLUMN} pairs, e.g. {@code customer=Customer ID}, {@code order=Invoice},
   * {@code time=InvoiceDate}, {@code amount=Total}. The column name is everything after the first
   * "=", taken as is.
   *
   * @throws IllegalArgumentException saying what to fix: a pair without "=", an unknown or repeated key,
   *     and everything the constructor refuses
   */
  public static OrderColumns parse(List<String> pairs) {
    Map<String, String> columns = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("'" + pair + "' is not KEY=COLUMN (keys: " + String.join(", ", KEYS) + ")");
      }
      String key = pair.substring(0, eq).strip();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' (keys: " + String.join(", ", KEYS) + ")");
      }
      if (columns.putIfAbsent(key, pair.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("key '" + key + "' given twice");
      }
    }
    return new OrderColumns(columns.get("customer"), columns.get("order"), columns.get("time"), columns.get("amount"),
        columns.get("quantity"), columns.get("price"));
  }

  /** True when the line's value is one amount column, false when it is quantity × price. */
  public boolean hasAmount() {
    return amount != null;
  }

  /** The columns used as {@code KEY=COLUMN} pairs, in the order of the components, e.g. for a report. */
  @Override
  public String toString() {
    return pairs(customer, order, time, amount, quantity, price).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /**
   * @throws IllegalArgumentException naming every column (and its key) missing from the header, and
   *     listing the header's columns
   */
  void requireIn(List<String> header) {
    String missing = pairs(customer, order, time, amount, quantity, price).entrySet().stream()
        .filter(e -> !header.contains(e.getValue()))
        .map(e -> "\"" + e.getValue() + "\" (" + e.getKey() + ")").collect(Collectors.joining(", "));
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("no column " + missing + " in the header; its columns are " + quoted(header));
    }
  }

  /** Key to column name, in the order of the components, without the columns not given. */
  private static Map<String, String> pairs(String... columns) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (int i = 0; i < columns.length; i++) {
      if (columns[i] != null) pairs.put(KEYS.get(i), columns[i]);
    }
    return pairs;
  }

  /** {@code "a", "b c"}: quoted so that spaces and empty names show. */
  static String quoted(List<String> names) {
    if (names.isEmpty()) return "none (no header line)";
    return names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
  }
}
