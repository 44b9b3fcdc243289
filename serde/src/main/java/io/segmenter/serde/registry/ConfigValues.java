package io.segmenter.serde.registry;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Typed reads from a Kafka-style property map, whose values may be Strings, Numbers, Lists or
 * Kafka {@link Password}s depending on who built the map. Every failure is a {@link
 * ConfigException} naming the key; secret values are never echoed.
 */
final class ConfigValues {
  private static final int MAX_ECHOED_CHARS = 60;

  private final Map<String, ?> props;

  ConfigValues(Map<String, ?> props) {
    this.props = props;
  }

  static ConfigException invalid(String key, String problem) {
    return new ConfigException("Schema registry client config '" + key + "': " + problem);
  }

  boolean isSet(String key) {
    Object value = props.get(key);
    return value != null && !(value instanceof String s && s.isBlank());
  }

  /** A non-blank, trimmed string value; not for secrets (the value may appear in messages). */
  Optional<String> string(String key) {
    return text(key).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** A secret: returned as given (passwords may start or end with spaces), never echoed. */
  Optional<String> secret(String key) {
    return text(key).filter(s -> !s.isEmpty());
  }

  /** A comma-separated String or a List of Strings, as Kafka's LIST type accepts; blanks dropped. */
  List<String> list(String key) {
    Object value = props.get(key);
    List<String> items = new ArrayList<>();
    if (value == null) {
      return items;
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof String s)) {
          throw invalid(key, "must be a list of strings, found a " + typeName(item));
        }
        addItems(s, items);
      }
    } else if (value instanceof String s) {
      addItems(s, items);
    } else {
      throw invalid(key, "must be a comma-separated string, found a " + typeName(value));
    }
    return items;
  }

  /** A whole number within [min, max]; absent or blank gives {@code defaultValue}. */
  long number(String key, long defaultValue, long min, long max, String unit) {
    Object value = props.get(key);
    if (value == null || (value instanceof String s && s.isBlank())) {
      return defaultValue;
    }
    long parsed = parseWholeNumber(key, value, unit);
    if (parsed < min || parsed > max) {
      throw invalid(key, "must be between " + min + " and " + max + " " + unit + ", got " + parsed);
    }
    return parsed;
  }

  private static long parseWholeNumber(String key, Object value, String unit) {
    try {
      if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
        return ((Number) value).longValue();
      }
      if (value instanceof Number n) {
        return new BigDecimal(n.toString()).longValueExact(); // 5.0 is fine, 5.5 is not
      }
      if (value instanceof String s) {
        return Long.parseLong(s.trim());
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // fall through to the common message
    }
    throw invalid(key, "must be a whole number of " + unit + ", got '" + echo(value) + "'");
  }

  private Optional<String> text(String key) {
    Object value = props.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String s) {
      return Optional.of(s);
    }
    if (value instanceof Password p) {
      return Optional.ofNullable(p.value());
    }
    throw invalid(key, "must be a string, found a " + typeName(value));
  }

  private static void addItems(String commaSeparated, List<String> items) {
    for (String item : commaSeparated.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
  }

  private static String typeName(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName();
  }

  private static String echo(Object value) {
    String text = String.valueOf(value);
    return text.length() <= MAX_ECHOED_CHARS ? text : text.substring(0, MAX_ECHOED_CHARS) + "...";
  }
}
