package io.segmenter.cli;

import io.segmenter.cli.ClvCommand.TimeUnit;
import io.segmenter.clv.BgNbdParameters;
import io.segmenter.clv.ClvModel;
import io.segmenter.clv.ClvSettings;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.GammaGammaParameters;
import io.segmenter.clv.Prediction;
import io.segmenter.clv.Predictor;
import io.segmenter.config.SegmenterConfig;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clv predict}: one customer's scores, computed as the service computes them: the inputs are
 * converted to days and scored by core's {@link Predictor} with the service's CLV settings (horizon
 * in 30-day steps, monthly discount), so that its figures are those of {@code GET /customers/{id}}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Score one customer as the service does: P(alive), expected purchases and the CLV.",
        "Times (--tx, --T, --t) and alpha are in --time-unit, the unit of the parameters.",
        "The CLV (with --p, --q, --gamma and --spend) sums the expected purchases of",
        "each 30-day step times the expected spend per purchase, discounted by",
        "--monthly-discount-rate per step: the service's computation and defaults."},
    footer = {"", ClvCommand.MEANINGS, ClvCommand.R_ALPHA_HELP, ClvCommand.A_B_HELP, ClvCommand.P_Q_GAMMA_HELP,
        ClvCommand.P_ALIVE_HELP,
        "", "The example scores a customer with 2 repeat purchases under CDNOW's parameters from clv fit.",
        "Example:",
        "  java -jar tools/target/segmenter-tools.jar clv predict \\",
        "    --r 0.2426 --alpha 4.4135 --a 0.7929 --b 2.4258 --x 2 --tx 30.43 --T 38.86 \\",
        "    --p 6.2496 --q 3.7442 --gamma 15.4435 --spend 22.35 --currency USD"})
final class ClvPredictCommand implements Callable<Integer> {
  /** Printed under a one-time buyer's P(alive) of 1, which surprises whoever has not read the model. */
  static final String ONE_TIME_BUYER = "  note: x = 0. BG/NBD lets a customer drop out only after a repeat purchase, so a"
      + " one-time buyer's P(alive) is 1; instead, the longer T, the fewer purchases it expects (docs/PREDICTIVE.md).";

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--r", required = true, description = "BG/NBD r: shape of the purchase rates' Gamma(r, alpha).")
  double r;
  @Option(names = "--alpha", required = true,
      description = "BG/NBD alpha: scale of the purchase rates, in the time unit; r/alpha is the mean rate.")
  double alpha;
  @Option(names = "--a", required = true, description = "BG/NBD a: the drop-out chances are Beta(a, b); mean a/(a+b).")
  double a;
  @Option(names = "--b", required = true, description = "BG/NBD b: see --a.")
  double b;
  @Option(names = "--x", required = true, description = "Repeat purchases: purchase days after the first one.")
  long x;
  @Option(names = "--tx", required = true, description = "t_x: time from the first purchase to the last (0 when x = 0).")
  double tx;
  @Option(names = "--T", required = true, description = "Age T: time from the first purchase to now.")
  double age;
  @Option(names = "--t", paramLabel = "HORIZON",
      description = "Horizon of the expected purchases and the CLV, in the time unit."
          + " Default: segmenter.clv.horizon.days (365 days).")
  Double horizon;
  @Option(names = "--time-unit", paramLabel = "UNIT", defaultValue = "weeks",
      description = "Unit of alpha, --tx, --T and --t: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}, as clv fit).")
  TimeUnit unit;
  @Option(names = "--p", description = "Gamma-Gamma p: a purchase's value is Gamma(p, nu) given the customer.")
  Double p;
  @Option(names = "--q", description = "Gamma-Gamma q: nu is Gamma(q, gamma) across customers; q > 1 for a finite mean.")
  Double q;
  @Option(names = "--gamma", description = "Gamma-Gamma gamma: see --q; the mean spend is p*gamma/(q-1).")
  Double gamma;
  @Option(names = "--spend", paramLabel = "MEAN_SPEND",
      description = "The customer's mean value of the repeat purchases (a day's purchases summed); 0 when x = 0.")
  Double spend;
  @Option(names = "--monthly-discount-rate", paramLabel = "RATE",
      description = "Discount rate per 30-day step of the CLV (default ${DEFAULT-VALUE}, as segmenter.clv.monthly.discount.rate).")
  double discount = Double.parseDouble(ClvCommand.serviceDefault(SegmenterConfig.CLV_MONTHLY_DISCOUNT));
  @Option(names = "--currency", paramLabel = "CODE",
      description = "The currency of --spend, shown with money (default ${DEFAULT-VALUE}, as segmenter.currency).")
  String currency = ClvCommand.serviceDefault(SegmenterConfig.CURRENCY);

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Override
  public Integer call() {
    int spendOptions = (p != null ? 1 : 0) + (q != null ? 1 : 0) + (gamma != null ? 1 : 0) + (spend != null ? 1 : 0);
    if (spendOptions != 0 && spendOptions != 4) throw refused("for the CLV give all of --p, --q, --gamma and --spend");
    double days = unit.lengthInDays;
    double horizonDays = horizon != null ? horizon * days
        : Double.parseDouble(ClvCommand.serviceDefault(SegmenterConfig.CLV_HORIZON_DAYS));
    Predictor predictor;
    CustomerSummary customer;
    try {
      if (!(horizonDays > 0) || Double.isInfinite(horizonDays)) throw new IllegalArgumentException("--t must be > 0: " + horizon);
      if (!(discount >= 0)) throw new IllegalArgumentException("--monthly-discount-rate must be >= 0: " + discount);
      // The service's units: parameters and summary in days (alpha is the only parameter with a unit).
      BgNbdParameters frequency = new BgNbdParameters(r, alpha, a, b).withTimeUnitDividedBy(days);
      GammaGammaParameters spendModel = spendOptions == 4 ? new GammaGammaParameters(p, q, gamma) : null;
      // Checked in the caller's unit first, so that a refusal quotes the values given.
      CustomerSummary given = new CustomerSummary(x, tx, age, spend == null ? 0 : spend);
      customer = new CustomerSummary(x, tx * days, age * days, given.meanRepeatSpend());
      ClvSettings d = ClvSettings.defaults();
      ClvSettings settings = new ClvSettings(horizonDays, discount, d.churnPAlive(), d.churnHysteresis(), d.stablePAlive(),
          d.highValueQuantile(), d.newDays(), d.reservoirSize(), d.minFitCustomers(), d.fitEveryVersions(),
          d.summariesPerDelta());
      predictor = new Predictor(new ClvModel(frequency, spendModel, ClvModel.Source.FILE, 0, Double.NaN, 0, -1,
          Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY), settings);
    } catch (IllegalArgumentException e) {
      throw refused(e.getMessage());
    }
    print(predictor.score(customer), horizonDays);
    out().flush();
    return 0;
  }

  private void print(Prediction s, double horizonDays) {
    String horizonText = unit == TimeUnit.days ? ClvCommand.time(horizonDays) + " days"
        : ClvCommand.time(horizonDays / unit.lengthInDays) + " weeks (" + ClvCommand.time(horizonDays) + " days)";
    out().printf(Locale.ROOT, "P(alive): %.3f  (the probability that the customer has not silently dropped out)%n", s.pAlive());
    if (x == 0) out().println(ONE_TIME_BUYER);
    out().printf(Locale.ROOT, "expected purchases in the next 30 days: %.2f%n", s.expectedPurchases30d());
    out().printf(Locale.ROOT, "expected purchases in the next 90 days: %.2f%n", s.expectedPurchases90d());
    out().printf(Locale.ROOT, "expected purchases in the next %s: %.2f%n", horizonText, s.expectedPurchasesHorizon());
    if (!s.hasSpend()) return;
    if (!Double.isFinite(s.clv())) {
      out().println("expected spend per purchase and CLV: infinite (q <= 1: the population's mean spend is infinite)");
      return;
    }
    out().printf(Locale.ROOT, "expected spend per purchase: %s  (the customer's mean spend shrunk towards the population's)%n",
        ClvCommand.money(s.expectedAverageSpend(), currency));
    out().printf(Locale.ROOT, "CLV over %s: %s  (expected purchases of each 30-day step x spend per purchase, discounted %s per step)%n",
        horizonText, ClvCommand.money(s.clv(), currency), percent(discount));
    ClvCommand.defaultCurrencyNote(spec, currency).ifPresent(out()::println);
  }

  private static String percent(double rate) {
    return ClvCommand.time(rate * 100) + "%";
  }

  private CommandLine.ParameterException refused(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
