package io.segmenter.cli;

import io.segmenter.clv.BgNbd;
import io.segmenter.clv.BgNbdFit;
import io.segmenter.clv.BgNbdParameters;
import io.segmenter.clv.ClvParametersFile;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.GammaGamma;
import io.segmenter.clv.GammaGammaFit;
import io.segmenter.clv.GammaGammaParameters;
import io.segmenter.profile.TransactionSummaries;
import io.segmenter.profile.TransactionSummaries.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clv}: the predictive models for analysts, on files, without Kafka: {@code fit} estimates
 * BG/NBD (and Gamma-Gamma when there is spend) from a transaction log or a per-customer summary,
 * {@code predict} scores one customer with given parameters.
 */
@Command(name = "clv", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Customer lifetime value models (BG/NBD, Gamma-Gamma) on files.",
    subcommands = {ClvCommand.Fit.class, ClvCommand.Predict.class})
final class ClvCommand implements Runnable {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Days per unit: the unit of the summaries made from a transaction log. */
  enum TimeUnit {
    days(1), weeks(7);

    final double lengthInDays;

    TimeUnit(double lengthInDays) {
      this.lengthInDays = lengthInDays;
    }
  }

  @Command(name = "fit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = {"Fit BG/NBD (and Gamma-Gamma when spend is known) by maximum likelihood.",
          "FILE: a summary CSV (ID,frequency,recency,T[,monetary_value] or ID,x,t_x,T,zbar), a transaction CSV",
          "(customer_id,date,amount) or a CDNOW-style log (master_id sample_id YYYYMMDD cds dollars)."})
  static final class Fit implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    private java.io.PrintWriter out() {
      return spec.commandLine().getOut();
    }

    @Parameters(paramLabel = "FILE", description = "The data.")
    Path file;

    @Option(names = "--calibration-end", paramLabel = "DATE",
        description = "Transaction logs: transactions up to this day (included) are fitted; T is measured to its start."
            + " Default: the day of the last transaction.")
    String calibrationEnd;

    @Option(names = "--holdout-end", paramLabel = "DATE",
        description = "Transaction logs: compare the predicted repeat purchases of (calibration end, DATE] with the actual ones.")
    String holdoutEnd;

    @Option(names = "--time-unit", paramLabel = "UNIT", defaultValue = "weeks",
        description = "Time unit of summaries made from a transaction log: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    TimeUnit unit;

    @Option(names = "--json", description = "Print the parameters as JSON (the form of segmenter.clv.parameters.file).")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ClvInput.Content content;
      try {
        content = ClvInput.read(file);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      long unitMs = Math.round(unit.lengthInDays * 86_400_000d);
      List<CustomerSummary> summaries;
      Long calibration = null;
      if (content.isTransactions()) {
        if (content.transactions().isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), file + " has no transactions");
        calibration = calibrationEnd != null ? date(calibrationEnd)
            : content.transactions().stream().mapToLong(t -> Math.floorDiv(t.occurredAtMs(), 86_400_000L) * 86_400_000L).max().getAsLong();
        summaries = new ArrayList<>(TransactionSummaries.summarise(content.transactions(), calibration, unitMs).values());
      } else {
        if (calibrationEnd != null || holdoutEnd != null) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--calibration-end and --holdout-end need a transaction log");
        }
        summaries = content.summaries();
      }
      if (summaries.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "no customer to fit");
      long start = System.nanoTime();
      BgNbdFit frequency = BgNbd.fit(summaries);
      boolean spendKnown = summaries.stream().anyMatch(s -> s.x() > 0 && s.meanRepeatSpend() > 0);
      GammaGammaFit spend = spendKnown ? GammaGamma.fit(summaries) : null;
      double seconds = (System.nanoTime() - start) / 1e9;
      String timeUnit = content.isTransactions() ? unit.name() : "file's unit";
      if (json) {
        out().println(ClvParametersFile.json(frequency.parameters(), spend == null ? null : spend.parameters(),
            content.isTransactions() ? unit.name() : "weeks"));
        out().flush();
        return 0;
      }
      BgNbdParameters p = frequency.parameters();
      out().printf("BG/NBD   (%d customers, time unit: %s)%n", frequency.customers(), timeUnit);
      out().printf("  r = %.4f  alpha = %.4f  a = %.4f  b = %.4f%n", p.r(), p.alpha(), p.a(), p.b());
      out().printf("  log-likelihood = %.2f  (%d evaluations)%n", frequency.logLikelihood(), frequency.evaluations());
      if (spend != null) {
        GammaGammaParameters g = spend.parameters();
        out().printf("Gamma-Gamma (%d repeat customers with spend)%n", spend.customers());
        out().printf("  p = %.4f  q = %.4f  gamma = %.4f%n", g.p(), g.q(), g.gamma());
        out().printf("  log-likelihood = %.2f  mean spend per purchase = %.2f%n", spend.logLikelihood(),
            GammaGamma.of(g).populationMeanSpend());
      } else {
        out().println("Gamma-Gamma: not fitted (no spend in the data)");
      }
      out().printf("fitted in %.2f s%n", seconds);
      if (holdoutEnd != null) holdout(content.transactions(), calibration, date(holdoutEnd), unitMs, BgNbd.of(p));
      out().flush();
      return 0;
    }

    /**
     * Predicted against actual repeat purchases (purchase days) of the calibration customers in the
     * hold-out period: the model's usual out-of-sample check (the paper's figure 3 and table 2).
     */
    private void holdout(List<Transaction> transactions, long calibration, long end, long unitMs, BgNbd model) {
      if (end <= calibration) throw new CommandLine.ParameterException(spec.commandLine(), "--holdout-end must be after the calibration end");
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
      out().printf("Hold-out %.1f %s after the calibration end, %d customers: repeat purchases predicted %.1f,"
          + " actual %d (%+.1f%%)%n", length, unit.name(), before.size(), predicted, actual,
          100 * (predicted - actual) / Math.max(1, actual));
    }

    private long date(String s) {
      try {
        return Math.floorDiv(ClvInput.time(s), 86_400_000L) * 86_400_000L;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  @Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = {"Score one customer: expected purchases over a horizon and P(alive); with the spend",
          "parameters and the customer's mean spend, the expected spend per purchase and the CLV.",
          "All times in the unit the parameters were fitted in."})
  static final class Predict implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    private java.io.PrintWriter out() {
      return spec.commandLine().getOut();
    }

    @Option(names = "--r", required = true) double r;
    @Option(names = "--alpha", required = true) double alpha;
    @Option(names = "--a", required = true) double a;
    @Option(names = "--b", required = true) double b;
    @Option(names = "--x", required = true, description = "Repeat purchases.") long x;
    @Option(names = "--tx", required = true, description = "Time of the last purchase since the first.") double tx;
    @Option(names = "--T", required = true, description = "Age: time since the first purchase.") double age;
    @Option(names = "--t", required = true, paramLabel = "HORIZON", description = "Horizon.") double horizon;
    @Option(names = "--p") Double p;
    @Option(names = "--q") Double q;
    @Option(names = "--gamma") Double gamma;
    @Option(names = "--spend", paramLabel = "MEAN_SPEND", description = "Mean value of the repeat purchases.") Double spend;
    @Option(names = "--steps", defaultValue = "1", description = "Discounting steps over the horizon (default 1).") int steps;
    @Option(names = "--discount", defaultValue = "0", description = "Discount rate per step (default 0).") double discount;

    @Override
    public Integer call() {
      CustomerSummary s;
      BgNbd model;
      try {
        model = BgNbd.of(new BgNbdParameters(r, alpha, a, b));
        s = new CustomerSummary(x, tx, age, spend == null ? 0 : spend);
        if (!(horizon > 0)) throw new IllegalArgumentException("--t must be > 0: " + horizon);
        if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1: " + steps);
        if (!(discount >= 0)) throw new IllegalArgumentException("--discount must be >= 0: " + discount);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      int spendOptions = (p != null ? 1 : 0) + (q != null ? 1 : 0) + (gamma != null ? 1 : 0) + (spend != null ? 1 : 0);
      if (spendOptions != 0 && spendOptions != 4) {
        throw new CommandLine.ParameterException(spec.commandLine(), "for the CLV give all of --p, --q, --gamma and --spend");
      }
      double expected = model.expectedPurchases(s.x(), s.tx(), s.T(), horizon);
      out().printf("expected purchases in %s: %.6f%n", fmt(horizon), expected);
      out().printf("P(alive): %.6f%n", model.probabilityAlive(s.x(), s.tx(), s.T()));
      if (spendOptions == 4) {
        GammaGamma g;
        try {
          g = GammaGamma.of(new GammaGammaParameters(p, q, gamma));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        double perPurchase = g.conditionalExpectedSpend(s.x(), s.meanRepeatSpend());
        double value = 0;
        double previous = 0;
        for (int i = 1; i <= steps; i++) {
          double cumulative = model.expectedPurchases(s.x(), s.tx(), s.T(), horizon * i / steps);
          value += (cumulative - previous) * perPurchase / Math.pow(1 + discount, i);
          previous = cumulative;
        }
        out().printf("expected spend per purchase: %.4f%n", perPurchase);
        out().printf("CLV over %s: %.4f%n", fmt(horizon), value);
      }
      out().flush();
      return 0;
    }

    private static String fmt(double v) {
      return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
  }
}
