package io.segmenter.serde;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.UnresolvedUnionException;

/**
 * Describes why Avro refused to write a record, naming the field when Avro's message does, without
 * quoting the record's values: Avro's ClassCastException summary embeds {@code datum.toString()},
 * and exception messages end up in logs. Hence the original exception is not kept as the cause
 * either.
 */
final class InvalidRecordMessages {
  /** Avro: "value <datum> (a <class>) cannot be cast to expected type <type> at <path>". */
  private static final Pattern CAST =
      Pattern.compile("^value .* \\(a ([\\w.$\\[\\]]+)\\) cannot be cast to expected type (.*?)(?: at (.*))?$",
          Pattern.DOTALL);
  /** Avro decimal conversion messages carry only scales and precisions. */
  private static final Pattern DECIMAL = Pattern.compile("^Cannot encode decimal with (?:scale|precision) .*", Pattern.DOTALL);
  /** Avro's NullPointerException summary: "null value for (non-nullable) <type> at <path>". */
  private static final Pattern NULL_VALUE = Pattern.compile("^null value for .*", Pattern.DOTALL);

  private InvalidRecordMessages() {}

  static String describe(Schema schema, Throwable e) {
    String what = "record of " + schema.getFullName() + " does not fit its schema: ";
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof NullPointerException && NULL_VALUE.matcher(message).matches()) {
      return what + message;
    }
    if (e instanceof ClassCastException) {
      Matcher cast = CAST.matcher(message);
      if (cast.matches()) {
        return what + "a " + cast.group(1) + " cannot be written as " + cast.group(2)
            + (cast.group(3) != null ? " at " + cast.group(3) : "");
      }
    }
    if (e instanceof UnresolvedUnionException) {
      // Avro's message names the union and the datum's class only.
      return what + message;
    }
    if (DECIMAL.matcher(message).matches()) {
      return what + message;
    }
    return what + e.getClass().getName() + pathOf(schema, message);
  }

  /** The " at Record.field..." suffix Avro appends to traced exceptions, if any. */
  private static String pathOf(Schema schema, String message) {
    int at = message.lastIndexOf(" at " + schema.getName());
    return at >= 0 ? message.substring(at) : "";
  }
}
