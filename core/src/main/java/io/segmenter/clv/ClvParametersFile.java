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
 * converted from the file's unit (the other parameters do not depend on it).
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

  /** The file form of fitted parameters in {@code timeUnit} ("days" or "weeks"); spend may be null. */
  public static String json(BgNbdParameters f, GammaGammaParameters s, String timeUnit) {
    daysPer(timeUnit);
    ObjectNode o = JSON.createObjectNode();
    o.put("timeUnit", timeUnit).put("r", f.r()).put("alpha", f.alpha()).put("a", f.a()).put("b", f.b());
    if (s != null) o.put("p", s.p()).put("q", s.q()).put("gamma", s.gamma());
    return o.toPrettyString();
  }
}
