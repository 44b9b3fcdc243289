package io.segmenter.serde.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * One of a few words, in any case (Kafka's {@code CaseInsensitiveValidString}, with this client's
 * messages); some other words may be refused with an explanation of their own. Null passes: the
 * setting is unset.
 */
final class OneOf implements ConfigDef.Validator {
  private final List<String> choices;
  private final Map<String, String> refusals = new LinkedHashMap<>();

  private OneOf(List<String> choices) {
    this.choices = choices;
  }

  /** Choices in upper case. */
  static OneOf of(String... choices) {
    return new OneOf(List.of(choices));
  }

  /** Refuses {@code word} (upper case) saying {@code why}, instead of only listing the choices. */
  OneOf refusing(String word, String why) {
    refusals.put(word, why);
    return this;
  }

  @Override
  public void ensureValid(String name, Object value) {
    if (value == null) {
      return;
    }
    String word = value.toString().trim().toUpperCase(Locale.ROOT);
    if (choices.contains(word)) {
      return;
    }
    String why = refusals.get(word);
    throw ConfigInput.invalid(name, why != null ? why : "'" + value + "' is not supported; use " + this);
  }

  @Override
  public String toString() {
    return String.join(" or ", choices);
  }
}
