package io.segmenter.cli;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.OrderEvent;
import io.segmenter.replay.OnlineRetailOrders;
import io.segmenter.replay.OnlineRetailOrders.SkipReason;
import io.segmenter.replay.OnlineRetailOrders.Stats;
import io.segmenter.replay.OrderColumns;
import io.segmenter.replay.OrderFormat;
import io.segmenter.replay.OrderTimes;
import io.segmenter.service.Reachability;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code replay FILE}: the invoices of a UCI Online Retail (II) file, or the orders of any order CSV
 * whose columns are named with {@code --columns}, as OrderEvents on the orders topic (one per
 * invoice, keyed by customer id, in time order), with a report of what was read, produced and skipped
 * and why.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
    usageHelpAutoWidth = true, footerHeading = UsageExamples.HEADING,
    footer = {"  " + UsageExamples.TOOLS_JAR + " replay \\",
        "      ../shared/data/online-retail-ii/ \\",
        "      " + UsageExamples.LOCAL_KAFKA + " \\",
        "      " + UsageExamples.LOCAL_REGISTRY + " \\",
        "      --create-topics",
        "  " + UsageExamples.TOOLS_JAR + " replay orders.csv \\",
        "      --config segmenter.properties --currency EUR \\",
        "      --columns 'customer=Client,order=Order No,time=Date,amount=Total' \\",
        "      --time-format 'dd/MM/uuuu HH:mm'"},
    description = {"Produce the orders of a CSV file (UCI Online Retail, or any layout) to the orders topic.",
        "The invoices become OrderEvents on segmenter.topic.orders: one per invoice, keyed by customer id, in time order. Prints rows read, "
        + "orders produced, customers, and rows skipped by reason.",
        "The layout is told by the header: UCI Online Retail II (Invoice, Price, Customer ID) or UCI Online Retail "
        + "(InvoiceNo, UnitPrice, CustomerID), both with Quantity and InvoiceDate; \"C\" invoices are cancellations "
        + "and the amounts are in GBP (run segmenter with segmenter.currency=GBP). Any other order CSV: name its "
        + "columns with --columns and its currency with --currency."})
final class ReplayCommand implements Callable<Integer> {
  /**
   * Exit code for a file that is missing, unreadable, empty, not CSV, without orders or whose header
   * does not fit: what the user can fix.
   */
  static final int BAD_FILE = 2;

  @Spec
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "FILE",
      description = "The data: a .csv or .csv.gz file (gzip told by content), or a directory holding one such file.")
  Path file;

  @Option(names = "--rate", paramLabel = "ORDERS_PER_SECOND", defaultValue = "0",
      description = "Orders per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--create-topics", description = "Create segmenter's topics first if they are missing.")
  boolean createTopics;

  @Option(names = "--columns", split = ",", paramLabel = "KEY=COLUMN",
      description = {"Read any order CSV: which column is which, instead of the UCI layouts. Keys: customer, order, "
          + "time, and amount (the line's amount) or quantity and price (amount = quantity * price). Column names "
          + "are matched exactly, e.g. --columns 'customer=Client,order=Order No,time=Date,amount=Total'. The lines of "
          + "one order become one OrderEvent; an order whose total is negative is a cancellation. Needs --currency."})
  List<String> columns;

  @Option(names = "--time-format", paramLabel = "PATTERN",
      description = {"How the times are written, as a java.time pattern, e.g. 'dd/MM/uuuu HH:mm' or 'M/d/yyyy H:mm'. "
          + "Default: UCI (2009-12-01 07:45) or ISO-8601 (2009-12-01T07:45:00Z, 2009-12-01). A time without a zone is "
          + "read as UTC."})
  String timeFormat;

  @Option(names = "--currency", paramLabel = "CODE",
      description = "ISO 4217 code of the file's amounts: required with --columns; the UCI files default to GBP.")
  String currency;

  /** Environment of the process; a field so that tests can give their own. */
  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be a number >= 0");
    }
    // The options, then the file's header, then the cluster: each mistake is said before anything slow.
    OrderColumns mapping = columns == null ? null : option("--columns", () -> OrderColumns.parse(columns));
    OrderTimes times = timeFormat == null ? OrderTimes.DEFAULT : option("--time-format", () -> OrderTimes.pattern(timeFormat));
    if (currency != null) option("--currency", () -> OrderFormat.checkCurrency(currency));
    if (mapping != null && currency == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--columns needs --currency CODE, the ISO 4217 code of"
          + " the file's amounts (only the UCI layouts default to " + OnlineRetailOrders.CURRENCY + ")");
    }
    // Everything local before anything connects: the file (there, readable, a header that fits, rows
    // that parse, at least one order), then the settings; only then the cluster, so that a bad file
    // is said at once whatever state the cluster is in.
    Path data;
    OrderFormat format;
    try {
      data = dataFile(file);
    } catch (IllegalArgumentException e) {
      err.println("segmenter replay: " + e.getMessage());
      return BAD_FILE;
    }
    try {
      List<String> header = OnlineRetailOrders.header(data);
      if (header.isEmpty()) throw new IllegalArgumentException("the file is empty (no header line)");
      format = format(header, mapping, currency, times);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("segmenter replay: " + data + ": " + fileProblem(e));
      return BAD_FILE;
    }
    Map<String, Object> settings = cluster.settings(environment);
    SegmenterConfig config = new SegmenterConfig(settings);
    Map<String, Object> adminConfig = ClientSettings.adminWithBootstrap(settings);
    Reachability.registrySettings(config);

    long readStart = System.nanoTime();
    OnlineRetailOrders.Result result;
    try {
      result = OnlineRetailOrders.read(data, format);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("segmenter replay: " + data + ": " + fileProblem(e));
      return BAD_FILE;
    }
    double readSeconds = (System.nanoTime() - readStart) / 1e9;
    if (result.orders().isEmpty()) {
      err.println("segmenter replay: " + data + ": no orders to replay: " + noOrders(result.stats()));
      return BAD_FILE;
    }

    Reachability.check(config, adminConfig);
    try {
      Topics.prepare(config, settings, createTopics, List.of(SegmenterConfig.TOPIC_ORDERS), out);
    } catch (Topics.MissingTopicsException e) {
      err.println("segmenter replay: " + e.getMessage());
      return ErrorReporter.FAILED;
    }

    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        done.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "segmenter-replay-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    long produced;
    double sendSeconds;
    String topic;
    try (EventSender sender = new EventSender(config, settings)) {
      topic = sender.ordersTopic();
      long sendStart = System.nanoTime();
      Pacer pacer = new Pacer(rate);
      for (OrderEvent order : result.orders()) {
        if (stop.getCount() == 0) break;
        pacer.await();
        sender.send(order.getCustomerId(), order);
      }
      sender.flush();
      produced = sender.ackedOrders();
      sendSeconds = (System.nanoTime() - sendStart) / 1e9;
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Ctrl-C: the hook waits for the report.
      }
    }
    for (String line : report(data, format, result.stats(), readSeconds, produced, topic, sendSeconds)) out.println(line);
    String segmenterCurrency =
        config.originals().containsKey(SegmenterConfig.CURRENCY) ? config.getString(SegmenterConfig.CURRENCY) : null;
    if (!format.currency().equals(segmenterCurrency)) {
      out.println("note: the orders are in " + format.currency() + "; segmenter sends orders in another currency than"
          + " segmenter.currency to its dead-letter topic, so run it with segmenter.currency=" + format.currency());
    }
    tooOldNote(result.stats(), java.time.Instant.ofEpochMilli(config.minEventTimeMs())).ifPresent(out::println);
    out.flush();
    return produced == result.orders().size() ? 0 : ErrorReporter.FAILED;
  }

  /**
   * What a replay of orders older than segmenter.validation.min.event.time would otherwise leave a
   * user to find in the dead-letter topic (CDNOW's orders are from 1997, the default limit 2000): the
   * orders are sent, and segmenter rejects the early ones unless it runs with an earlier limit.
   */
  static java.util.Optional<String> tooOldNote(Stats s, java.time.Instant minEventTime) {
    if (s.first() == null || !s.first().isBefore(minEventTime)) return java.util.Optional.empty();
    String which = s.last().isBefore(minEventTime) ? "all the orders are" : "some orders (the first at " + s.first() + ") are";
    return java.util.Optional.of("note: " + which + " before segmenter.validation.min.event.time (" + minEventTime
        + "): segmenter sends them to its dead-letter topic (TIMESTAMP_TOO_OLD), so run it with "
        + "segmenter.validation.min.event.time=" + s.first().truncatedTo(java.time.temporal.ChronoUnit.DAYS)
        + " or earlier");
  }

  /**
   * The file to read: {@code path} itself, or the one .csv/.csv.gz file in it if it is a directory.
   *
   * @throws IllegalArgumentException saying what is wrong (missing, unreadable, no or several data files)
   */
  static Path dataFile(Path path) {
    if (!Files.exists(path)) throw new IllegalArgumentException("no such file or directory: " + path);
    if (Files.isDirectory(path)) {
      List<Path> candidates = new ArrayList<>();
      try (Stream<Path> files = Files.list(path)) {
        files.filter(Files::isRegularFile)
            .filter(p -> !p.getFileName().toString().startsWith("."))
            .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.csv(\\.gz)?"))
            .sorted()
            .forEach(candidates::add);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot list " + path + ": " + e.getMessage());
      }
      if (candidates.isEmpty()) throw new IllegalArgumentException("no .csv or .csv.gz file in " + path);
      if (candidates.size() > 1) {
        throw new IllegalArgumentException("several data files in " + path + ", name one: " + candidates);
      }
      path = candidates.get(0);
    }
    if (!Files.isReadable(path)) throw new IllegalArgumentException("cannot read " + path);
    return path;
  }

  /** What is wrong with the file, in one line (an I/O error's message names its cause, not just "cannot read"). */
  static String fileProblem(RuntimeException e) {
    if (e instanceof UncheckedIOException io && io.getCause() != null) {
      String cause = io.getCause().getMessage();
      return "cannot be read as CSV" + (cause == null ? "" : " (" + firstLine(cause) + ")");
    }
    return firstLine(String.valueOf(e.getMessage()));
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Why a file gave no order: how many rows it had and why they were skipped. */
  static String noOrders(Stats s) {
    if (s.rows() == 0) return "the file has a header but no rows";
    StringBuilder why = new StringBuilder(String.format(Locale.ROOT, "%,d rows read, all skipped (", s.rows()));
    String sep = "";
    for (Map.Entry<SkipReason, Long> e : s.skipped().entrySet()) {
      if (e.getValue() == 0) continue;
      why.append(sep).append(String.format(Locale.ROOT, "%,d ", e.getValue())).append(e.getKey().description());
      sep = "; ";
    }
    return why.append(')').toString();
  }

  /** The value of an option, or a ParameterException (exit code 2) saying what is wrong with it. */
  private <T> T option(String name, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), name + ": " + e.getMessage());
    }
  }

  /**
   * How to read a file with this header: the mapping when there is one (needs the currency), else the
   * UCI layout the header has, with the currency and times given, if any.
   *
   * @throws IllegalArgumentException when the header is no UCI layout's and there is no mapping, or a
   *     column is missing from it; the message names the columns and lists the header's
   */
  static OrderFormat format(List<String> header, OrderColumns mapping, String currency, OrderTimes times) {
    OrderFormat format;
    if (mapping != null) {
      format = OrderFormat.mapped(mapping, currency, times);
    } else {
      try {
        format = OrderFormat.detect(header).withTimes(times);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " with --columns customer=COLUMN,order=COLUMN,time=COLUMN,"
            + "amount=COLUMN (or quantity=COLUMN,price=COLUMN) and --currency CODE", e);
      }
      if (currency != null) format = format.withCurrency(currency);
    }
    format.requireColumns(header);
    return format;
  }

  /** The report lines: a pure function of what was read and sent. */
  static List<String> report(Path data, OrderFormat format, Stats s, double readSeconds, long produced, String topic,
      double sendSeconds) {
    List<String> lines = new ArrayList<>();
    lines.add("replay: " + data);
    lines.add("  read as                  " + format.describe());
    lines.add(String.format(Locale.ROOT, "  rows read                %,12d   (in %.1f s)", s.rows(), readSeconds));
    lines.add(String.format(Locale.ROOT, "  rows in orders           %,12d   (%,d on cancellation invoices, %,d at price 0: kept)",
        s.rowsInOrders(), s.cancellationRows(), s.zeroPriceRows()));
    lines.add(String.format(Locale.ROOT, "  rows skipped             %,12d   by reason:", s.rowsSkipped()));
    for (Map.Entry<SkipReason, Long> e : s.skipped().entrySet()) {
      lines.add(String.format(Locale.ROOT, "%39s   %s", String.format(Locale.ROOT, "%,d", e.getValue()),
          e.getKey().description()));
    }
    lines.add(String.format(Locale.ROOT, "  orders                   %,12d   (%,d placed, %,d cancellations, %,d with amount 0)",
        s.invoices(), s.invoices() - s.cancellations(), s.cancellations(), s.zeroAmountInvoices()));
    lines.add(String.format(Locale.ROOT, "  customers                %,12d", s.customers()));
    if (s.first() != null) lines.add("  order times              " + s.first() + " .. " + s.last());
    lines.add(String.format(Locale.ROOT, "  orders produced          %,12d   to %s in %.1f s (%s orders/s)", produced, topic,
        sendSeconds, DemoView.rate(produced / Math.max(sendSeconds, 1e-3))));
    if (produced < s.invoices()) {
      lines.add(String.format(Locale.ROOT, "  stopped early: %,d orders not produced", s.invoices() - produced));
    }
    return lines;
  }
}
