package io.segmenter.cli;

import static io.segmenter.cli.ClvCommand.estimate;

import io.segmenter.cli.ClvCommand.TimeUnit;
import io.segmenter.clv.BgNbd;
import io.segmenter.clv.BgNbdFit;
import io.segmenter.clv.BgNbdParameters;
import io.segmenter.clv.ClvParametersFile;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.GammaGamma;
import io.segmenter.clv.GammaGammaFit;
import io.segmenter.clv.GammaGammaParameters;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.profile.TransactionSummaries;
import io.segmenter.profile.TransactionSummaries.Transaction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clv fit}: BG/NBD and Gamma-Gamma by maximum likelihood on an analyst's file. */
@Command(name = "fit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Fit BG/NBD (and Gamma-Gamma when the data has spend) to a file by maximum likelihood.",
        "FILE, text or gzipped text, is one of:",
        "  a per-customer summary CSV: ID,frequency,recency,T[,monetary_value]",
        "    or ID,x,t_x,T,zbar (t_x and T in --time-unit);",
        "  a transaction CSV: customer_id,date,amount;",
        "  a CDNOW-style log: master_id sample_id YYYYMMDD cds dollars, no header."},
    footer = {"", ClvCommand.MEANINGS, ClvCommand.R_ALPHA_HELP, ClvCommand.A_B_HELP, ClvCommand.P_Q_GAMMA_HELP,
        "", "Example:",
        "  java -jar tools/target/segmenter-tools.jar clv fit \\",
        "    ../shared/data/cdnow/CDNOW_sample.txt \\",
        "    --calibration-end 1997-09-30 --holdout-end 1998-06-30 --currency USD"})
final class ClvFitCommand implements Callable<Integer> {
  private static final long DAY_MS = 86_400_000L;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The data (see above).")
  Path file;

  @Option(names = "--calibration-end", paramLabel = "DATE",
      description = "Transaction logs: transactions up to this day (included) are fitted; T is measured to its start."
          + " At most the last day of the data. Default: the day of the last transaction.")
  String calibrationEnd;

  @Option(names = "--holdout-end", paramLabel = "DATE",
      description = "Transaction logs: compare the predicted repeat purchases of (calibration end, DATE] with the actual"
          + " ones. After --calibration-end, at most the last day of the data.")
  String holdoutEnd;

  @Option(names = "--time-unit", paramLabel = "UNIT", defaultValue = "weeks",
      description = "The unit of t_x and T in a summary file, or of the summaries made from a transaction log; alpha"
          + " and the JSON's timeUnit are in it: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  TimeUnit unit;

  @Option(names = "--currency", paramLabel = "CODE",
      description = "The currency of the data's amounts, shown with money (default ${DEFAULT-VALUE}, as segmenter.currency).")
  String currency = ClvCommand.serviceDefault(SegmenterConfig.CURRENCY);

  @Option(names = "--json", description = "Print the parameters as JSON, the file segmenter.clv.parameters.file reads:"
      + " timeUnit (the unit of alpha), r, alpha, a, b and, with spend, p, q, gamma (meanings below).")
  boolean json;

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Override
  public Integer call() throws Exception {
    ClvInput.Content content;
    try {
      content = ClvInput.read(file);
    } catch (IllegalArgumentException e) {
      throw refused(e.getMessage());
    }
    long unitMs = Math.round(unit.lengthInDays * DAY_MS);
    List<CustomerSummary> summaries;
    Long calibration = null;
    Long holdout = null;
    if (content.isTransactions()) {
      if (content.transactions().isEmpty()) throw refused(file + " has no transactions");
      long firstDay = content.transactions().stream().mapToLong(t -> day(t.occurredAtMs())).min().getAsLong();
      long lastDay = content.transactions().stream().mapToLong(t -> day(t.occurredAtMs())).max().getAsLong();
      calibration = calibrationEnd != null ? date("--calibration-end", calibrationEnd) : lastDay;
      holdout = holdoutEnd != null ? date("--holdout-end", holdoutEnd) : null;
      checkPeriods(firstDay, lastDay, calibration, holdout);
      summaries = new ArrayList<>(TransactionSummaries.summarise(content.transactions(), calibration, unitMs).values());
    } else {
      if (calibrationEnd != null || holdoutEnd != null) {
        throw refused("--calibration-end and --holdout-end need a transaction log; " + file + " is a per-customer summary");
      }
      summaries = content.summaries();
    }
    if (summaries.isEmpty()) throw refused("no customer to fit in " + file);
    boolean unitAssumed = !content.isTransactions() && !spec.commandLine().getParseResult().hasMatchedOption("--time-unit");
    if (json && unitAssumed) {
      // The JSON's timeUnit decides every prediction of the service: say what it was taken to be.
      spec.commandLine().getErr().println("segmenter clv fit: " + file + ": t_x and T taken as " + unit
          + " (timeUnit in the JSON); give --time-unit days if they are days");
    }
    long start = System.nanoTime();
    BgNbdFit frequency = BgNbd.fit(summaries);
    boolean spendKnown = summaries.stream().anyMatch(s -> s.x() > 0 && s.meanRepeatSpend() > 0);
    GammaGammaFit spend = spendKnown ? GammaGamma.fit(summaries) : null;
    double seconds = (System.nanoTime() - start) / 1e9;
    if (json) {
      out().println(ClvParametersFile.json(frequency.parameters(), spend == null ? null : spend.parameters(), unit.name()));
      out().flush();
      return 0;
    }
    printFit(frequency, spend, unitAssumed);
    out().printf(Locale.ROOT, "fitted in %.2f s%n", seconds);
    if (holdout != null) holdout(content.transactions(), calibration, holdout, unitMs, BgNbd.of(frequency.parameters()));
    out().flush();
    return 0;
  }

  /**
   * Dates that would make the fit or the hold-out count days the file does not cover as days without
   * purchases are refused before the fit, with the data's own bounds.
   */
  private void checkPeriods(long firstDay, long lastDay, long calibration, Long holdout) {
    String first = LocalDate.ofEpochDay(firstDay / DAY_MS).toString();
    String last = LocalDate.ofEpochDay(lastDay / DAY_MS).toString();
    if (calibration < firstDay) {
      throw refused("--calibration-end " + calibrationEnd + " is before the first transaction (" + first + "): no customer to fit");
    }
    if (calibration > lastDay) {
      throw refused("--calibration-end " + calibrationEnd + " is after the last transaction (" + last + "): the days between"
          + " would count as days without purchases and bias the fit; give a date up to " + last + " or leave it out");
    }
    if (holdout == null) return;
    if (holdout <= calibration) {
      String end = calibrationEnd != null ? calibrationEnd : last + ", the last transaction day; give an earlier --calibration-end";
      throw refused("--holdout-end " + holdoutEnd + " must be after the calibration end (" + end + ")");
    }
    if (holdout > lastDay) {
      throw refused("--holdout-end " + holdoutEnd + " is after the last transaction (" + last + "): purchases the file does not"
          + " hold would count as not made; give a date up to " + last
          + (calibrationEnd == null ? " and an earlier --calibration-end (by default the calibration ends on " + last + ")" : ""));
    }
  }

  private void printFit(BgNbdFit frequency, GammaGammaFit spend, boolean unitAssumed) {
    BgNbdParameters p = frequency.parameters();
    out().printf(Locale.ROOT, "BG/NBD   (%d customers, time unit: %s%s)%n", frequency.customers(), unit,
        unitAssumed ? ", assumed for the file's t_x and T: --time-unit days if they are days" : "");
    out().printf(Locale.ROOT, "  r = %s  alpha = %s  a = %s  b = %s%n", estimate(p.r()), estimate(p.alpha()), estimate(p.a()),
        estimate(p.b()));
    out().printf(Locale.ROOT, "    mean purchase rate while alive r/alpha = %s per %s%n", estimate(p.r() / p.alpha()), singular(unit));
    double dropOut = p.a() / (p.a() + p.b());
    out().printf(Locale.ROOT, "    mean drop-out chance after a repeat purchase a/(a+b) = %s%s%n", estimate(dropOut),
        dropOut < 0.001 ? " (the data shows almost no drop-out: P(alive) stays near 1 for everyone)" : "");
    out().printf(Locale.ROOT, "  log-likelihood = %.2f  (%d evaluations)%n", frequency.logLikelihood(), frequency.evaluations());
    if (spend == null) {
      out().println("Gamma-Gamma: not fitted (no spend in the data)");
      return;
    }
    GammaGammaParameters g = spend.parameters();
    out().printf(Locale.ROOT, "Gamma-Gamma (%d repeat customers with spend)%n", spend.customers());
    out().printf(Locale.ROOT, "  p = %s  q = %s  gamma = %s%n", estimate(g.p()), estimate(g.q()), estimate(g.gamma()));
    double mean = GammaGamma.of(g).populationMeanSpend();
    out().printf(Locale.ROOT, "    mean spend per purchase p*gamma/(q-1) = %s%n",
        Double.isFinite(mean) ? ClvCommand.money(mean, currency) : "infinite (q <= 1): no usable spend model");
    ClvCommand.defaultCurrencyNote(spec, currency).ifPresent(out()::println);
    out().printf(Locale.ROOT, "  log-likelihood = %.2f%n", spend.logLikelihood());
  }

  private static String singular(TimeUnit unit) {
    return unit == TimeUnit.days ? "day" : "week";
  }

  /**
   * Predicted against actual repeat purchases (purchase days) of the calibration customers in the
   * hold-out period: the model's usual out-of-sample check (the paper's figure 3 and table 2).
   */
  private void holdout(List<Transaction> transactions, long calibration, long end, long unitMs, BgNbd model) {
    Map<String, CustomerSummary> before = TransactionSummaries.summarise(transactions, calibration, unitMs);
    Map<String, CustomerSummary> after = TransactionSummaries.summarise(transactions, end, unitMs);
    double length = (end - calibration) / (double) unitMs;
    double predicted = 0;
    long actual = 0;
    for (Map.Entry<String, CustomerSummary> e : before.entrySet()) {
      CustomerSummary s = e.getValue();
      predicted += model.expectedPurchases(s.x(), s.tx(), s.T(), length);
      actual += after.get(e.getKey()).x() - s.x();
    }
    String difference = actual == 0 ? "no actual repeat purchase to compare with"
        : String.format(Locale.ROOT, "%+.1f%%", 100 * (predicted - actual) / actual);
    out().printf(Locale.ROOT, "Hold-out %.1f %s after the calibration end, %d customers: repeat purchases predicted %.1f,"
        + " actual %d (%s)%n", length, unit.name(), before.size(), predicted, actual, difference);
  }

  private static long day(long ms) {
    return Math.floorDiv(ms, DAY_MS) * DAY_MS;
  }

  private long date(String option, String s) {
    try {
      return day(ClvInput.time(s));
    } catch (IllegalArgumentException e) {
      throw refused(option + ": " + e.getMessage());
    }
  }

  private CommandLine.ParameterException refused(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
