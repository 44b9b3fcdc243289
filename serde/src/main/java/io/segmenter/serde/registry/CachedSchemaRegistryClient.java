package io.segmenter.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API, caching both ways so
 * that serializing and deserializing make no HTTP calls after first use:
 *
 * <ul>
 *   <li>id to schema: forever (ids are immutable);
 *   <li>(subject, schema) to id: filled by {@link #register} and {@link #getId}, forever, at most
 *       {@code max.schemas.per.subject} per subject;
 *   <li>a subject's versions: forever (a version number always names the same schema);
 *   <li>a subject's latest version: for {@code latest.cache.ttl.sec} (-1 forever, 0 not cached),
 *       and forgotten when this client registers a schema under the subject.
 * </ul>
 *
 * <p>Subjects, version lists and compatibility settings change under the client's feet and are
 * always fetched. Thread-safe; cache hits take no lock.
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SchemaRegistryClientConfig config;
  private final RestTransport transport;
  private final LongSupplier nanoClock;
  private final long latestTtlNanos; // negative: forever
  private final IntKeyedCache<Schema> schemasById = new IntKeyedCache<>();
  private final ConcurrentHashMap<String, SubjectCache> subjects = new ConcurrentHashMap<>();

  public CachedSchemaRegistryClient(SchemaRegistryClientConfig config) {
    this(config, System::nanoTime);
  }

  /** With a clock to test the latest-version TTL without waiting. */
  CachedSchemaRegistryClient(SchemaRegistryClientConfig config, LongSupplier nanoClock) {
    this.config = Objects.requireNonNull(config, "config");
    this.nanoClock = nanoClock;
    this.latestTtlNanos =
        config.latestCacheTtlSec() < 0 ? -1 : TimeUnit.SECONDS.toNanos(config.latestCacheTtlSec());
    this.transport = new RestTransport(config, MAPPER);
  }

  /**
   * Reads {@link SchemaRegistryClientConfig} from Kafka-style properties and builds a client.
   *
   * @throws org.apache.kafka.common.config.ConfigException naming the key, if a setting is invalid
   */
  public static CachedSchemaRegistryClient fromProperties(Map<String, ?> props) {
    return new CachedSchemaRegistryClient(SchemaRegistryClientConfig.fromProperties(props));
  }

  public SchemaRegistryClientConfig config() {
    return config;
  }

  @Override
  public int register(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    requireRoom(subject, schema);
    String path = RegistryPaths.subjectVersions(subject);
    int id = RegistryAnswers.intField(transport.post(path, schemaBody(schema)), "id", "POST " + path);
    SubjectCache cache = subjectCache(subject);
    cache.idsBySchema.putIfAbsent(schema, id);
    schemasById.putIfAbsent(id, schema);
    cache.registrations.incrementAndGet();
    cache.latest = null; // this may be a new version: the cached latest would be stale
    return id;
  }

  @Override
  public Schema getSchemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    String path = RegistryPaths.schemaById(id);
    String request = "GET " + path;
    String text = RegistryAnswers.schemaText(transport.get(path), request);
    return schemasById.putIfAbsent(id, RegistryAnswers.parseSchema(text, request));
  }

  @Override
  public int getId(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    requireRoom(subject, schema);
    String path = RegistryPaths.subject(subject);
    RegisteredSchema found = registeredSchema(subject, transport.post(path, schemaBody(schema)), "POST " + path);
    SubjectCache cache = subjectCache(subject);
    cache.idsBySchema.putIfAbsent(schema, found.id());
    cacheVersion(cache, found);
    return found.id();
  }

  @Override
  public RegisteredSchema getLatestVersion(String subject) {
    Objects.requireNonNull(subject, "subject");
    SubjectCache cached = subjects.get(subject);
    if (cached != null) {
      SubjectCache.Latest latest = cached.latest;
      if (latest != null && (latestTtlNanos < 0 || nanoClock.getAsLong() - latest.fetchedAtNanos() < latestTtlNanos)) {
        return latest.schema();
      }
    }
    int registrationsBefore = cached == null ? 0 : cached.registrations.get();
    long fetchedAt = nanoClock.getAsLong();
    String path = RegistryPaths.subjectVersion(subject, "latest");
    RegisteredSchema latest = registeredSchema(subject, transport.get(path), "GET " + path);
    SubjectCache cache = subjectCache(subject); // only now: unknown subjects must not fill the map
    cacheVersion(cache, latest);
    rememberIdIfRoom(cache, latest);
    if (latestTtlNanos != 0) {
      cache.latest = new SubjectCache.Latest(latest, fetchedAt);
      if (cache.registrations.get() != registrationsBefore) {
        cache.latest = null; // a registration ran during the fetch: what we got may be stale already
      }
    }
    return latest;
  }

  @Override
  public RegisteredSchema getVersion(String subject, int version) {
    Objects.requireNonNull(subject, "subject");
    SubjectCache cached = subjects.get(subject);
    if (cached != null) {
      RegisteredSchema hit = cached.versions.get(version);
      if (hit != null) {
        return hit;
      }
    }
    String path = RegistryPaths.subjectVersion(subject, Integer.toString(version));
    RegisteredSchema found = registeredSchema(subject, transport.get(path), "GET " + path);
    SubjectCache cache = subjectCache(subject);
    cacheVersion(cache, found);
    rememberIdIfRoom(cache, found);
    return found;
  }

  @Override
  public List<Integer> getVersions(String subject) {
    String path = RegistryPaths.subjectVersions(Objects.requireNonNull(subject, "subject"));
    return RegistryAnswers.intList(transport.get(path), "GET " + path);
  }

  @Override
  public List<String> getSubjects() {
    return RegistryAnswers.stringList(transport.get("/subjects"), "GET /subjects");
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    Objects.requireNonNull(schema, "schema");
    String path = RegistryPaths.compatibilityWithLatest(Objects.requireNonNull(subject, "subject"));
    try {
      return RegistryAnswers.booleanField(transport.post(path, schemaBody(schema)), "is_compatible", "POST " + path);
    } catch (SchemaRegistryException e) {
      // No subject or no version yet: nothing the schema could be incompatible with.
      if (e.isNotFound()
          && (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
              || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND)) {
        return true;
      }
      throw e;
    }
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    if (subject == null) {
      return RegistryAnswers.compatibility(transport.get("/config"), "GET /config");
    }
    String path = RegistryPaths.config(subject) + "?defaultToGlobal=true";
    try {
      return RegistryAnswers.compatibility(transport.get(path), "GET " + path);
    } catch (SchemaRegistryException e) {
      // Registries that ignore defaultToGlobal answer 404 for a subject without its own level:
      // the global level applies then, as it would on the registry itself.
      if (e.isNotFound() && (e.errorCode() == 40408 || e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND)) {
        return getCompatibility(null);
      }
      throw e;
    }
  }

  @Override
  public CompatibilityLevel updateCompatibility(String subject, CompatibilityLevel level) {
    Objects.requireNonNull(level, "level");
    String path = RegistryPaths.config(subject);
    ObjectNode body = MAPPER.createObjectNode().put("compatibility", level.name());
    JsonNode answer = transport.put(path, body);
    // Some registries answer with an empty object: the level sent is then the level set.
    boolean hasLevel = answer.hasNonNull("compatibility") || answer.hasNonNull("compatibilityLevel");
    return hasLevel ? RegistryAnswers.compatibility(answer, "PUT " + path) : level;
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "CachedSchemaRegistryClient{" + config + "}";
  }

  /** The hot path: two ConcurrentHashMap gets, no lock, no allocation. */
  private Integer cachedId(String subject, Schema schema) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    SubjectCache cache = subjects.get(subject);
    return cache == null ? null : cache.idsBySchema.get(schema);
  }

  private SubjectCache subjectCache(String subject) {
    return subjects.computeIfAbsent(subject, s -> new SubjectCache());
  }

  /** Refuses, before any HTTP call, a schema that would take the subject's cache past its bound. */
  private void requireRoom(String subject, Schema schema) {
    int max = config.maxSchemasPerSubject();
    SubjectCache cache = subjects.get(subject);
    if (cache != null && cache.idsBySchema.size() >= max && !cache.idsBySchema.containsKey(schema)) {
      throw new SchemaRegistryException(
          "Subject '" + subject + "' already has " + max + " schemas cached by this client ("
              + SchemaRegistryClientConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG + "=" + max + "). Schemas are probably "
              + "being built per record instead of once; reuse them, or raise "
              + SchemaRegistryClientConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG + " if the subject really has that many.",
          SchemaRegistryException.CLIENT_ERROR,
          SchemaRegistryException.NO_ERROR_CODE);
    }
  }

  /** Reads caches quietly: a read should not fail because a cache is full, it just is not remembered. */
  private void rememberIdIfRoom(SubjectCache cache, RegisteredSchema registered) {
    if (cache.idsBySchema.size() < config.maxSchemasPerSubject()) {
      cache.idsBySchema.putIfAbsent(registered.schema(), registered.id());
    }
  }

  private void cacheVersion(SubjectCache cache, RegisteredSchema registered) {
    if (cache.versions.size() < config.maxSchemasPerSubject()) {
      cache.versions.putIfAbsent(registered.version(), registered);
    }
  }

  /** A {"subject","version","id","schema"} answer; the schema object is shared with the id cache. */
  private RegisteredSchema registeredSchema(String subject, JsonNode answer, String request) {
    int id = RegistryAnswers.intField(answer, "id", request);
    int version = RegistryAnswers.intField(answer, "version", request);
    JsonNode subjectField = answer.get("subject");
    String answeredSubject = subjectField != null && subjectField.isTextual() ? subjectField.asText() : subject;
    String text = RegistryAnswers.schemaText(answer, request);
    Schema schema = schemasById.get(id);
    if (schema == null) {
      schema = schemasById.putIfAbsent(id, RegistryAnswers.parseSchema(text, request));
    }
    return new RegisteredSchema(answeredSubject, version, id, schema);
  }

  private static ObjectNode schemaBody(Schema schema) {
    // schemaType is left out: Confluent's default is AVRO, and older registries reject the field.
    return MAPPER.createObjectNode().put("schema", schema.toString());
  }
}
