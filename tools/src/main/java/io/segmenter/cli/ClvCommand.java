package io.segmenter.cli;

import io.segmenter.config.SegmenterConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code clv}: the predictive models for analysts, on files, without Kafka: {@code fit} estimates
 * BG/NBD (and Gamma-Gamma when there is spend) from a transaction log or a per-customer summary,
 * {@code predict} scores one customer with given parameters as the service does.
 *
 * <p>{@code clv} alone is a parameter error (exit 2), as picocli makes it for a command that is not
 * runnable, but with a message that names the subcommands, so that it is useful on its own line.
 */
@Command(name = "clv", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Customer lifetime value models (BG/NBD, Gamma-Gamma) on files, without Kafka.", "",
        ClvCommand.MEANINGS, ClvCommand.R_ALPHA_HELP, ClvCommand.A_B_HELP, ClvCommand.P_Q_GAMMA_HELP,
        ClvCommand.P_ALIVE_HELP},
    subcommands = {ClvFitCommand.class, ClvPredictCommand.class},
    footer = {"", "Example:",
        "  java -jar tools/target/segmenter-tools.jar clv fit \\",
        "    ../shared/data/cdnow/cdnow_customers_summary.csv --currency USD"})
final class ClvCommand implements Runnable {
  // The one-line meanings of what the commands print (docs/PREDICTIVE.md says the same), and the
  // same wrapped for an 80-column help.
  static final String R_ALPHA_1 = "BG/NBD: while alive, customers buy at rates that vary as";
  static final String R_ALPHA_2 = "Gamma(r, alpha); r/alpha is the mean rate per time unit.";
  static final String A_B_1 = "BG/NBD: after each repeat purchase a customer drops out with a";
  static final String A_B_2 = "chance that varies as Beta(a, b); a/(a+b) is its mean.";
  static final String P_Q_GAMMA_1 = "Gamma-Gamma: a customer's purchase values vary as Gamma(p, nu),";
  static final String P_Q_GAMMA_2 = "nu as Gamma(q, gamma) across customers; mean p*gamma/(q-1).";
  static final String P_ALIVE_1 = "the probability that the customer has not silently dropped out;";
  static final String P_ALIVE_2 = "1 with no repeat purchase (BG/NBD drops out only after one).";
  static final String R_ALPHA = R_ALPHA_1 + " " + R_ALPHA_2;
  static final String A_B = A_B_1 + " " + A_B_2;
  static final String P_Q_GAMMA = P_Q_GAMMA_1 + " " + P_Q_GAMMA_2;
  static final String P_ALIVE = P_ALIVE_1 + " " + P_ALIVE_2;

  static final String MEANINGS = "Meanings:";
  static final String INDENT = "%n               ";
  static final String R_ALPHA_HELP = "  r, alpha     " + R_ALPHA_1 + INDENT + R_ALPHA_2;
  static final String A_B_HELP = "  a, b         " + A_B_1 + INDENT + A_B_2;
  static final String P_Q_GAMMA_HELP = "  p, q, gamma  " + P_Q_GAMMA_1 + INDENT + P_Q_GAMMA_2;
  static final String P_ALIVE_HELP = "  P(alive)     " + P_ALIVE_1 + INDENT + P_ALIVE_2;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Missing required subcommand: fit (estimate the parameters from a file) or predict (score one customer)");
  }

  /** Days per unit: the unit of the summaries, of alpha and of every time the commands take. */
  enum TimeUnit {
    days(1), weeks(7);

    final double lengthInDays;

    TimeUnit(double lengthInDays) {
      this.lengthInDays = lengthInDays;
    }
  }

  /** The service's default of a setting, so that the commands' defaults are the service's. */
  static String serviceDefault(String key) {
    return String.valueOf(SegmenterConfig.CONFIG.defaultValues().get(key));
  }

  /**
   * Said under money printed in the default currency, which the data's amounts need not be in (CDNOW's
   * are dollars): the user learns the label is a default, not read from the file. Empty when
   * --currency was given.
   */
  static java.util.Optional<String> defaultCurrencyNote(CommandLine.Model.CommandSpec spec, String currency) {
    if (spec.commandLine().getParseResult().hasMatchedOption("--currency")) return java.util.Optional.empty();
    return java.util.Optional.of("  (" + currency + " is segmenter.currency's default, not read from the data:"
        + " give --currency for the data's own)");
  }

  /** Money as the service shows it: rounded to cents, with its currency. */
  static String money(double amount, String currency) {
    return String.format(java.util.Locale.ROOT, "%.2f %s", amount, currency);
  }

  /**
   * A fitted parameter for reading: four decimals, or three significant digits below 0.01, where four
   * decimals would print a positive parameter as 0.0000 (a fit at the no-drop-out limit has a ~ 1e-10;
   * below 0.0001 in powers of ten, which a reader takes in at once).
   */
  static String estimate(double v) {
    double size = Math.abs(v);
    if (size >= 0.01 || v == 0 || !Double.isFinite(v)) return String.format(java.util.Locale.ROOT, "%.4f", v);
    if (size >= 0.0001) return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).toPlainString();
    return String.format(java.util.Locale.ROOT, "%.2e", v);
  }

  /** A time for reading: at most two decimals, no trailing zeros (39, 52.14, 30.5). */
  static String time(double v) {
    return java.math.BigDecimal.valueOf(v).setScale(2, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }
}
