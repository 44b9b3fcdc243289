package io.segmenter.cli;

import static io.segmenter.testing.SharedData.cdnow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.segmenter.clv.ClvModel;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.Prediction;
import io.segmenter.clv.Predictor;
import io.segmenter.config.SegmenterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 4: {@code clv fit --json} of a summary file in days wrote "timeUnit":"weeks", so the
 * service, reading it as segmenter.clv.parameters.file, predicted with purchase rates 7 times off.
 */
class NewcomerClvTimeUnitTest {
  /** The CDNOW summary (weeks) with t_x and T multiplied by 7: the same customers in days. */
  private static Path inDays(Path dir) throws Exception {
    List<String> lines = Files.readAllLines(cdnow("cdnow_customers_summary_with_transactions.csv"));
    List<String> out = new ArrayList<>();
    out.add(lines.get(0).trim());
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) continue;
      String[] f = line.trim().split(",");
      out.add(String.join(",", f[0], f[1], Double.toString(Double.parseDouble(f[2]) * 7),
          Double.toString(Double.parseDouble(f[3]) * 7), f[4]));
    }
    Path file = dir.resolve("days.csv");
    Files.write(file, out);
    return file;
  }

  private static Path fitJson(Path dir, String name, String... args) throws Exception {
    CommandOutcome o = CliHelpTest.run(args);
    assertThat(o.code()).as(o.err()).isZero();
    Path json = dir.resolve(name);
    Files.writeString(json, o.out());
    System.out.printf("%s: %s%n", String.join(" ", args).replace(dir.toString(), "<tmp>"), o.out().replaceAll("\\s+", " "));
    return json;
  }

  /** The service's own reading of the file and of its CLV settings (defaults). */
  private static Predictor service(Path parameters) {
    // The registry's address is required, not used: nothing connects.
    SegmenterConfig config = new SegmenterConfig(Map.of(SegmenterConfig.CLV_PARAMETERS_FILE, parameters.toString(),
        "schema.registry.url", "http://localhost:8081"));
    ClvModel model = config.clvParametersFromFile();
    return new Predictor(model, config.clvSettings());
  }

  @Test
  void aDaysFittedFileAndAWeeksFittedFileGiveTheServiceTheSamePredictions(@TempDir Path dir) throws Exception {
    Path days = fitJson(dir, "days.json", "clv", "fit", inDays(dir).toString(), "--time-unit", "days", "--json");
    Path weeks = fitJson(dir, "weeks.json", "clv", "fit",
        cdnow("cdnow_customers_summary_with_transactions.csv").toString(), "--time-unit", "weeks", "--json");
    assertThat(Files.readString(days)).contains("\"timeUnit\" : \"days\"");
    assertThat(Files.readString(weeks)).contains("\"timeUnit\" : \"weeks\"");

    Predictor fromDays = service(days);
    Predictor fromWeeks = service(weeks);
    // The service works in days: a customer 2 repeat purchases in, last 213 days after the first, 272 days old.
    for (CustomerSummary customer : List.of(new CustomerSummary(2, 213, 272, 22.35), CustomerSummary.of(0, 0, 100),
        new CustomerSummary(10, 300, 380, 40))) {
      Prediction a = fromDays.score(customer);
      Prediction b = fromWeeks.score(customer);
      System.out.printf("x=%d t_x=%.0f T=%.0f days: P(alive) %.4f / %.4f, purchases in 90 days %.4f / %.4f, CLV %.2f / %.2f%n",
          customer.x(), customer.tx(), customer.T(), a.pAlive(), b.pAlive(), a.expectedPurchases90d(),
          b.expectedPurchases90d(), a.clv(), b.clv());
      // Two separate maximisations of the same likelihood: equal to the optimiser's tolerance, not bit for bit.
      assertThat(a.pAlive()).isCloseTo(b.pAlive(), within(1e-3));
      assertThat(a.expectedPurchases90d()).isCloseTo(b.expectedPurchases90d(), within(1e-3 * b.expectedPurchases90d()));
      assertThat(a.clv()).isCloseTo(b.clv(), within(2e-3 * b.clv()));
    }
  }

  @Test
  void aSummaryFileWithoutTimeUnitSaysWhatItWasTakenToBe() {
    CommandOutcome o = CliHelpTest.run("clv", "fit", cdnow("cdnow_customers_summary.csv").toString(), "--json");
    System.out.printf("stderr: %s", o.err());
    assertThat(o.code()).isZero();
    assertThat(o.out()).contains("\"timeUnit\" : \"weeks\"");
    assertThat(o.err()).contains("t_x and T taken as weeks").contains("--time-unit days");
  }
}
