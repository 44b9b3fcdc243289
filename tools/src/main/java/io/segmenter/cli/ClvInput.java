package io.segmenter.cli;

import io.segmenter.clv.CustomerSummary;
import io.segmenter.profile.TransactionSummaries.Transaction;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The files {@code segmenter clv fit} reads, told apart by their first line:
 * <ul>
 *   <li>a per-customer summary CSV: header {@code ID,frequency,recency,T} (lifetimes' names, with an
 *       optional {@code monetary_value}) or {@code ID,x,t_x,T,zbar} (Hardie's);
 *   <li>a transaction CSV: header {@code customer_id,date,amount}, dates YYYY-MM-DD, YYYYMMDD or
 *       ISO instants;
 *   <li>a CDNOW-style log: no header, whitespace-separated {@code master_id sample_id YYYYMMDD
 *       number_of_cds dollar_value} (the customer is the sample id).
 * </ul>
 * A file whose name ends in {@code .gz} (or that starts with gzip's magic bytes) is decompressed as
 * it is read. A malformed line fails with its number and what is wrong; a file that is not text
 * fails with one line naming it and what was expected.
 */
final class ClvInput {
  /** A file's content: summaries (already in their time unit) or transactions. */
  record Content(List<CustomerSummary> summaries, List<Transaction> transactions) {
    boolean isTransactions() {
      return transactions != null;
    }
  }

  private ClvInput() { }

  /** What {@code fit} reads, for the messages about a file it cannot. */
  static final String EXPECTED = "a summary CSV (ID,frequency,recency,T[,monetary_value] or ID,x,t_x,T,zbar), "
      + "a transaction CSV (customer_id,date,amount) or a CDNOW-style log, as text (UTF-8), optionally gzipped";

  static Content read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such file: " + file);
    List<String> lines = text(file).lines().toList();
    int first = 0;
    while (first < lines.size() && lines.get(first).isBlank()) first++;
    if (first == lines.size()) throw new IllegalArgumentException(file + " is empty");
    String head = lines.get(first).trim().toLowerCase(Locale.ROOT).replace("\"", "");
    List<String> header = List.of(head.split("\\s*,\\s*"));
    if (header.contains("frequency") && header.contains("recency") && header.contains("t")) {
      return new Content(summaries(lines, first, header, "frequency", "recency", "monetary_value"), null);
    }
    if (header.contains("x") && header.contains("t_x") && header.contains("t")) {
      return new Content(summaries(lines, first, header, "x", "t_x", "zbar"), null);
    }
    if (header.contains("customer_id") && header.contains("date") && header.contains("amount")) {
      return new Content(null, csvTransactions(lines, first, header));
    }
    if (!Character.isLetter(head.charAt(0))) return new Content(null, cdnowTransactions(lines));
    throw new IllegalArgumentException("cannot tell the format of " + file + " from its first line: expected a header "
        + "ID,frequency,recency,T / ID,x,t_x,T,zbar / customer_id,date,amount, or CDNOW lines (see clv fit --help)");
  }

  /**
   * The file's text: gunzipped when it is gzip, and refused when it is not UTF-8 text (a NUL
   * character or an invalid byte sequence), rather than failing later with a decoder's exception.
   */
  private static String text(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    boolean gzip = bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    if (gzip) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        bytes = in.readAllBytes();
      } catch (ZipException | EOFException e) {
        throw new IllegalArgumentException(file + " is not a readable gzip file (" + e.getMessage() + "): expected " + EXPECTED);
      }
    } else if (file.getFileName().toString().endsWith(".gz")) {
      throw new IllegalArgumentException(file + " is named .gz but is not gzip: expected " + EXPECTED);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(file + " is not a text file (not UTF-8): expected " + EXPECTED);
    }
    if (text.indexOf('\0') >= 0) throw new IllegalArgumentException(file + " is a binary file: expected " + EXPECTED);
    // A byte-order mark (spreadsheet exports) would hide the header.
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static List<CustomerSummary> summaries(List<String> lines, int headerLine, List<String> header, String xName,
      String txName, String spendName) {
    int x = header.indexOf(xName);
    int tx = header.indexOf(txName);
    int age = header.indexOf("t");
    int spend = header.indexOf(spendName);
    List<CustomerSummary> out = new ArrayList<>();
    for (int i = headerLine + 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      String[] f = lines.get(i).trim().split("\\s*,\\s*");
      try {
        out.add(new CustomerSummary(Long.parseLong(f[x]), Double.parseDouble(f[tx]), Double.parseDouble(f[age]),
            spend >= 0 ? Double.parseDouble(f[spend]) : 0));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static List<Transaction> csvTransactions(List<String> lines, int headerLine, List<String> header) {
    int id = header.indexOf("customer_id");
    int date = header.indexOf("date");
    int amount = header.indexOf("amount");
    List<Transaction> out = new ArrayList<>();
    for (int i = headerLine + 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      String[] f = lines.get(i).trim().split("\\s*,\\s*");
      try {
        out.add(new Transaction(f[id], time(f[date]), amount(f[amount])));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static List<Transaction> cdnowTransactions(List<String> lines) {
    List<Transaction> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      String[] f = lines.get(i).trim().split("\\s+");
      try {
        if (f.length != 5) throw new IllegalArgumentException("expected 5 fields, found " + f.length);
        out.add(new Transaction(Integer.toString(Integer.parseInt(f[1])), time(f[2]), amount(f[4])));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static BigDecimal amount(String s) {
    BigDecimal v = new BigDecimal(s);
    if (v.signum() < 0) throw new IllegalArgumentException("negative amount " + s);
    return v;
  }

  /** YYYYMMDD, YYYY-MM-DD (midnight UTC) or an ISO instant, as epoch ms. */
  static long time(String s) {
    try {
      if (s.length() == 8) return day(LocalDate.parse(s, DateTimeFormatter.BASIC_ISO_DATE));
      if (s.length() == 10) return day(LocalDate.parse(s));
      return Instant.parse(s).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a date (YYYYMMDD, YYYY-MM-DD or an ISO instant): " + s);
    }
  }

  private static long day(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
