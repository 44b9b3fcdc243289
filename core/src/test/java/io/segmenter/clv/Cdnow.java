package io.segmenter.clv;

import io.segmenter.testing.SharedData;
import java.util.ArrayList;
import java.util.List;

/** The CDNOW summary files of the shared data (weeks), as summaries. */
final class Cdnow {
  private Cdnow() { }

  /** cdnow_customers_summary.csv: ID,frequency,recency,T. */
  static List<CustomerSummary> summaries() {
    List<CustomerSummary> out = new ArrayList<>();
    for (String[] f : rows("cdnow_customers_summary.csv")) {
      out.add(CustomerSummary.of(Long.parseLong(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])));
    }
    return out;
  }

  /** cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar. */
  static List<CustomerSummary> summariesWithSpend() {
    List<CustomerSummary> out = new ArrayList<>();
    for (String[] f : rows("cdnow_customers_summary_with_transactions.csv")) {
      out.add(new CustomerSummary(Long.parseLong(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
          Double.parseDouble(f[4])));
    }
    return out;
  }

  private static List<String[]> rows(String name) {
    return SharedData.cdnowCsvRows(name);
  }
}
