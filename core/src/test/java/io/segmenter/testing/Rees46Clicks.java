package io.segmenter.testing;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Turns the rows of the REES46 e-commerce behaviour file ({@code ../shared/data/clickstream/}, see
 * its README) into {@link ClickEvent}s, to replay real browsing through the topology.
 *
 * <p>Mapping of a row {@code event_time,event_type,product_id,category_id,category_code,brand,price,
 * user_id,user_session}:
 * <ul>
 *   <li>eventId = {@code "rees46-" + n}, n the data row number from 1 (the file has no event id);</li>
 *   <li>customerId = {@link Options#customerIds} applied to user_id (identity by default), so that a
 *       test can put the clicks into another data set's id space;</li>
 *   <li>sessionId = user_session (a few rows have none: then {@code "rees46-user-" + user_id});</li>
 *   <li>type: view -> PRODUCT_VIEW, cart -> ADD_TO_CART, purchase -> CHECKOUT_START (a purchase is an
 *       order, which this file cannot give: no order id, no total), or the row is skipped when
 *       {@link Options#skipPurchases};</li>
 *   <li>productId = product_id; category = category_code, null when blank; price = price at scale 4,
 *       null when blank; channel and device unknown (null);</li>
 *   <li>occurredAt = event_time (UTC) plus {@link Options#shift}.</li>
 * </ul>
 * Events come back in time order, ties in row order (the file is already in that order).
 */
public final class Rees46Clicks {
  /** The file of the shared data set. */
  public static final String FILE = "rees46_2019-Oct_head17k.csv.gz";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'");

  private Rees46Clicks() { }

  /**
   * How rows become events.
   *
   * @param shift added to every event time (e.g. to move October 2019 to 2015)
   * @param customerIds user_id -> customerId
   * @param skipPurchases drop purchase rows instead of mapping them to CHECKOUT_START
   */
  public record Options(Duration shift, Function<String, String> customerIds, boolean skipPurchases) {
    public static Options defaults() {
      return new Options(Duration.ZERO, Function.identity(), false);
    }

    /** Same options, with the events moved so that the first one falls on {@code firstAt}. */
    public Options startingAt(Instant firstAt) {
      return new Options(Duration.between(FIRST_EVENT, firstAt), customerIds, skipPurchases);
    }

    public Options withCustomerIds(Function<String, String> ids) {
      return new Options(shift, ids, skipPurchases);
    }
  }

  /** The first event time of the file (its rows are in time order). */
  public static final Instant FIRST_EVENT = Instant.parse("2019-10-01T00:00:00Z");

  /** The file of the shared data set. */
  public static Path defaultLocation() {
    return SharedData.find("../shared/data/clickstream/" + FILE);
  }

  /** The distinct user_ids of the file, in order of first appearance. */
  public static List<String> userIds(Path csvGz) {
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (String[] row : rows(csvGz)) seen.putIfAbsent(row[7].strip(), Boolean.TRUE);
    return new ArrayList<>(seen.keySet());
  }

  /** The file's rows as events, in time order (ties in row order). */
  public static List<ClickEvent> read(Path csvGz, Options options) {
    List<ClickEvent> out = new ArrayList<>();
    long n = 0;
    for (String[] row : rows(csvGz)) {
      n++;
      ClickType type = switch (row[1].strip()) {
        case "view" -> ClickType.PRODUCT_VIEW;
        case "cart" -> ClickType.ADD_TO_CART;
        case "purchase" -> options.skipPurchases() ? null : ClickType.CHECKOUT_START;
        default -> throw new IllegalArgumentException("row " + n + ": unknown event_type");
      };
      if (type == null) continue;
      String user = row[7].strip();
      String session = row[8].strip();
      out.add(ClickEvent.newBuilder()
          .setEventId("rees46-" + n)
          .setCustomerId(options.customerIds().apply(user))
          .setSessionId(session.isEmpty() ? "rees46-user-" + user : session)
          .setType(type)
          .setProductId(row[2].strip().isEmpty() ? null : row[2].strip())
          .setCategory(row[4].strip().isEmpty() ? null : row[4].strip())
          .setPrice(row[6].strip().isEmpty() ? null : new BigDecimal(row[6].strip()).setScale(4, RoundingMode.HALF_EVEN))
          .setOccurredAt(LocalDateTime.parse(row[0].strip(), TIME).toInstant(ZoneOffset.UTC).plus(options.shift()))
          .build());
    }
    out.sort(Comparator.comparing(ClickEvent::getOccurredAt)); // stable: ties keep row order
    return out;
  }

  /** Data rows split at commas (the file quotes nothing and no field holds a comma). */
  private static List<String[]> rows(Path csvGz) {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(csvGz), 1 << 16), StandardCharsets.UTF_8))) {
      String header = in.readLine();
      if (header == null || !header.startsWith("event_time,event_type,")) {
        throw new IllegalArgumentException("not a REES46 file: " + csvGz);
      }
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) continue;
        String[] f = line.split(",", -1);
        if (f.length != 9) throw new IllegalArgumentException("row " + (rows.size() + 1) + ": " + f.length + " fields, not 9");
        rows.add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csvGz, e);
    }
    return rows;
  }
}
