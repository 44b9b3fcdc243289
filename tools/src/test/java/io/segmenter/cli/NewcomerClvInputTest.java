package io.segmenter.cli;

import static io.segmenter.testing.SharedData.cdnow;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 5: {@code clv fit} on a gzipped or binary file failed with a decoder's stack trace;
 * dates outside the data were fitted or reported silently, or refused only after the whole fit;
 * {@code clv} alone exited 0.
 */
class NewcomerClvInputTest {
  private static final String SAMPLE = cdnow("CDNOW_sample.txt").toString();

  /**
   * The first line on stderr without the command's name, which the error handlers put first (a
   * pointer to --help may follow below it).
   */
  private static String firstErrorLine(CommandOutcome o) {
    String line = o.err().lines().findFirst().orElse("");
    System.out.printf("exit %d: %s%n", o.code(), line);
    assertThat(line).matches("segmenter clv( fit| predict)?: .*");
    return line.substring(line.indexOf(": ") + 2);
  }

  @Test
  void aGzippedFileIsReadAsItsText(@TempDir Path dir) throws Exception {
    Path gz = dir.resolve("cdnow_customers_summary.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(cdnow("cdnow_customers_summary.csv")));
    }
    CommandOutcome o = CliHelpTest.run("clv", "fit", gz.toString());
    System.out.print(o.out());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("BG/NBD   (2357 customers").contains("r = 0.2426  alpha = 4.4135  a = 0.7929  b = 2.4258");
  }

  @Test
  void aBinaryFileIsRefusedInOneLineNamingItAndWhatIsExpected(@TempDir Path dir) throws Exception {
    Path binary = dir.resolve("orders.csv");
    Files.write(binary, new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61, (byte) 0xff, 10});
    CommandOutcome o = CliHelpTest.run("clv", "fit", binary.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(firstErrorLine(o)).contains(binary.toString()).contains("not a text file")
        .contains("expected a summary CSV");
    assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");

    Path zeros = dir.resolve("zeros.csv");
    Files.write(zeros, new byte[64]);
    CommandOutcome nul = CliHelpTest.run("clv", "fit", zeros.toString());
    assertThat(nul.code()).isEqualTo(2);
    assertThat(firstErrorLine(nul)).contains(zeros.toString()).contains("binary file");

    Path notGzip = dir.resolve("orders.csv.gz");
    Files.writeString(notGzip, "customer_id,date,amount\n");
    CommandOutcome gz = CliHelpTest.run("clv", "fit", notGzip.toString());
    assertThat(gz.code()).isEqualTo(2);
    assertThat(firstErrorLine(gz)).contains(notGzip.toString()).contains("is named .gz but is not gzip");
  }

  @Test
  void aCalibrationEndAfterTheDataIsRefused() {
    CommandOutcome o = CliHelpTest.run("clv", "fit", SAMPLE, "--calibration-end", "1999-01-01");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.out()).isEmpty();
    assertThat(firstErrorLine(o)).isEqualTo("--calibration-end 1999-01-01 is after the last transaction (1998-06-30):"
        + " the days between would count as days without purchases and bias the fit; give a date up to 1998-06-30"
        + " or leave it out");
    CommandOutcome early = CliHelpTest.run("clv", "fit", SAMPLE, "--calibration-end", "1996-06-30");
    assertThat(early.code()).isEqualTo(2);
    assertThat(firstErrorLine(early)).contains("is before the first transaction (1997-01-01)");
  }

  @Test
  void aHoldOutEndAfterTheDataIsRefusedUpFront() {
    CommandOutcome o = CliHelpTest.run("clv", "fit", SAMPLE, "--calibration-end", "1997-09-30", "--holdout-end", "1999-01-01");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.out()).as("refused before the fit").isEmpty();
    assertThat(firstErrorLine(o)).isEqualTo("--holdout-end 1999-01-01 is after the last transaction (1998-06-30):"
        + " purchases the file does not hold would count as not made; give a date up to 1998-06-30");
    // Without --calibration-end the calibration ends on the last day: no hold-out period is left.
    CommandOutcome issue = CliHelpTest.run("clv", "fit", SAMPLE, "--holdout-end", "1999-01-01");
    assertThat(issue.code()).isEqualTo(2);
    assertThat(issue.out()).isEmpty();
    assertThat(firstErrorLine(issue)).endsWith("give a date up to 1998-06-30 and an earlier --calibration-end"
        + " (by default the calibration ends on 1998-06-30)");
    CommandOutcome noRoom = CliHelpTest.run("clv", "fit", SAMPLE, "--holdout-end", "1998-06-30");
    assertThat(noRoom.code()).isEqualTo(2);
    assertThat(firstErrorLine(noRoom)).isEqualTo("--holdout-end 1998-06-30 must be after the calibration end (1998-06-30,"
        + " the last transaction day; give an earlier --calibration-end)");
  }

  @Test
  void aHoldOutEndBeforeTheCalibrationEndIsRefusedBeforeTheFit() {
    CommandOutcome o = CliHelpTest.run("clv", "fit", SAMPLE, "--calibration-end", "1997-09-30", "--holdout-end", "1997-06-30");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.out()).as("nothing fitted nor printed before the refusal").isEmpty();
    assertThat(firstErrorLine(o)).isEqualTo("--holdout-end 1997-06-30 must be after the calibration end (1997-09-30)");
  }

  @Test
  void clvWithoutASubcommandExitsTwoAndNamesThem() {
    CommandOutcome o = CliHelpTest.run("clv");
    assertThat(o.code()).isEqualTo(2);
    assertThat(firstErrorLine(o)).isEqualTo(
        "Missing required subcommand: fit (estimate the parameters from a file) or predict (score one customer)");
  }
}
