package io.segmenter.serde.registry;

import org.apache.kafka.common.config.ConfigDef;

/**
 * A whole number in [min, max] of some unit: the check Kafka's {@code Range} makes, with the unit in
 * the message (e.g. "seconds (-1 = forever)"). Null passes: the setting is unset.
 */
final class WholeNumber implements ConfigDef.Validator {
  private final long min;
  private final long max;
  private final String unit;

  private WholeNumber(long min, long max, String unit) {
    this.min = min;
    this.max = max;
    this.unit = unit;
  }

  static WholeNumber between(long min, long max, String unit) {
    return new WholeNumber(min, max, unit);
  }

  String unit() {
    return unit;
  }

  @Override
  public void ensureValid(String name, Object value) {
    if (value == null) {
      return;
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw ConfigInput.invalid(name, "must be between " + min + " and " + max + " " + unit + ", got " + number);
    }
  }

  @Override
  public String toString() {
    return "[" + min + ",...," + max + "] " + unit;
  }
}
