package io.segmenter.serde;

import io.segmenter.serde.registry.SchemaRegistryClientConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde's settings, read from the map Kafka passes to {@code configure(Map, boolean)} with
 * Confluent's key names so that existing client configurations carry over unchanged. Unknown keys
 * (Kafka's own, the registry client's) are ignored. Invalid values fail fast with a
 * {@link ConfigException} naming the key.
 *
 * <p>The registry client's settings ({@code schema.registry.url}, credentials, TLS, timeouts) are
 * {@link SchemaRegistryClientConfig}'s: a serde that creates its own client passes it the same map.
 */
public final class AvroSerdeConfig extends AbstractConfig {
  public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
  private static final String AUTO_REGISTER_SCHEMAS_DOC = "Register the record's schema under its subject when "
      + "writing. Off: the schema must be registered already (or see use.latest.version).";
  public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
  private static final String USE_LATEST_VERSION_DOC = "Write with the id of the subject's latest version, if the "
      + "record's schema has its parsing canonical form; needs auto.register.schemas=false.";
  public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
  private static final String KEY_SUBJECT_NAME_STRATEGY_DOC = "How the subject of a record key is named.";
  public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";
  private static final String VALUE_SUBJECT_NAME_STRATEGY_DOC = "How the subject of a record value is named.";
  public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
  private static final String SPECIFIC_AVRO_READER_DOC = "Read into the generated class named by the writer's "
      + "schema instead of a GenericRecord. Deserializers given a class or a reader schema, and GenericAvroSerde, "
      + "ignore it.";
  public static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG = "avro.use.logical.type.converters";
  private static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS_DOC = "Generic records hold BigDecimal, Instant, "
      + "LocalDate, UUID... for logical types instead of their Avro representation.";

  private static final ConfigDef CONFIG = new ConfigDef()
      .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
      .define(USE_LATEST_VERSION_CONFIG, Type.BOOLEAN, false, Importance.LOW, USE_LATEST_VERSION_DOC)
      .define(KEY_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, SubjectNameStrategies.DEFAULT,
          SubjectNameStrategies.VALIDATOR, Importance.MEDIUM, KEY_SUBJECT_NAME_STRATEGY_DOC)
      .define(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, SubjectNameStrategies.DEFAULT,
          SubjectNameStrategies.VALIDATOR, Importance.MEDIUM, VALUE_SUBJECT_NAME_STRATEGY_DOC)
      .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, false, Importance.LOW, SPECIFIC_AVRO_READER_DOC)
      .define(AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, Type.BOOLEAN, false, Importance.LOW,
          AVRO_USE_LOGICAL_TYPE_CONVERTERS_DOC);

  private final SubjectNameStrategy keySubjectNameStrategy;
  private final SubjectNameStrategy valueSubjectNameStrategy;

  private AvroSerdeConfig(Map<String, ?> configs) {
    super(CONFIG, ownSettings(configs), false);
    if (useLatestVersion() && autoRegisterSchemas()) {
      // Confluent would register and then possibly write another id; we refuse the ambiguity.
      throw new ConfigException(USE_LATEST_VERSION_CONFIG, true,
          "use.latest.version=true requires " + AUTO_REGISTER_SCHEMAS_CONFIG + "=false");
    }
    this.keySubjectNameStrategy = SubjectNameStrategies.named(getString(KEY_SUBJECT_NAME_STRATEGY_CONFIG));
    this.valueSubjectNameStrategy = SubjectNameStrategies.named(getString(VALUE_SUBJECT_NAME_STRATEGY_CONFIG));
  }

  /** All defaults, as Confluent's: auto-register, TopicNameStrategy, generic reader, no converters. */
  public static AvroSerdeConfig defaults() {
    return parse(Map.of());
  }

  /** @throws ConfigException naming the key whose value is invalid */
  public static AvroSerdeConfig parse(Map<String, ?> configs) {
    return new AvroSerdeConfig(configs);
  }

  /** The settings this class reads (a copy): names, types, defaults, validators and docs. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  public boolean autoRegisterSchemas() {
    return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
  }

  public boolean useLatestVersion() {
    return getBoolean(USE_LATEST_VERSION_CONFIG);
  }

  public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
    return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
  }

  public boolean specificAvroReader() {
    return getBoolean(SPECIFIC_AVRO_READER_CONFIG);
  }

  public boolean useLogicalTypeConverters() {
    return getBoolean(AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG);
  }

  /** How the serializer finds the id to write. */
  SchemaIdResolver.Mode idMode() {
    if (autoRegisterSchemas()) {
      return SchemaIdResolver.Mode.AUTO_REGISTER;
    }
    return useLatestVersion() ? SchemaIdResolver.Mode.USE_LATEST : SchemaIdResolver.Mode.LOOKUP;
  }

  /** A copy with {@code specific.avro.reader} forced, for serdes whose type says it. */
  AvroSerdeConfig withSpecificAvroReader(boolean value) {
    Map<String, Object> configs = originals();
    configs.put(SPECIFIC_AVRO_READER_CONFIG, value);
    return new AvroSerdeConfig(configs);
  }

  /**
   * Only this class's keys, so that AbstractConfig neither keeps nor acts on the others (the Kafka
   * client that passed the map has resolved any config providers already). Null means unset, as it
   * always did; a strategy may be given as a Class, which ConfigDef's STRING type would refuse.
   */
  private static Map<String, Object> ownSettings(Map<String, ?> configs) {
    Map<String, Object> own = new HashMap<>();
    for (String name : CONFIG.names()) {
      Object value = configs.get(name);
      if (value != null) {
        own.put(name, value instanceof Class<?> type ? type.getName() : value);
      }
    }
    return own;
  }

  @Override
  public String toString() {
    return "AvroSerdeConfig{" + AUTO_REGISTER_SCHEMAS_CONFIG + "=" + autoRegisterSchemas()
        + ", " + USE_LATEST_VERSION_CONFIG + "=" + useLatestVersion()
        + ", " + KEY_SUBJECT_NAME_STRATEGY_CONFIG + "=" + keySubjectNameStrategy
        + ", " + VALUE_SUBJECT_NAME_STRATEGY_CONFIG + "=" + valueSubjectNameStrategy
        + ", " + SPECIFIC_AVRO_READER_CONFIG + "=" + specificAvroReader()
        + ", " + AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG + "=" + useLogicalTypeConverters() + "}";
  }
}
