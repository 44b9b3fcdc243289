package io.segmenter.replay;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * How to read an order file: its columns, which orders are cancellations, the currency of its
 * amounts and how its times are written. Either one of the two UCI layouts, told from the header
 * ({@link #detect}), or any file whose columns are named by the user ({@link #mapped}).
 *
 * @param layout what the file is, for reports
 * @param columns which column is which
 * @param cancellations which orders are cancellations
 * @param currency ISO 4217 code of the amounts
 * @param times how the time column is written
 */
public record OrderFormat(String layout, OrderColumns columns, Cancellations cancellations, String currency,
    OrderTimes times) {

  /** UCI Online Retail II: Invoice, Price, Customer ID; "C" invoices are cancellations; GBP. */
  public static final OrderFormat ONLINE_RETAIL_II = new OrderFormat("UCI Online Retail II", OrderColumns.ONLINE_RETAIL_II,
      Cancellations.C_INVOICES, OnlineRetailOrders.CURRENCY, OrderTimes.DEFAULT);

  /** UCI Online Retail (the classic file): InvoiceNo, UnitPrice, CustomerID; otherwise as Online Retail II. */
  public static final OrderFormat ONLINE_RETAIL = new OrderFormat("UCI Online Retail", OrderColumns.ONLINE_RETAIL,
      Cancellations.C_INVOICES, OnlineRetailOrders.CURRENCY, OrderTimes.DEFAULT);

  /** Which orders of a file are cancellations (status CANCELLED: the profile takes their amount away). */
  public enum Cancellations {
    /**
     * The UCI convention: an invoice whose number starts with "C" is a cancellation. An invoice
     * whose total has the other sign (a normal one below zero, a "C" one above) is a book-keeping
     * adjustment, skipped as {@link OnlineRetailOrders.SkipReason#WRONG_SIGN}.
     */
    C_INVOICES("\"C\" invoices are cancellations"),
    /**
     * For files without such a convention: an order whose total is below zero (returned or
     * cancelled lines outweigh the rest) is a cancellation of that much. Nothing is skipped for
     * its sign; a total of 0 is a placed order with amount 0.
     */
    NEGATIVE_TOTAL("orders with a negative total are cancellations");

    private final String description;

    Cancellations(String description) {
      this.description = description;
    }

    boolean cancelled(String orderId, BigDecimal total) {
      return this == C_INVOICES ? orderId.startsWith("C") : total.signum() < 0;
    }

    /** True when the total contradicts the kind of order: not an order but an adjustment. */
    boolean wrongSign(String orderId, BigDecimal total) {
      return cancelled(orderId, total) ? total.signum() > 0 : total.signum() < 0;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  /** @throws IllegalArgumentException when the currency is not an ISO 4217 code */
  public OrderFormat {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(cancellations, "cancellations");
    Objects.requireNonNull(times, "times");
    checkCurrency(currency);
  }

  /**
   * The code, checked.
   *
   * @throws IllegalArgumentException when it is not an ISO 4217 currency code (upper case, as the events carry it)
   */
  public static String checkCurrency(String code) {
    try {
      Currency.getInstance(code);
      return code;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("'" + code + "' is not an ISO 4217 currency code (e.g. GBP, EUR, USD)");
    }
  }

  /**
   * The UCI layout of a header: Online Retail II when it has {@code Invoice}, {@code Price} and
   * {@code Customer ID}, Online Retail when it has {@code InvoiceNo}, {@code UnitPrice} and
   * {@code CustomerID}. The other columns it needs ({@code Quantity}, {@code InvoiceDate}) are
   * checked when the file is read.
   *
   * @throws IllegalArgumentException when it is neither, listing the header's columns
   */
  public static OrderFormat detect(List<String> header) {
    for (OrderFormat format : List.of(ONLINE_RETAIL_II, ONLINE_RETAIL)) {
      OrderColumns c = format.columns();
      if (header.containsAll(List.of(c.order(), c.price(), c.customer()))) return format;
    }
    throw new IllegalArgumentException("not a UCI Online Retail file (Online Retail II has the columns \"Invoice\","
        + " \"Price\", \"Customer ID\"; Online Retail has \"InvoiceNo\", \"UnitPrice\", \"CustomerID\"); its columns are "
        + OrderColumns.quoted(header) + ": name the columns to use instead");
  }

  /** Any file: the given columns, negative totals as cancellations, the given currency and times. */
  public static OrderFormat mapped(OrderColumns columns, String currency, OrderTimes times) {
    return new OrderFormat("columns " + columns, columns, Cancellations.NEGATIVE_TOTAL, currency, times);
  }

  public OrderFormat withCurrency(String code) {
    return new OrderFormat(layout, columns, cancellations, code, times);
  }

  public OrderFormat withTimes(OrderTimes format) {
    return new OrderFormat(layout, columns, cancellations, currency, format);
  }

  /**
   * @throws IllegalArgumentException naming every column missing from the header and listing the
   *     header's columns
   */
  public void requireColumns(List<String> header) {
    columns.requireIn(header);
  }

  /** One line for reports: the layout, the currency, the cancellation rule and the times. */
  public String describe() {
    return layout + "; amounts in " + currency + "; " + cancellations + "; times " + times;
  }
}
