package io.segmenter.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.segmenter.serde.registry.CompatibilityLevel;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the Confluent Schema Registry REST subset to {@link SchemaStore} and turns its answers and
 * {@link RegistryException}s into Confluent-shaped JSON responses.
 */
final class RegistryHttpHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

  /** A routed answer: status and a body Jackson can serialize. */
  private record Response(int status, Object body) {
    static Response ok(Object body) {
      return new Response(200, body);
    }
  }

  private final SchemaStore store;

  RegistryHttpHandler(SchemaStore store) {
    this.store = store;
  }

  @Override
  public void handle(HttpExchange httpExchange) {
    try {
      JsonExchange exchange = new JsonExchange(httpExchange);
      try {
        Response response = route(exchange);
        exchange.sendJson(response.status(), response.body());
      } catch (RegistryException e) {
        exchange.sendError(e.httpStatus(), e.errorCode(), e.getMessage(), Map.of());
      } catch (RuntimeException e) {
        // Never the request body in logs: it may hold customer schemas; method and path suffice.
        LOG.warn(
            "Embedded schema registry failed on {} {}",
            httpExchange.getRequestMethod(),
            httpExchange.getRequestURI().getRawPath(),
            e);
        exchange.sendError(500, 50001, "Internal server error", Map.of());
      }
    } catch (IOException e) {
      // The client went away mid-exchange; nothing to answer and not a server fault.
      LOG.debug("Embedded schema registry could not answer: {}", e.toString());
    } finally {
      httpExchange.close();
    }
  }

  private Response route(JsonExchange ex) throws IOException {
    List<String> path = ex.segments();
    if (path.isEmpty()) {
      requireMethod(ex, "GET");
      return Response.ok(Map.of()); // Confluent answers GET / with {}: handy as a health check
    }
    switch (path.get(0)) {
      case "subjects":
        return subjects(ex, path);
      case "schemas":
        return schemas(ex, path);
      case "compatibility":
        return compatibility(ex, path);
      case "config":
        return config(ex, path);
      default:
        throw RegistryException.notFound();
    }
  }

  private Response subjects(JsonExchange ex, List<String> path) throws IOException {
    if (path.size() == 1) {
      requireMethod(ex, "GET");
      return Response.ok(store.subjects());
    }
    String subject = path.get(1);
    if (path.size() == 2) {
      switch (ex.method()) {
        case "POST":
          return Response.ok(versionBody(store.lookup(subject, schemaFrom(ex.jsonBody()))));
        case "DELETE":
          return Response.ok(store.deleteSubject(subject));
        default:
          throw RegistryException.methodNotAllowed();
      }
    }
    if (!"versions".equals(path.get(2))) {
      throw RegistryException.notFound();
    }
    if (path.size() == 3) {
      switch (ex.method()) {
        case "GET":
          return Response.ok(store.versions(subject));
        case "POST":
          return Response.ok(Map.of("id", store.register(subject, schemaFrom(ex.jsonBody()))));
        default:
          throw RegistryException.methodNotAllowed();
      }
    }
    String version = path.get(3);
    if (path.size() == 4) {
      switch (ex.method()) {
        case "GET":
          return Response.ok(versionBody(store.version(subject, version)));
        case "DELETE":
          return Response.ok(store.deleteVersion(subject, version));
        default:
          throw RegistryException.methodNotAllowed();
      }
    }
    if (path.size() == 5 && "schema".equals(path.get(4))) {
      requireMethod(ex, "GET");
      return Response.ok(JsonExchange.rawJson(store.version(subject, version).schema()));
    }
    throw RegistryException.notFound();
  }

  private Response schemas(JsonExchange ex, List<String> path) {
    if (path.size() == 2 && "types".equals(path.get(1))) {
      requireMethod(ex, "GET");
      return Response.ok(List.of("AVRO"));
    }
    if (path.size() < 3 || path.size() > 4 || !"ids".equals(path.get(1))) {
      throw RegistryException.notFound();
    }
    int id = parseId(path.get(2));
    if (path.size() == 3) {
      requireMethod(ex, "GET");
      // schemaType is omitted for AVRO, like Confluent.
      return Response.ok(Map.of("schema", store.schemaById(id)));
    }
    switch (path.get(3)) {
      case "versions":
        requireMethod(ex, "GET");
        return Response.ok(
            store.subjectVersionsOfId(id).stream()
                .map(v -> {
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("subject", v.subject());
                  body.put("version", v.version());
                  return body;
                })
                .toList());
      case "schema":
        requireMethod(ex, "GET");
        return Response.ok(JsonExchange.rawJson(store.schemaById(id)));
      default:
        throw RegistryException.notFound();
    }
  }

  private Response compatibility(JsonExchange ex, List<String> path) throws IOException {
    boolean matches =
        (path.size() == 4 || path.size() == 5) && "subjects".equals(path.get(1)) && "versions".equals(path.get(3));
    if (!matches) {
      throw RegistryException.notFound();
    }
    requireMethod(ex, "POST");
    String subject = path.get(2);
    String version = path.size() == 5 ? path.get(4) : null;
    if (version != null) {
      SchemaStore.parseVersion(version); // 42202 before looking at the body, as Confluent does
    }
    List<String> messages = store.checkCompatibility(subject, version, schemaFrom(ex.jsonBody()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("is_compatible", messages.isEmpty());
    if (ex.queryFlag("verbose")) {
      body.put("messages", messages);
    }
    return Response.ok(body);
  }

  private Response config(JsonExchange ex, List<String> path) throws IOException {
    if (path.size() == 1) {
      switch (ex.method()) {
        case "GET":
          return Response.ok(Map.of("compatibilityLevel", store.globalLevel().name()));
        case "PUT":
          CompatibilityLevel level = levelFrom(ex.jsonBody());
          store.setGlobalLevel(level);
          return Response.ok(Map.of("compatibility", level.name()));
        default:
          throw RegistryException.methodNotAllowed();
      }
    }
    if (path.size() != 2) {
      throw RegistryException.notFound();
    }
    String subject = path.get(1);
    switch (ex.method()) {
      case "GET":
        CompatibilityLevel level =
            store
                .subjectLevel(subject)
                .or(() -> ex.queryFlag("defaultToGlobal") ? Optional.of(store.globalLevel()) : Optional.empty())
                .orElseThrow(
                    () ->
                        new RegistryException(
                            404,
                            40408,
                            "Subject '" + subject + "' does not have subject-level compatibility configured"));
        return Response.ok(Map.of("compatibilityLevel", level.name()));
      case "PUT":
        CompatibilityLevel newLevel = levelFrom(ex.jsonBody());
        store.setSubjectLevel(subject, newLevel);
        return Response.ok(Map.of("compatibility", newLevel.name()));
      case "DELETE":
        return Response.ok(Map.of("compatibilityLevel", store.deleteSubjectLevel(subject).name()));
      default:
        throw RegistryException.methodNotAllowed();
    }
  }

  /** The "schema" of a register/lookup/compatibility body, refusing what this registry cannot hold. */
  private static String schemaFrom(JsonNode body) {
    JsonNode schemaType = body.get("schemaType");
    if (schemaType != null && !schemaType.isNull() && !"AVRO".equalsIgnoreCase(schemaType.asText())) {
      throw RegistryException.invalidSchema(
          "schema type " + schemaType.asText() + " is not supported; the embedded registry supports only AVRO");
    }
    JsonNode references = body.get("references");
    if (references != null && !references.isNull() && !(references.isArray() && references.isEmpty())) {
      throw RegistryException.invalidSchema("schema references are not supported by the embedded registry");
    }
    JsonNode schema = body.get("schema");
    if (schema == null || schema.isNull()) {
      throw RegistryException.invalidSchema("empty schema");
    }
    if (!schema.isTextual()) {
      throw RegistryException.invalidSchema("\"schema\" must be a JSON string holding the Avro schema");
    }
    return schema.asText();
  }

  private static CompatibilityLevel levelFrom(JsonNode body) {
    // Confluent's request field is "compatibility"; some clients send "compatibilityLevel".
    JsonNode value = body.hasNonNull("compatibility") ? body.get("compatibility") : body.get("compatibilityLevel");
    String text = value == null || value.isNull() ? "" : value.asText();
    try {
      return CompatibilityLevel.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RegistryException.invalidCompatibilityLevel(text);
    }
  }

  private static Map<String, Object> versionBody(SchemaStore.SubjectVersion v) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", v.subject());
    body.put("version", v.version());
    body.put("id", v.id());
    body.put("schema", v.schema());
    return body;
  }

  private static int parseId(String id) {
    try {
      return Integer.parseInt(id);
    } catch (NumberFormatException e) {
      throw RegistryException.notFound(); // Jersey's answer to a non-integer path parameter
    }
  }

  private static void requireMethod(JsonExchange ex, String method) {
    if (!method.equals(ex.method())) {
      throw RegistryException.methodNotAllowed();
    }
  }
}
