package io.segmenter.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.segmenter.clv.CustomerSummary;
import io.segmenter.profile.TransactionSummaries.Transaction;
import io.segmenter.testing.SharedData;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The summary code against the published CDNOW summaries (Fader, Hardie &amp; Lee 2005): the raw
 * 1/10 sample, calibration period up to 1997-09-30, time in weeks, must give the summary files of
 * the shared data (which are the literature's) for every customer, to their rounding.
 */
class TransactionSummariesTest {
  private static final long WEEK_MS = 7 * 86_400_000L;
  private static final long CALIBRATION_END = day("19970930");

  @Test
  void rawCdnowSampleGivesThePublishedSummaryOfEveryCustomer() throws IOException {
    List<Transaction> log = cdnowTransactions();
    Map<String, CustomerSummary> ours = TransactionSummaries.summarise(log, CALIBRATION_END, WEEK_MS);
    List<String[]> published = SharedData.cdnowCsvRows("cdnow_customers_summary_with_transactions.csv");
    assertEquals(2357, published.size());
    assertEquals(2357, ours.size(), "every customer of the sample made their first purchase in the calibration period");
    int checked = 0;
    for (String[] row : published) {
      CustomerSummary s = ours.get(row[0]);
      String who = "customer " + row[0];
      assertEquals(Long.parseLong(row[1]), s.x(), who + " x");
      assertEquals(Double.parseDouble(row[2]), s.tx(), 0.005 + 1e-9, who + " t_x");
      assertEquals(Double.parseDouble(row[3]), s.T(), 0.005 + 1e-9, who + " T");
      assertEquals(Double.parseDouble(row[4]), s.meanRepeatSpend(), 0.005 + 1e-9, who + " zbar");
      checked++;
    }
    // The other file (ID,frequency,recency,T) holds the same figures.
    for (String[] row : SharedData.cdnowCsvRows("cdnow_customers_summary.csv")) {
      CustomerSummary s = ours.get(row[0]);
      assertEquals(Long.parseLong(row[1]), s.x(), "customer " + row[0] + " frequency");
      assertEquals(Double.parseDouble(row[2]), s.tx(), 0.005 + 1e-9, "customer " + row[0] + " recency");
      assertEquals(Double.parseDouble(row[3]), s.T(), 0.005 + 1e-9, "customer " + row[0] + " T");
    }
    System.out.println("TransactionSummariesTest: " + log.size() + " CDNOW transactions -> " + ours.size()
        + " summaries at 1997-09-30, equal to the published ones for " + checked + " customers");
  }

  @Test
  void transactionsAfterNowAreLeftOutAndSameDayOnesMerged() {
    long d0 = day("20200101");
    List<Transaction> log = List.of(
        new Transaction("a", d0 + 3_600_000, new BigDecimal("10")),
        new Transaction("a", d0 + 7_200_000, new BigDecimal("5")),      // same day: one purchase of 15
        new Transaction("a", d0 + 7 * 86_400_000L, new BigDecimal("20")),
        new Transaction("a", d0 + 7 * 86_400_000L + 1, new BigDecimal("4")),
        new Transaction("a", d0 + 30 * 86_400_000L, new BigDecimal("99")), // after now
        new Transaction("b", d0 + 40 * 86_400_000L, new BigDecimal("1"))); // after now: not a customer yet
    Map<String, CustomerSummary> s = TransactionSummaries.summarise(log, d0 + 14 * 86_400_000L, 86_400_000L);
    assertEquals(List.of("a"), List.copyOf(s.keySet()));
    CustomerSummary a = s.get("a");
    assertEquals(1, a.x());
    assertEquals((7 * 86_400_000L + 1 - 3_600_000) / 86_400_000.0, a.tx(), 1e-12);
    assertEquals(14 - 1 / 24.0, a.T(), 1e-9);
    assertEquals(24.0, a.meanRepeatSpend(), 1e-9);
  }

  @Test
  void orderOfArrivalDoesNotChangeTheSummaryWhenOnlyFirstAndLastDaysRepeat() {
    long d0 = day("20200101");
    List<Transaction> inOrder = new ArrayList<>(List.of(
        new Transaction("a", d0, new BigDecimal("10")),
        new Transaction("a", d0 + 1000, new BigDecimal("1")),
        new Transaction("a", d0 + 3 * 86_400_000L, new BigDecimal("7")),
        new Transaction("a", d0 + 9 * 86_400_000L, new BigDecimal("2")),
        new Transaction("a", d0 + 9 * 86_400_000L + 5, new BigDecimal("3"))));
    long now = d0 + 20 * 86_400_000L;
    CustomerSummary expected = TransactionSummaries.summarise(inOrder, now, 86_400_000L).get("a");
    assertEquals(new CustomerSummary(2, 9 + 5 / 86_400_000.0, 20, 6), expected);
    Collections.reverse(inOrder);
    assertEquals(expected, TransactionSummaries.summarise(inOrder, now, 86_400_000L).get("a"));
  }

  @Test
  void aCustomerWithoutOrdersHasNoSummary() {
    assertNull(CustomerProfile.empty().repeatSummary(0, 86_400_000L));
  }

  @Test
  void profilesWrittenBeforePurchaseDaysExistedGetAnEstimate() {
    long d0 = day("20200101");
    List<Transaction> log = List.of(new Transaction("a", d0, new BigDecimal("10")),
        new Transaction("a", d0 + 2 * 86_400_000L, new BigDecimal("30")));
    CustomerProfile p = CustomerProfile.empty();
    for (Transaction t : log) {
      p.apply(io.segmenter.events.OrderEvent.newBuilder().setOrderId("o" + t.occurredAtMs()).setCustomerId("a")
          .setStatus(io.segmenter.events.OrderStatus.PLACED).setAmount(new BigDecimal("10.0000").multiply(
              t.amount().divide(BigDecimal.TEN))).setCurrency("EUR").setItemCount(1)
          .setOccurredAt(Instant.ofEpochMilli(t.occurredAtMs())).build(), ProfileConfig.defaults());
    }
    int before = ProfileCodec.fieldCount() - 5; // the four fields of issue 6 missing, and the recent ids after them
    CustomerProfile old = ProfileCodec.decode(ProfileCodec.encodeFields(p, before));
    assertEquals(2, old.purchaseDays());
    // Exact: one repeat day of 30. Estimated from the totals: the first day's spend is the mean order.
    assertEquals(new CustomerSummary(1, 2, 3, 30), p.repeatSummary(d0 + 3 * 86_400_000L, 86_400_000L));
    assertEquals(new CustomerSummary(1, 2, 3, 20), old.repeatSummary(d0 + 3 * 86_400_000L, 86_400_000L));
    assertEquals(p, ProfileCodec.decode(ProfileCodec.encode(p)));
  }

  private static long day(String yyyymmdd) {
    return LocalDate.parse(yyyymmdd, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** CDNOW_sample.txt: master_id sample_id YYYYMMDD cds dollars; the customer is the sample id. */
  static List<Transaction> cdnowTransactions() throws IOException {
    List<Transaction> out = new ArrayList<>();
    for (String line : Files.readAllLines(SharedData.cdnow("CDNOW_sample.txt"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 5) continue;
      out.add(new Transaction(Integer.toString(Integer.parseInt(f[1])), day(f[2]), new BigDecimal(f[4])));
    }
    return out;
  }
}
