package io.segmenter.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Reads the fields the client needs from registry answers, ignoring any others (Apicurio and
 * Confluent add some), and refuses answers it cannot use with a clear message.
 */
final class RegistryAnswers {
  private RegistryAnswers() {}

  static int intField(JsonNode answer, String field, String request) {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
      throw RegistryErrors.unusableAnswer(request, "no integer \"" + field + "\" in the answer");
    }
    return value.asInt();
  }

  static boolean booleanField(JsonNode answer, String field, String request) {
    JsonNode value = answer.get(field);
    if (value == null || !value.isBoolean()) {
      throw RegistryErrors.unusableAnswer(request, "no boolean \"" + field + "\" in the answer");
    }
    return value.asBoolean();
  }

  /** The "schema" text of an answer, after checking it is an Avro schema without references. */
  static String schemaText(JsonNode answer, String request) {
    JsonNode type = answer.get("schemaType");
    if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
      throw RegistryErrors.unusableAnswer(
          request, "schema type " + type.asText() + " is not supported; this client handles AVRO schemas only");
    }
    JsonNode references = answer.get("references");
    if (references != null && references.isArray() && !references.isEmpty()) {
      throw RegistryErrors.unusableAnswer(request, "schema references are not supported by this client");
    }
    JsonNode schema = answer.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw RegistryErrors.unusableAnswer(request, "no \"schema\" string in the answer");
    }
    return schema.asText();
  }

  /** Parses with a fresh parser: a Schema.Parser remembers named types and would refuse redefinitions. */
  static Schema parseSchema(String text, String request) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw RegistryErrors.unusableAnswer(request, "the schema is not valid Avro: " + e.getMessage());
    }
  }

  static List<Integer> intList(JsonNode answer, String request) {
    List<Integer> result = new ArrayList<>();
    for (JsonNode item : array(answer, request)) {
      if (!item.canConvertToInt() || !item.isIntegralNumber()) {
        throw RegistryErrors.unusableAnswer(request, "expected a JSON array of integers");
      }
      result.add(item.asInt());
    }
    return List.copyOf(result);
  }

  static List<String> stringList(JsonNode answer, String request) {
    List<String> result = new ArrayList<>();
    for (JsonNode item : array(answer, request)) {
      if (!item.isTextual()) {
        throw RegistryErrors.unusableAnswer(request, "expected a JSON array of strings");
      }
      result.add(item.asText());
    }
    return List.copyOf(result);
  }

  /** A compatibility level from "compatibilityLevel" (GET answers) or "compatibility" (PUT answers). */
  static CompatibilityLevel compatibility(JsonNode answer, String request) {
    JsonNode value = answer.hasNonNull("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
    if (value == null || !value.isTextual()) {
      throw RegistryErrors.unusableAnswer(request, "no \"compatibilityLevel\" in the answer");
    }
    try {
      return CompatibilityLevel.valueOf(value.asText().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RegistryErrors.unusableAnswer(request, "unknown compatibility level '" + value.asText() + "'");
    }
  }

  private static JsonNode array(JsonNode answer, String request) {
    if (!answer.isArray()) {
      throw RegistryErrors.unusableAnswer(request, "expected a JSON array");
    }
    return answer;
  }
}
