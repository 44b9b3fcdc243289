package io.segmenter.cli;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formats a {@link DemoSnapshot} as text lines: a pure function, the same lines on a terminal
 * (redrawn in place) and in plain mode (printed one block after another for logs and scripts).
 */
final class DemoView {
  static final int BAR_WIDTH = 24;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

  private final ZoneId zone;

  DemoView(ZoneId zone) {
    this.zone = zone;
  }

  List<String> lines(DemoSnapshot s) {
    List<String> out = new ArrayList<>();
    header(s, out);
    out.add("");
    input(s.input(), out);
    out.add("");
    model(s.model(), out);
    out.add("");
    changes(s, out);
    return out;
  }

  /** Plain mode: the same lines under a separator that says when. */
  List<String> plainBlock(DemoSnapshot s) {
    List<String> out = new ArrayList<>();
    out.add("---- segmenter demo at +" + clock(s.uptime()) + " ----");
    List<String> body = lines(s);
    // The addresses were printed once at start; in plain mode repeating them every block is noise.
    int firstBlank = body.indexOf("");
    out.add(body.get(0));
    out.addAll(body.subList(firstBlank + 1, body.size()));
    return out;
  }

  private static void header(DemoSnapshot s, List<String> out) {
    String phase = s.input().historySeconds() == null ? "producing history" : "live";
    String end = s.remaining() == null ? "Ctrl-C to stop"
        : "stops in " + clock(s.remaining()) + " (Ctrl-C to stop now)";
    out.add("segmenter demo | up " + clock(s.uptime()) + " | " + phase + " | " + end);
    DemoSnapshot.Endpoints e = s.endpoints();
    out.add("  Kafka      " + e.bootstrapServers() + "   (bootstrap.servers; topics clicks, orders, segment-changes, ...)");
    out.add("  registry   " + e.registryUrl());
    out.add("  HTTP       " + e.httpBase() + "/segments   /customers/{id}   /model   /metrics   /health/ready");
    if (e.logFile() != null) out.add("  log        " + e.logFile());
  }

  private static void input(DemoSnapshot.Input in, List<String> out) {
    out.add("input");
    if (in.historyTotal() <= 0) {
      out.add("  history    (being generated)");
      return;
    }
    String history = "  history    " + bar(in.historyProduced(), in.historyTotal()) + "  "
        + count(in.historyProduced()) + " / " + count(in.historyTotal()) + " events";
    if (in.historySeconds() == null && in.historyProduced() == 0) {
      history += "   (starts when segmenter runs)";
    } else if (in.historySeconds() == null) {
      history += "   " + rate(in.inRate()) + " ev/s";
    } else {
      history += String.format(Locale.ROOT, " in %.1f s", in.historySeconds());
    }
    out.add(history);
    if (in.historySeconds() != null) {
      out.add("  live       " + count(in.liveProduced()) + " events   " + rate(in.inRate()) + " ev/s");
    }
    if (in.processed() < 0 || in.inputEnd() < 0) {
      out.add("  processed  (waiting for segmenter's first commit)");
    } else {
      out.add("  processed  " + count(in.processed()) + " / " + count(in.inputEnd()) + " ("
          + percent(in.processed(), in.inputEnd()) + ")   " + rate(in.processRate()) + " ev/s");
    }
  }

  private static void model(DemoSnapshot.Model m, List<String> out) {
    if (m == null) {
      out.add("model      waiting for the first version (it is trained on a warm-up sample of the input)");
      return;
    }
    long customers = m.segments().stream().mapToLong(DemoSnapshot.SegmentRow::customers).sum();
    out.add("model version " + m.version() + " | " + m.segments().size() + " segments | "
        + count(customers) + " customers placed");
    out.add(String.format(Locale.ROOT, "  %4s  %-22s %10s   %15s %11s %20s", "id", "segment", "customers",
        "centre R (days)", "F (orders)", "M (net spend " + m.currency() + ")"));
    for (DemoSnapshot.SegmentRow r : m.segments()) {
      out.add(String.format(Locale.ROOT, "  %4d  %-22s %10s   %15.1f %11.1f %,20.2f", r.id(), clip(r.name(), 22),
          count(r.customers()), nonNegative(r.recencyDays()), nonNegative(r.orders()), nonNegative(r.netSpend())));
    }
    out.add("  (R, F, M: the centre's days since the last order (365 = never ordered), orders, net spend)");
  }

  private void changes(DemoSnapshot s, List<String> out) {
    out.add("segment changes: " + count(s.changesTotal()) + (s.lastChanges().isEmpty() ? "" : " | the last " + s.lastChanges().size() + " read"));
    for (DemoSnapshot.ChangeRow c : s.lastChanges()) {
      out.add(String.format(Locale.ROOT, "  %s  %-12s %s  (%s)", TIME.format(c.at().atZone(zone)), c.customerId(),
          what(c), c.reason()));
    }
  }

  /**
   * What changed: "Loyal -> At Risk" when the segment moved; when only the predictive segment did
   * (reason PREDICTIVE), the segment once and the predictive move, "Champions; predictive: Regular ->
   * High churn risk", rather than the uninformative "Champions -> Champions".
   */
  static String what(DemoSnapshot.ChangeRow c) {
    String from = orNone(c.from());
    String to = orNone(c.to());
    String segment = from.equals(to) ? to : from + " -> " + to;
    if (!c.predictiveChanged()) return segment;
    return segment + "; predictive: " + orNone(c.predictiveFrom()) + " -> " + orNone(c.predictiveTo());
  }

  private static String orNone(String name) {
    return name == null ? "(none)" : name;
  }

  /** "[#######-----]" for done of total; all dashes when total is 0. */
  static String bar(long done, long total) {
    int filled = total <= 0 ? 0 : (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
    return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }

  static String percent(long part, long whole) {
    if (whole <= 0) return "-";
    return String.format(Locale.ROOT, "%.0f%%", Math.floor(100.0 * part / whole));
  }

  /** m:ss, or h:mm:ss from an hour on. */
  static String clock(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s >= 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** The centre's coordinates are non-negative quantities; rounding the log transform back can give -0.0. */
  private static double nonNegative(double v) {
    return v > 0 ? v : 0.0;
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "~";
  }
}
