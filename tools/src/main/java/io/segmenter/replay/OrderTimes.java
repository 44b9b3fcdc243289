package io.segmenter.replay;

import java.text.ParsePosition;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.List;
import java.util.Locale;

/**
 * How the time column is written. {@link #DEFAULT} accepts what the UCI files write
 * ({@code 2009-12-01 07:45}, with or without seconds) and ISO-8601 ({@code 2009-12-01T07:45:00},
 * with fractions, {@code Z}, an offset or a zone, or a date alone, {@code 2009-12-01}); a space
 * may stand for the {@code T}. {@link #pattern} replaces them with one java.time pattern.
 *
 * <p>A time without an offset or a zone is read as if it were UTC (the UCI files have no zone: see
 * {@link OnlineRetailOrders}); a date alone is the start of its day, UTC. Every date is checked
 * strictly (no 30 February).
 */
public final class OrderTimes {

  /** UCI's {@code uuuu-MM-dd HH:mm[:ss]} and its ISO-8601 variants, then ISO-8601 with a T, then a date alone. */
  public static final OrderTimes DEFAULT = new OrderTimes("UCI (2009-12-01 07:45) or ISO-8601", List.of(
      new DateTimeFormatterBuilder().parseCaseInsensitive().append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral(' ').append(DateTimeFormatter.ISO_LOCAL_TIME)
          .optionalStart().appendOffsetId().optionalEnd()
          .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT),
      DateTimeFormatter.ISO_DATE_TIME,
      DateTimeFormatter.ISO_LOCAL_DATE));

  // Shown with a pattern that cannot give a date: a time in summer, with seconds, in a zone with an offset.
  private static final ZonedDateTime SAMPLE = ZonedDateTime.of(2010, 7, 21, 17, 5, 9, 0, ZoneId.of("Europe/London"));

  private final String description;
  private final List<DateTimeFormatter> formats;

  private OrderTimes(String description, List<DateTimeFormatter> formats) {
    this.description = description;
    this.formats = formats;
  }

  /**
   * Times written in one {@link DateTimeFormatter} pattern, e.g. {@code dd/MM/uuuu HH:mm} or
   * {@code M/d/yyyy H:mm}; month and day names in English. {@code yyyy} works like {@code uuuu}.
   *
   * @throws IllegalArgumentException when the pattern is not valid or cannot give a date (at least a
   *     year, a month and a day)
   */
  public static OrderTimes pattern(String pattern) {
    DateTimeFormatter format;
    try {
      // Strict resolution rejects yyyy (year of era) without an era: the era defaults to ours.
      format = new DateTimeFormatterBuilder().appendPattern(pattern).parseDefaulting(ChronoField.ERA, 1)
          .toFormatter(Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid time pattern '" + pattern + "': " + e.getMessage());
    }
    OrderTimes times = new OrderTimes("pattern '" + pattern + "'", List.of(format));
    String sample;
    try {
      sample = format.format(SAMPLE);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("time pattern '" + pattern + "' cannot be used: " + e.getMessage());
    }
    if (times.parse(sample) == null) {
      throw new IllegalArgumentException("time pattern '" + pattern + "' does not give a date (it needs a year, a month"
          + " and a day: uuuu or yyyy, MM, dd; YYYY is the week-based year)");
    }
    return times;
  }

  /** The instant written, or null when no format reads it. */
  Instant parse(String text) {
    return reader().parse(text);
  }

  /** A reader for one file, which tries first the format that read its previous time: files keep to one. */
  Reader reader() {
    return new Reader();
  }

  /** Reads the times of one file; not thread-safe. */
  final class Reader {
    private int last;

    private Reader() { }

    /** The instant written, or null when no format reads it. */
    Instant parse(String text) {
      Instant at = parse(formats.get(last), text, false);
      for (int i = 0; at == null && i < formats.size(); i++) {
        if (i == last) continue;
        at = parse(formats.get(i), text, true);
        if (at != null) last = i;
      }
      return at;
    }

    private static Instant parse(DateTimeFormatter format, String text, boolean checkFirst) {
      if (checkFirst) {
        // Whether the format fits, told without an exception (cheaper when it does not).
        ParsePosition position = new ParsePosition(0);
        if (format.parseUnresolved(text, position) == null || position.getIndex() != text.length()) return null;
      }
      TemporalAccessor parsed;
      try {
        parsed = format.parse(text);
      } catch (DateTimeParseException e) {
        return null; // not this format, or no date, e.g. 2010-02-30
      }
      LocalDate date = parsed.query(TemporalQueries.localDate());
      if (date == null) return null;
      LocalTime time = parsed.query(TemporalQueries.localTime());
      LocalDateTime local = date.atTime(time == null ? LocalTime.MIDNIGHT : time);
      ZoneId zone = parsed.query(TemporalQueries.zone());
      return zone == null ? local.toInstant(ZoneOffset.UTC) : local.atZone(zone).toInstant();
    }
  }

  /** What this reads, for reports. */
  @Override
  public String toString() {
    return description;
  }

  /** Equal when they read the same: the default, or the same pattern. */
  @Override
  public boolean equals(Object o) {
    return o instanceof OrderTimes other && description.equals(other.description);
  }

  @Override
  public int hashCode() {
    return description.hashCode();
  }
}
