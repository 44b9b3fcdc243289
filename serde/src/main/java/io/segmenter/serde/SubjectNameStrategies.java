package io.segmenter.serde;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The subject name strategies a setting may name: by short name, by Confluent's class name (so that
 * Confluent configurations carry over) or by ours. Confluent's classes are not on the class path,
 * hence names rather than ConfigDef's CLASS type.
 */
final class SubjectNameStrategies {
  static final String DEFAULT = "TopicNameStrategy";
  private static final String CONFLUENT_PACKAGE = "io.confluent.kafka.serializers.subject.";
  private static final String OUR_PACKAGE = SubjectNameStrategies.class.getPackageName() + ".";

  /** Refuses names of no known strategy, naming the setting. */
  static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || named(value.toString()) == null) {
        throw new ConfigException(name, value, "expected " + this);
      }
    }

    @Override
    public String toString() {
      return "TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy (short name, " + CONFLUENT_PACKAGE
          + "* or " + OUR_PACKAGE + "*)";
    }
  };

  private SubjectNameStrategies() {}

  /** A new strategy of that name, or null if there is none. */
  static SubjectNameStrategy named(String name) {
    String simple = simpleName(name.trim());
    if (simple == null) {
      return null;
    }
    switch (simple) {
      case "TopicNameStrategy":
        return new TopicNameStrategy();
      case "RecordNameStrategy":
        return new RecordNameStrategy();
      case "TopicRecordNameStrategy":
        return new TopicRecordNameStrategy();
      default:
        return null;
    }
  }

  /** The short name when {@code name} is a short name or one of the two known packages, else null. */
  private static String simpleName(String name) {
    if (name.startsWith(CONFLUENT_PACKAGE)) {
      return name.substring(CONFLUENT_PACKAGE.length());
    }
    if (name.startsWith(OUR_PACKAGE)) {
      return name.substring(OUR_PACKAGE.length());
    }
    return name.indexOf('.') < 0 ? name : null;
  }
}
