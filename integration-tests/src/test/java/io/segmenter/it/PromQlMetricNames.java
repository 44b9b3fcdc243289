package io.segmenter.it;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads (as written in dashboards and alert rules), so that a
 * test can check each against a real scrape. Not a PromQL parser: it removes everything that can hold
 * an identifier that is not a metric name, and keeps the identifiers left that are not calls or
 * keywords. In order:
 *
 * <ol>
 *   <li>string literals (label values, {@code label_replace} arguments, regular expressions);</li>
 *   <li>label matchers {@code {...}} (label names and values; with strings gone there is no nested brace);</li>
 *   <li>range and subquery brackets {@code [5m]}, {@code [1h:1m]}, {@code [$__rate_interval]};</li>
 *   <li>Grafana's {@code label_values(metric, label)} (kept: the metric) and {@code label_values(label)},
 *       then Grafana variables {@code $name}, {@code ${name}};</li>
 *   <li>groupings and vector matchings with their label lists: {@code by (...)}, {@code without (...)},
 *       {@code on (...)}, {@code ignoring (...)}, {@code group_left (...)}, {@code group_right (...)};</li>
 *   <li>then, token by token: numbers and durations ({@code 0.99}, {@code 1e3}, {@code 0x1f},
 *       {@code offset 1h}) are skipped, and so is an identifier followed by {@code (} (a function or an
 *       aggregation) or that is a keyword ({@code and}, {@code bool}, {@code offset}, {@code inf}, ...).</li>
 * </ol>
 *
 * <p>A name given only as {@code {__name__="..."}} would be lost with the matcher: such an expression
 * is refused rather than passed unchecked.
 */
final class PromQlMetricNames {
  private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
  private static final Pattern BRACKETS = Pattern.compile("\\[[^\\[\\]]*]");
  private static final Pattern LABEL_VALUES_OF_METRIC =
      Pattern.compile("\\blabel_values\\s*\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)\\s*,\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)");
  private static final Pattern LABEL_VALUES_OF_LABEL = Pattern.compile("\\blabel_values\\s*\\(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
  /** A number (decimal, exponent, hex, a duration like 1h30m) or an identifier, whichever starts here. */
  private static final Pattern TOKEN = Pattern.compile(
      "(?<number>0[xX][0-9a-fA-F]+|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?(?:ms|[smhdwy])*(?:\\d+(?:ms|[smhdwy]))*)"
          + "|(?<id>[A-Za-z_:][A-Za-z0-9_:]*)");
  /** Binary operators written as words, modifiers, and the literals Inf and NaN. */
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "atan2", "bool", "by", "without", "on",
      "ignoring", "group_left", "group_right", "offset", "inf", "nan");

  private PromQlMetricNames() { }

  static Set<String> of(String expr) {
    if (expr.contains("__name__")) {
      throw new IllegalArgumentException("a metric named by a __name__ matcher cannot be checked: " + expr);
    }
    String s = STRING.matcher(expr).replaceAll(" ");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = BRACKETS.matcher(s).replaceAll(" ");
    s = LABEL_VALUES_OF_METRIC.matcher(s).replaceAll(" $1 ");
    s = LABEL_VALUES_OF_LABEL.matcher(s).replaceAll(" ");
    s = GRAFANA_VARIABLE.matcher(s).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = TOKEN.matcher(s);
    while (m.find()) {
      String id = m.group("id");
      if (id == null) continue; // a number or a duration
      if (KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) continue;
      if (nextNonSpace(s, m.end()) == '(') continue; // a function or an aggregation
      names.add(id);
    }
    return names;
  }

  private static char nextNonSpace(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (!Character.isWhitespace(s.charAt(i))) return s.charAt(i);
    }
    return 0;
  }
}
