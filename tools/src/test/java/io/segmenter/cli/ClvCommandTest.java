package io.segmenter.cli;

import static io.segmenter.testing.SharedData.cdnow;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.clv.BgNbdParameters;
import io.segmenter.clv.ClvParametersFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code segmenter clv fit / predict} on the CDNOW files of the shared data and on bad input. */
class ClvCommandTest {
  @Test
  void fitOnTheSummaryPrintsThePublishedParameters() {
    CommandOutcome o = CliHelpTest.run("clv", "fit", cdnow("cdnow_customers_summary.csv").toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("BG/NBD   (2357 customers").contains("r = 0.2426  alpha = 4.4135  a = 0.7929  b = 2.4258")
        .contains("log-likelihood = -9582.43");
  }

  @Test
  void fitOnTheRawLogReproducesBothModelsAndPrintsTheHoldOut() {
    CommandOutcome o = CliHelpTest.run("clv", "fit", cdnow("CDNOW_sample.txt").toString(),
        "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30");
    System.out.print(o.out());
    assertThat(o.code()).as(o.err()).isZero();
    // Unrounded t_x and T: the fourth decimal may differ from the published summary's fit.
    assertThat(o.out()).contains("r = 0.242").contains("alpha = 4.41").contains("a = 0.792").contains("b = 2.42")
        .contains("log-likelihood = -9582.").contains("Gamma-Gamma (946 repeat customers with spend)")
        .contains("p = 6.24").contains("q = 3.74").contains("gamma = 15.4")
        .containsPattern("Hold-out 39\\.0 weeks after the calibration end, 2357 customers: repeat purchases predicted \\d+\\.\\d, actual \\d+");
  }

  @Test
  void jsonOutputIsAParametersFileTheServiceReads(@TempDir Path dir) throws Exception {
    CommandOutcome o = CliHelpTest.run("clv", "fit", "--json",
        cdnow("cdnow_customers_summary_with_transactions.csv").toString());
    assertThat(o.code()).as(o.err()).isZero();
    Path file = dir.resolve("params.json");
    Files.writeString(file, o.out());
    BgNbdParameters days = ClvParametersFile.read(file).frequency();
    assertThat(days.alpha()).isCloseTo(4.4135 * 7, org.assertj.core.data.Offset.offset(0.01));
    assertThat(ClvParametersFile.read(file).spend().q()).isCloseTo(3.74, org.assertj.core.data.Offset.offset(0.02));
  }

  @Test
  void predictPrintsTheWorkedExample() {
    CommandOutcome o = CliHelpTest.run("clv", "predict", "--r", "0.243", "--alpha", "4.414", "--a", "0.793",
        "--b", "2.426", "--x", "2", "--tx", "30.43", "--T", "38.86", "--t", "39",
        "--p", "6.25", "--q", "3.74", "--gamma", "15.44", "--spend", "22.35");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("expected purchases in the next 39 weeks (273 days): 1.23").contains("P(alive): 0.")
        .contains("expected spend per purchase: ").contains("CLV over 39 weeks (273 days): ");
  }

  @Test
  void badInputExitsTwoWithOneClearLine(@TempDir Path dir) throws Exception {
    CommandOutcome tx = CliHelpTest.run("clv", "predict", "--r", "0.243", "--alpha", "4.414", "--a", "0.793",
        "--b", "2.426", "--x", "2", "--tx", "40", "--T", "38.86", "--t", "39");
    assertThat(tx.code()).isEqualTo(2);
    assertThat(tx.err()).contains("need 0 <= tx <= T");
    CommandOutcome partial = CliHelpTest.run("clv", "predict", "--r", "1", "--alpha", "1", "--a", "1",
        "--b", "1", "--x", "0", "--tx", "0", "--T", "1", "--t", "1", "--p", "1");
    assertThat(partial.code()).isEqualTo(2);
    assertThat(partial.err()).contains("give all of --p, --q, --gamma and --spend");
    Path garbage = dir.resolve("x.csv");
    Files.writeString(garbage, "hello,world\n1,2\n");
    CommandOutcome unknown = CliHelpTest.run("clv", "fit", garbage.toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("cannot tell the format");
    Path broken = dir.resolve("t.csv");
    Files.writeString(broken, "customer_id,date,amount\nc1,2020-01-01,10\nc1,yesterday,5\n");
    CommandOutcome bad = CliHelpTest.run("clv", "fit", broken.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("line 3").contains("not a date");
  }

  @Test
  void fittedParametersArePrintedSoThatATinyOneIsNotZero() {
    // Online Retail II fits a = 1.9e-10 (no visible drop-out); four decimals printed it as 0.0000.
    assertThat(ClvCommand.estimate(0.242592680006)).isEqualTo("0.2426");
    assertThat(ClvCommand.estimate(0.00123456)).isEqualTo("0.00123");
    assertThat(ClvCommand.estimate(1.9012e-10)).isEqualTo("1.90e-10");
    assertThat(ClvCommand.money(36.2512549, "EUR")).isEqualTo("36.25 EUR");
  }
}
