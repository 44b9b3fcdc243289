package io.segmenter.serde.registry;

import static io.segmenter.serde.registry.SchemaRegistryException.INCOMPATIBLE_SCHEMA;
import static io.segmenter.serde.registry.SchemaRegistryException.INVALID_SCHEMA;
import static io.segmenter.serde.registry.SchemaRegistryException.SCHEMA_NOT_FOUND;
import static io.segmenter.serde.registry.SchemaRegistryException.SUBJECT_NOT_FOUND;
import static io.segmenter.serde.registry.SchemaRegistryException.VERSION_NOT_FOUND;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.serde.registry.ScriptedRegistry.Received;
import io.segmenter.serde.registry.ScriptedRegistry.Reply;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A small schema registry for the client's and the serde's tests: the Confluent REST calls the
 * client makes, answered from memory over real HTTP or HTTPS (a {@link ScriptedRegistry}), with
 * Confluent's JSON shapes, status codes and error codes. Ids are global per schema, versions per
 * subject; a new version is checked with Avro's own reader/writer rules at the subject's level
 * (BACKWARD unless set otherwise); Basic auth is optional. Counts requests.
 *
 * <p>A test double: the serde module cannot use segmenter's registry (tools' EmbeddedSchemaRegistry,
 * which the service's own tests run against), and the client meets a third-party registry in
 * ApicurioRegistryIT.
 */
public final class MiniRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String authorization; // the exact header to require; null: no authentication
  private final Map<String, Integer> idsBySchema = new HashMap<>();
  private final Map<Integer, String> schemasById = new HashMap<>();
  private final Map<String, List<Integer>> idsBySubject = new LinkedHashMap<>(); // version n = index n - 1
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private final ScriptedRegistry server;

  private MiniRegistry(String userInfo, SSLContext tls) {
    this.authorization = userInfo == null ? null : RegistryUrls.basicAuthorization(userInfo);
    this.server =
        tls == null ? ScriptedRegistry.start(this::answer) : ScriptedRegistry.startHttps(tls, false, this::answer);
  }

  /** Plain HTTP on a free loopback port, no authentication. */
  public static MiniRegistry start() {
    return new MiniRegistry(null, null);
  }

  /** Answers 401 to every request without {@code user:password} as Basic auth. */
  public static MiniRegistry startWithBasicAuth(String user, String password) {
    return new MiniRegistry(user + ":" + password, null);
  }

  /** HTTPS with the server certificate of {@code context}. */
  public static MiniRegistry startHttps(SSLContext context) {
    return new MiniRegistry(null, context);
  }

  /** http(s)://127.0.0.1:port */
  public String url() {
    return server.url();
  }

  public int port() {
    return URI.create(server.url()).getPort();
  }

  /** Requests received, refused ones included. */
  public int requestCount() {
    return server.requestCount();
  }

  public void resetRequestCount() {
    server.resetRequestCount();
  }

  @Override
  public void close() {
    server.close();
  }

  private synchronized Reply answer(Received request, int number) {
    if (authorization != null && !authorization.equals(request.header("Authorization"))) {
      return Reply.error(401, 401, "Unauthorized");
    }
    try {
      return Reply.json(200, JSON.writeValueAsString(route(request, segments(request.rawPath()))));
    } catch (Refusal refusal) {
      return Reply.error(refusal.status, refusal.errorCode, refusal.getMessage());
    } catch (NumberFormatException e) {
      return Reply.error(404, 404, "HTTP 404 Not Found"); // Jersey's answer to a non-integer id or version
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Object route(Received request, List<String> path) {
    String call = request.method() + " " + (path.isEmpty() ? "" : path.get(0)) + "/" + path.size();
    switch (call) {
      case "GET subjects/1":
        return idsBySubject.keySet();
      case "POST subjects/2":
        return lookup(path.get(1), schemaOf(request));
      case "GET subjects/3":
        return versionNumbers(path.get(1));
      case "POST subjects/3":
        return Map.of("id", register(path.get(1), schemaOf(request)));
      case "GET subjects/4":
        return version(path.get(1), path.get(3));
      case "GET schemas/3":
        return Map.of("schema", schemaById(Integer.parseInt(path.get(2))));
      case "POST compatibility/5":
        return Map.of("is_compatible", compatible(path.get(2), schemaOf(request)));
      case "GET config/1":
        return Map.of("compatibilityLevel", globalLevel.name());
      case "PUT config/1":
        globalLevel = levelOf(request);
        return Map.of("compatibility", globalLevel.name());
      case "GET config/2":
        return Map.of("compatibilityLevel", subjectLevel(path.get(1), request.rawQuery()).name());
      case "PUT config/2":
        subjectLevels.put(path.get(1), levelOf(request));
        return Map.of("compatibility", subjectLevels.get(path.get(1)).name());
      default:
        throw new Refusal(404, 404, "HTTP 404 Not Found");
    }
  }

  private int register(String subject, Schema schema) {
    String text = schema.toString();
    List<Integer> ids = idsBySubject.getOrDefault(subject, List.of());
    Integer known = idsBySchema.get(text);
    if (known != null && ids.contains(known)) {
      return known;
    }
    if (!compatible(subject, schema)) {
      throw new Refusal(409, INCOMPATIBLE_SCHEMA,
          "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\"");
    }
    int id = idsBySchema.computeIfAbsent(text, t -> idsBySchema.size() + 1);
    schemasById.put(id, text);
    idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    return id;
  }

  private Map<String, Object> lookup(String subject, Schema schema) {
    List<Integer> ids = requireSubject(subject);
    int index = ids.indexOf(idsBySchema.get(schema.toString()));
    if (index < 0) {
      throw new Refusal(404, SCHEMA_NOT_FOUND, "Schema not found");
    }
    return versionBody(subject, index + 1, ids.get(index));
  }

  private List<Integer> versionNumbers(String subject) {
    List<Integer> numbers = new ArrayList<>();
    for (int v = 1; v <= requireSubject(subject).size(); v++) {
      numbers.add(v);
    }
    return numbers;
  }

  private Map<String, Object> version(String subject, String version) {
    List<Integer> ids = requireSubject(subject);
    int number = version.equals("latest") ? ids.size() : Integer.parseInt(version);
    if (number < 1 || number > ids.size()) {
      throw new Refusal(404, VERSION_NOT_FOUND, "Version " + version + " not found.");
    }
    return versionBody(subject, number, ids.get(number - 1));
  }

  private String schemaById(int id) {
    String schema = schemasById.get(id);
    if (schema == null) {
      throw new Refusal(404, SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }
    return schema;
  }

  /** Against the latest version, or every version for the _TRANSITIVE levels; true for a new subject. */
  private boolean compatible(String subject, Schema candidate) {
    CompatibilityLevel level = subjectLevels.getOrDefault(subject, globalLevel);
    List<Integer> ids = idsBySubject.getOrDefault(subject, List.of());
    if (level == CompatibilityLevel.NONE || ids.isEmpty()) {
      return true;
    }
    List<Integer> against = level.name().endsWith("_TRANSITIVE") ? ids : ids.subList(ids.size() - 1, ids.size());
    for (int id : against) {
      Schema old = new Schema.Parser().parse(schemasById.get(id));
      boolean backward = canRead(candidate, old);
      boolean forward = canRead(old, candidate);
      boolean ok = level.name().startsWith("BACKWARD") ? backward
          : level.name().startsWith("FORWARD") ? forward : backward && forward;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private CompatibilityLevel subjectLevel(String subject, String query) {
    CompatibilityLevel level = subjectLevels.get(subject);
    if (level == null && query != null && Arrays.asList(query.split("&")).contains("defaultToGlobal=true")) {
      level = globalLevel;
    }
    if (level == null) {
      throw new Refusal(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }
    return level;
  }

  private List<Integer> requireSubject(String subject) {
    List<Integer> ids = idsBySubject.get(subject);
    if (ids == null) {
      throw new Refusal(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }
    return ids;
  }

  private Map<String, Object> versionBody(String subject, int version, int id) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", subject);
    body.put("version", version);
    body.put("id", id);
    body.put("schema", schemasById.get(id));
    return body;
  }

  private static boolean canRead(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
        == SchemaCompatibilityType.COMPATIBLE;
  }

  private static Schema schemaOf(Received request) {
    try {
      return new Schema.Parser().parse(body(request).path("schema").asText());
    } catch (RuntimeException e) {
      throw new Refusal(422, INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
    }
  }

  private static CompatibilityLevel levelOf(Received request) {
    String level = body(request).path("compatibility").asText();
    try {
      return CompatibilityLevel.valueOf(level.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Refusal(422, 42203, "Invalid compatibility level '" + level + "'");
    }
  }

  private static JsonNode body(Received request) {
    try {
      JsonNode body = JSON.readTree(request.body());
      return body == null ? JSON.createObjectNode() : body;
    } catch (JsonProcessingException e) {
      throw new Refusal(400, 400, "Malformed JSON");
    }
  }

  /** The path's segments, each percent-decoded ('+' is a plus in a path, not a space). */
  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/")) {
      if (!raw.isEmpty()) {
        segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  /** A refusal in Confluent's terms: HTTP status, error_code and message. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final int errorCode;

    Refusal(int status, int errorCode, String message) {
      super(message);
      this.status = status;
      this.errorCode = errorCode;
    }
  }
}
