package io.segmenter.clv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fixed model parameters in a JSON file ({@code segmenter.clv.parameters.file}), as
 * {@code segmenter clv fit FILE --json} prints them:
 * <pre>{"timeUnit": "weeks", "r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426,
 *  "p": 6.25, "q": 3.74, "gamma": 15.44}</pre>
 * The spend parameters are optional (all three or none). The service works in days: alpha is
 * converted from the file's unit (the other parameters do not depend on it). Meanings:
 * <ul>
 *   <li>{@code timeUnit}: the unit the parameters were fitted in, that of the summaries' t_x and T;
 *   <li>{@code r, alpha}: while alive, customers buy at rates that vary as Gamma(r, alpha); r/alpha
 *       is the mean rate per time unit;
 *   <li>{@code a, b}: after each repeat purchase a customer drops out with a chance that varies as
 *       Beta(a, b); a/(a+b) is its mean;
 *   <li>{@code p, q, gamma}: a customer's purchase values vary as Gamma(p, nu), nu across customers
 *       as Gamma(q, gamma); the mean spend per purchase is p*gamma/(q-1).
 * </ul>
 * Written with six significant digits: more would be noise next to the estimates' own uncertainty.
 */
public final class ClvParametersFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClvParametersFile() { }

  /** Days per unit of the names the file may use. */
  static double daysPer(String unit) {
    return switch (unit == null ? "" : unit) {
      case "days" -> 1;
      case "weeks" -> 7;
      default -> throw new IllegalArgumentException("timeUnit must be \"days\" or \"weeks\", not " + unit);
    };
  }

  /** The file's parameters in days, with no value thresholds yet (the aggregator sets them). */
  public static ClvModel read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new IOException("no such file: " + file);
    return parse(Files.readString(file));
  }

  static ClvModel parse(String json) throws IOException {
    JsonNode n = JSON.readTree(json);
    if (n == null || !n.isObject()) throw new IllegalArgumentException("expected a JSON object of parameters");
    double days = daysPer(n.path("timeUnit").asText(null));
    BgNbdParameters f = new BgNbdParameters(number(n, "r"), number(n, "alpha"), number(n, "a"), number(n, "b"))
        .withTimeUnitDividedBy(days);
    int spendFields = (n.has("p") ? 1 : 0) + (n.has("q") ? 1 : 0) + (n.has("gamma") ? 1 : 0);
    if (spendFields != 0 && spendFields != 3) throw new IllegalArgumentException("give all of p, q and gamma, or none");
    GammaGammaParameters s = spendFields == 0 ? null
        : new GammaGammaParameters(number(n, "p"), number(n, "q"), number(n, "gamma"));
    return new ClvModel(f, s, ClvModel.Source.FILE, 0, Double.NaN, 0, -1,
        Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
  }

  private static double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) throw new IllegalArgumentException("\"" + field + "\" must be a number");
    return v.doubleValue();
  }

  private static double rounded(double v) {
    return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
  }

  /** The file form of fitted parameters in {@code timeUnit} ("days" or "weeks"); spend may be null. */
  public static String json(BgNbdParameters f, GammaGammaParameters s, String timeUnit) {
    daysPer(timeUnit);
    ObjectNode o = JSON.createObjectNode();
    o.put("timeUnit", timeUnit).put("r", rounded(f.r())).put("alpha", rounded(f.alpha())).put("a", rounded(f.a()))
        .put("b", rounded(f.b()));
    if (s != null) o.put("p", rounded(s.p())).put("q", rounded(s.q())).put("gamma", rounded(s.gamma()));
    return o.toPrettyString();
  }
}
