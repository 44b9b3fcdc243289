package io.segmenter.cli;

import static io.segmenter.testing.SharedData.cdnow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.Prediction;
import io.segmenter.clv.Predictor;
import io.segmenter.config.SegmenterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 7: {@code clv predict} summed its CLV without discount in one step, so it did not
 * match the service's {@code /customers}; money had no currency and numbers six decimals; a one-time
 * buyer's P(alive) of 1 came without a word.
 */
class NewcomerClvPredictTest {
  @TempDir
  static Path dir;
  /** CDNOW's parameters as clv fit --json writes them (weeks). */
  static Path parameters;
  static JsonNode fitted;

  @BeforeAll
  static void fit() throws Exception {
    CommandOutcome o = CliHelpTest.run("clv", "fit", cdnow("cdnow_customers_summary_with_transactions.csv").toString(),
        "--time-unit", "weeks", "--json");
    assertThat(o.code()).as(o.err()).isZero();
    parameters = dir.resolve("cdnow.json");
    Files.writeString(parameters, o.out());
    fitted = new ObjectMapper().readTree(o.out());
  }

  /** clv predict with the fitted parameters and a customer in weeks, plus {@code more}. */
  private static CommandOutcome predict(long x, double tx, double age, double spend, String... more) {
    List<String> args = new ArrayList<>(List.of("clv", "predict", "--time-unit", "weeks"));
    for (String name : List.of("r", "alpha", "a", "b", "p", "q", "gamma")) {
      args.add("--" + name);
      args.add(fitted.get(name).asText());
    }
    args.addAll(List.of("--x", Long.toString(x), "--tx", Double.toString(tx), "--T", Double.toString(age),
        "--spend", Double.toString(spend)));
    args.addAll(List.of(more));
    CommandOutcome o = CliHelpTest.run(args.toArray(String[]::new));
    System.out.print(o.out());
    assertThat(o.code()).as(o.err()).isZero();
    return o;
  }

  /** What the service computes: its reading of the parameters file and its CLV settings. */
  private static Prediction service(Map<String, String> settings, CustomerSummary inDays) {
    Map<String, String> all = new HashMap<>(settings);
    all.put(SegmenterConfig.CLV_PARAMETERS_FILE, parameters.toString());
    all.put("schema.registry.url", "http://localhost:8081"); // required, not used: nothing connects
    SegmenterConfig config = new SegmenterConfig(all);
    return new Predictor(config.clvParametersFromFile(), config.clvSettings()).score(inDays);
  }

  private static String f(String format, double v) {
    return String.format(Locale.ROOT, format, v);
  }

  @Test
  void withItsDefaultsPredictGivesTheServicesClv() {
    CommandOutcome o = predict(2, 30.43, 38.86, 22.35);
    Prediction s = service(Map.of(), new CustomerSummary(2, 30.43 * 7, 38.86 * 7, 22.35));
    System.out.printf("service: P(alive) %.6f, 90 days %.6f, 365 days %.6f, spend %.6f, CLV %.6f%n", s.pAlive(),
        s.expectedPurchases90d(), s.expectedPurchasesHorizon(), s.expectedAverageSpend(), s.clv());
    assertThat(o.out()).contains("P(alive): " + f("%.3f", s.pAlive()))
        .contains("expected purchases in the next 90 days: " + f("%.2f", s.expectedPurchases90d()))
        .contains("expected purchases in the next 52.14 weeks (365 days): " + f("%.2f", s.expectedPurchasesHorizon()))
        .contains("expected spend per purchase: " + f("%.2f", s.expectedAverageSpend()) + " EUR")
        .contains("CLV over 52.14 weeks (365 days): " + f("%.2f", s.clv()) + " EUR")
        .contains("discounted 1% per step");
  }

  @Test
  void withTheServicesOtherSettingsPredictStillAgrees() {
    CommandOutcome o = predict(5, 40, 60, 30, "--t", "26", "--monthly-discount-rate", "0.02", "--currency", "USD");
    Prediction s = service(Map.of(SegmenterConfig.CLV_HORIZON_DAYS, "182", SegmenterConfig.CLV_MONTHLY_DISCOUNT, "0.02"),
        new CustomerSummary(5, 280, 420, 30));
    assertThat(o.out()).contains("CLV over 26 weeks (182 days): " + f("%.2f", s.clv()) + " USD")
        .contains("discounted 2% per step").doesNotContain("give --currency");
  }

  @Test
  void moneyInTheDefaultCurrencySaysItIsADefault() {
    assertThat(predict(2, 30.43, 38.86, 22.35).out())
        .contains("(EUR is segmenter.currency's default, not read from the data: give --currency for the data's own)");
  }

  @Test
  void aOneTimeBuyersPAliveOfOneIsExplainedWhereItIsPrinted() {
    CommandOutcome o = predict(0, 0, 30, 0);
    assertThat(o.out()).contains("P(alive): 1.000").contains(ClvPredictCommand.ONE_TIME_BUYER);
    assertThat(predict(2, 30.43, 38.86, 22.35).out()).doesNotContain("note: x = 0");
  }

  @Test
  void numbersAreRoundedToWhatTheyMean() {
    String out = predict(1, 0.5, 77.86, 10.5).out() + predict(0, 0, 1e-9, 0).out();
    assertThat(out).doesNotContainPattern("\\d\\.\\d{4,}").doesNotContainPattern("[eE][-+]?\\d");
    assertThat(out).containsPattern("CLV over 52\\.14 weeks \\(365 days\\): \\d+\\.\\d\\d EUR ");
  }
}
