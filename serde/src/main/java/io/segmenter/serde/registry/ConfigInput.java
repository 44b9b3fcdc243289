package io.segmenter.serde.registry;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * What {@link ConfigDef#parse} does not do for the registry client's settings: property maps built
 * by hand hold Shorts, Doubles like 40.0, blank strings and lists, which Kafka's parser refuses or
 * trims (it trims passwords too, and echoes refused values, secrets included). {@link #normalize}
 * brings a map into the shapes ConfigDef parses, failing with this client's messages; ConfigDef
 * then applies the declared types, defaults and validators.
 */
final class ConfigInput {
  private static final int MAX_ECHOED_CHARS = 60;

  private ConfigInput() {}

  /** The one shape of this client's configuration errors: the key, quoted, then what is wrong. */
  static ConfigException invalid(String key, String problem) {
    return new ConfigException("Schema registry client config '" + key + "': " + problem);
  }

  /**
   * The settings {@code definition} declares, in the shapes it parses: whole numbers as Long or
   * Integer, lists without blank items, strings trimmed, passwords as given. Unset, null and blank
   * values are left out (the default applies); keys it does not declare are left out too, since they
   * belong to Kafka or to the serde.
   */
  static Map<String, Object> normalize(ConfigDef definition, Map<String, ?> props) {
    Map<String, Object> normalized = new HashMap<>();
    for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
      Object value = props.get(key.name);
      Object shaped = value == null ? null : shape(key, value);
      if (shaped != null) {
        normalized.put(key.name, shaped);
      }
    }
    return normalized;
  }

  private static Object shape(ConfigDef.ConfigKey key, Object value) {
    switch (key.type) {
      case LIST:
        return list(key.name, value);
      case PASSWORD:
        return password(key.name, value);
      case INT:
      case LONG:
        return wholeNumber(key, value);
      case STRING:
        String text = text(key.name, value).trim();
        return text.isEmpty() ? null : text;
      default:
        return value; // BOOLEAN and the rest: Kafka's own parsing is the rule
    }
  }

  /** A comma-separated String or a List of Strings, as Kafka's LIST type accepts; blanks dropped. */
  private static List<String> list(String key, Object value) {
    List<String> items = new ArrayList<>();
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

  /** As given: a password may start or end with spaces. Never echoed. */
  private static Password password(String key, Object value) {
    String secret = value instanceof Password p ? p.value() : text(key, value);
    return secret == null || secret.isEmpty() ? null : new Password(secret);
  }

  private static String text(String key, Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Password p) {
      return p.value();
    }
    throw invalid(key, "must be a string, found a " + typeName(value));
  }

  /** Any Integer, Long, Short or Byte, a whole Double or BigDecimal (5.0, not 5.5), or such a String. */
  private static Object wholeNumber(ConfigDef.ConfigKey key, Object value) {
    if (value instanceof String s && s.isBlank()) {
      return null;
    }
    String unit = key.validator instanceof WholeNumber range ? range.unit() : "units";
    long parsed = parseWholeNumber(key.name, value, unit);
    if (key.validator != null) {
      key.validator.ensureValid(key.name, parsed); // before narrowing: an INT setting must not wrap around
    }
    return key.type == ConfigDef.Type.INT ? (Object) Math.toIntExact(parsed) : (Object) parsed;
  }

  private static long parseWholeNumber(String key, Object value, String unit) {
    try {
      if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
        return ((Number) value).longValue();
      }
      if (value instanceof Number n) {
        return new BigDecimal(n.toString()).longValueExact();
      }
      if (value instanceof String s) {
        return Long.parseLong(s.trim());
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // fall through to the common message
    }
    throw invalid(key, "must be a whole number of " + unit + ", got '" + echo(value) + "'");
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
