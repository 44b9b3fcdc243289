package io.segmenter.serde;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde's settings, read from the map Kafka passes to {@code configure(Map, boolean)} with
 * Confluent's key names so that existing client configurations carry over unchanged. Unknown keys
 * (Kafka's own, the registry client's) are ignored. Invalid values fail fast with a
 * {@link ConfigException} naming the key.
 */
public final class AvroSerdeConfig {
  /** Registry base URL(s); needed only when no client is passed to the serde's constructor. */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  /** Register the record's schema under its subject when writing (default true). */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  /** Write with the id of the subject's latest version (default false; needs auto.register.schemas=false). */
  public static final String USE_LATEST_VERSION = "use.latest.version";
  /** Subject name strategy for record keys (default TopicNameStrategy). */
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  /** Subject name strategy for record values (default TopicNameStrategy). */
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
  /** Read into the generated class named by the writer's schema instead of a GenericRecord (default false). */
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  /** Generic records hold BigDecimal, Instant, LocalDate, UUID... for logical types (default false). */
  public static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS = "avro.use.logical.type.converters";

  private static final String CONFLUENT_STRATEGY_PACKAGE = "io.confluent.kafka.serializers.subject.";

  private final boolean autoRegisterSchemas;
  private final boolean useLatestVersion;
  private final SubjectNameStrategy keySubjectNameStrategy;
  private final SubjectNameStrategy valueSubjectNameStrategy;
  private final boolean specificAvroReader;
  private final boolean useLogicalTypeConverters;

  private AvroSerdeConfig(boolean autoRegisterSchemas, boolean useLatestVersion,
      SubjectNameStrategy keySubjectNameStrategy, SubjectNameStrategy valueSubjectNameStrategy,
      boolean specificAvroReader, boolean useLogicalTypeConverters) {
    this.autoRegisterSchemas = autoRegisterSchemas;
    this.useLatestVersion = useLatestVersion;
    this.keySubjectNameStrategy = keySubjectNameStrategy;
    this.valueSubjectNameStrategy = valueSubjectNameStrategy;
    this.specificAvroReader = specificAvroReader;
    this.useLogicalTypeConverters = useLogicalTypeConverters;
  }

  /** All defaults, as Confluent's: auto-register, TopicNameStrategy, generic reader, no converters. */
  public static AvroSerdeConfig defaults() {
    return parse(Map.of());
  }

  /** @throws ConfigException naming the key whose value is invalid */
  public static AvroSerdeConfig parse(Map<String, ?> configs) {
    boolean autoRegister = bool(configs, AUTO_REGISTER_SCHEMAS, true);
    boolean useLatest = bool(configs, USE_LATEST_VERSION, false);
    if (useLatest && autoRegister) {
      // Confluent would register and then possibly write another id; we refuse the ambiguity.
      throw new ConfigException(USE_LATEST_VERSION, true,
          "use.latest.version=true requires " + AUTO_REGISTER_SCHEMAS + "=false");
    }
    return new AvroSerdeConfig(
        autoRegister,
        useLatest,
        strategy(configs, KEY_SUBJECT_NAME_STRATEGY),
        strategy(configs, VALUE_SUBJECT_NAME_STRATEGY),
        bool(configs, SPECIFIC_AVRO_READER, false),
        bool(configs, AVRO_USE_LOGICAL_TYPE_CONVERTERS, false));
  }

  public boolean autoRegisterSchemas() {
    return autoRegisterSchemas;
  }

  public boolean useLatestVersion() {
    return useLatestVersion;
  }

  public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
    return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
  }

  public boolean specificAvroReader() {
    return specificAvroReader;
  }

  public boolean useLogicalTypeConverters() {
    return useLogicalTypeConverters;
  }

  /** How the serializer finds the id to write. */
  SchemaIdResolver.Mode idMode() {
    if (autoRegisterSchemas) {
      return SchemaIdResolver.Mode.AUTO_REGISTER;
    }
    return useLatestVersion ? SchemaIdResolver.Mode.USE_LATEST : SchemaIdResolver.Mode.LOOKUP;
  }

  /** A copy with {@code specific.avro.reader} forced, for serdes whose type says it. */
  AvroSerdeConfig withSpecificAvroReader(boolean value) {
    return new AvroSerdeConfig(autoRegisterSchemas, useLatestVersion, keySubjectNameStrategy,
        valueSubjectNameStrategy, value, useLogicalTypeConverters);
  }

  private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
    Object value = configs.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    if (value instanceof String) {
      String text = ((String) value).trim().toLowerCase(Locale.ROOT);
      if (text.equals("true")) {
        return true;
      }
      if (text.equals("false")) {
        return false;
      }
    }
    throw new ConfigException(key, value, "expected true or false");
  }

  private static SubjectNameStrategy strategy(Map<String, ?> configs, String key) {
    Object value = configs.get(key);
    if (value == null) {
      return new TopicNameStrategy();
    }
    String name = value instanceof Class ? ((Class<?>) value).getName() : String.valueOf(value).trim();
    String simple = simpleName(name);
    if (simple != null) {
      switch (simple) {
        case "TopicNameStrategy":
          return new TopicNameStrategy();
        case "RecordNameStrategy":
          return new RecordNameStrategy();
        case "TopicRecordNameStrategy":
          return new TopicRecordNameStrategy();
        default:
          break;
      }
    }
    throw new ConfigException(key, value,
        "expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy (short name, "
            + CONFLUENT_STRATEGY_PACKAGE + "* or " + AvroSerdeConfig.class.getPackageName() + ".*)");
  }

  /** The short name when {@code name} is a short name or one of the two known packages, else null. */
  private static String simpleName(String name) {
    if (name.startsWith(CONFLUENT_STRATEGY_PACKAGE)) {
      return name.substring(CONFLUENT_STRATEGY_PACKAGE.length());
    }
    String ours = AvroSerdeConfig.class.getPackageName() + ".";
    if (name.startsWith(ours)) {
      return name.substring(ours.length());
    }
    return name.indexOf('.') < 0 ? name : null;
  }

  @Override
  public String toString() {
    return "AvroSerdeConfig{" + AUTO_REGISTER_SCHEMAS + "=" + autoRegisterSchemas
        + ", " + USE_LATEST_VERSION + "=" + useLatestVersion
        + ", " + KEY_SUBJECT_NAME_STRATEGY + "=" + keySubjectNameStrategy
        + ", " + VALUE_SUBJECT_NAME_STRATEGY + "=" + valueSubjectNameStrategy
        + ", " + SPECIFIC_AVRO_READER + "=" + specificAvroReader
        + ", " + AVRO_USE_LOGICAL_TYPE_CONVERTERS + "=" + useLogicalTypeConverters + "}";
  }
}
