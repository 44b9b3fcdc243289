package io.segmenter.serde;

import io.segmenter.serde.registry.CompatibilityLevel;
import io.segmenter.serde.registry.RegisteredSchema;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;

/**
 * TEST DOUBLE of the registry client, for the codec's unit tests only, where a real registry would
 * add nothing but cannot give what they need: a chosen id (the golden bytes use 0x01020304 to show
 * the header's byte order), a failure injected at a chosen call, a count of calls, and whether the
 * serde closed the client. Ids from a chosen start, Confluent's 404 codes, no compatibility checks.
 * Every path through the real client over HTTP is tested elsewhere: against MiniRegistry
 * (RegistryRoundTripTest, SchemaEvolutionTest, CacheAndConcurrencyTest, RegistryFailuresTest), against
 * segmenter's embedded registry in the tools module, and against a third-party one in ApicurioRegistryIT.
 */
final class InMemoryRegistryClient implements SchemaRegistryClient {
  private final Map<String, Integer> idsBySchema = new LinkedHashMap<>();
  private final Map<Integer, Schema> schemasById = new LinkedHashMap<>();
  private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private int nextId;
  private volatile boolean closed;

  InMemoryRegistryClient() {
    this(1);
  }

  InMemoryRegistryClient(int firstId) {
    this.nextId = firstId;
  }

  int calls() {
    return calls.get();
  }

  boolean isClosed() {
    return closed;
  }

  /** Every later call throws {@code e} until {@link #heal()}. */
  void failWith(RuntimeException e) {
    failure.set(e);
  }

  void heal() {
    failure.set(null);
  }

  private void enter() {
    calls.incrementAndGet();
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    enter();
    String key = schema.toString();
    Integer id = idsBySchema.get(key);
    if (id == null) {
      id = nextId++;
      idsBySchema.put(key, id);
      schemasById.put(id, schema);
    }
    List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  @Override
  public synchronized Schema getSchemaById(int id) {
    enter();
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException("Schema " + id + " not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
    // As a real client does: a fresh parse, not the instance that was registered.
    return new Schema.Parser().parse(schema.toString());
  }

  @Override
  public synchronized int getId(String subject, Schema schema) {
    enter();
    Integer id = idsBySchema.get(schema.toString());
    if (id == null || !versionsBySubject.getOrDefault(subject, List.of()).contains(id)) {
      throw new SchemaRegistryException("Schema not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
    return id;
  }

  @Override
  public synchronized RegisteredSchema getLatestVersion(String subject) {
    enter();
    List<Integer> versions = versionsBySubject.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SchemaRegistryException("Subject '" + subject + "' not found.", 404,
          SchemaRegistryException.SUBJECT_NOT_FOUND);
    }
    int id = versions.get(versions.size() - 1);
    return new RegisteredSchema(subject, versions.size(), id, schemasById.get(id));
  }

  @Override
  public synchronized RegisteredSchema getVersion(String subject, int version) {
    enter();
    List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
    if (version < 1 || version > versions.size()) {
      throw new SchemaRegistryException("Version not found", 404, SchemaRegistryException.VERSION_NOT_FOUND);
    }
    int id = versions.get(version - 1);
    return new RegisteredSchema(subject, version, id, schemasById.get(id));
  }

  @Override
  public synchronized List<Integer> getVersions(String subject) {
    enter();
    List<Integer> result = new ArrayList<>();
    for (int i = 1; i <= versionsBySubject.getOrDefault(subject, List.of()).size(); i++) {
      result.add(i);
    }
    return result;
  }

  @Override
  public synchronized List<String> getSubjects() {
    enter();
    return new ArrayList<>(versionsBySubject.keySet());
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    enter();
    return true;
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    enter();
    return CompatibilityLevel.NONE;
  }

  @Override
  public CompatibilityLevel updateCompatibility(String subject, CompatibilityLevel level) {
    enter();
    return level;
  }

  @Override
  public void close() {
    closed = true;
  }
}
