package io.segmenter.embedded;

import io.segmenter.serde.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.avro.Schema;

/**
 * In-memory state of the embedded registry: global schema ids, subjects with their versions, and
 * compatibility levels. Every public method runs under one monitor, so a registration (check, id
 * allocation, new version) is atomic: concurrent registrations of one schema get one id and one
 * version. Deletion is soft, as in Confluent: deleted versions keep their ids resolvable and their
 * version numbers are not reused.
 */
final class SchemaStore {

  /** A version of a subject as the REST API returns it. */
  record SubjectVersion(String subject, int version, int id, String schema) {}

  private record Version(int version, int id, Schema schema, String canonical, boolean deleted) {
    Version markDeleted() {
      return new Version(version, id, schema, canonical, true);
    }
  }

  private record Parsed(Schema schema, String canonical) {}

  private final Map<Integer, String> schemasById = new HashMap<>();
  private final Map<String, Integer> idsByCanonical = new HashMap<>();
  private final Map<String, List<Version>> versionsBySubject = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int nextId = 1;

  SchemaStore(CompatibilityLevel globalLevel) {
    this.globalLevel = globalLevel;
  }

  /** Registers {@code schemaText} under {@code subject}; returns its global id. */
  int register(String subject, String schemaText) {
    Parsed parsed = parse(schemaText); // outside the lock: parsing is the expensive part
    synchronized (this) {
      List<Version> live = liveVersions(subject);
      for (Version existing : live) {
        if (existing.canonical().equals(parsed.canonical())) {
          return existing.id();
        }
      }
      List<String> problems = CompatibilityChecker.check(levelFor(subject), parsed.schema(), previous(live));
      if (!problems.isEmpty()) {
        throw new RegistryException(
            409,
            409,
            "Schema being registered is incompatible with an earlier schema for subject \""
                + subject
                + "\", details: "
                + problems);
      }
      int id = idFor(parsed.canonical());
      List<Version> all = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
      int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
      all.add(new Version(version, id, parsed.schema(), parsed.canonical(), false));
      return id;
    }
  }

  /** The version of {@code subject} holding {@code schemaText} (POST /subjects/{subject}). */
  SubjectVersion lookup(String subject, String schemaText) {
    Parsed parsed = parse(schemaText);
    synchronized (this) {
      List<Version> live = requireLive(subject);
      for (Version v : live) {
        if (v.canonical().equals(parsed.canonical())) {
          return toSubjectVersion(subject, v);
        }
      }
      throw RegistryException.schemaNotFound();
    }
  }

  synchronized String schemaById(int id) {
    String schema = schemasById.get(id);
    if (schema == null) {
      throw RegistryException.schemaIdNotFound(id);
    }
    return schema;
  }

  /** The live subject versions using schema {@code id}, sorted by subject then version. */
  synchronized List<SubjectVersion> subjectVersionsOfId(int id) {
    schemaById(id);
    List<SubjectVersion> result = new ArrayList<>();
    for (String subject : new TreeSet<>(versionsBySubject.keySet())) {
      for (Version v : liveVersions(subject)) {
        if (v.id() == id) {
          result.add(toSubjectVersion(subject, v));
        }
      }
    }
    return result;
  }

  /** Subjects with at least one live version, sorted. */
  synchronized List<String> subjects() {
    List<String> result = new ArrayList<>();
    for (String subject : new TreeSet<>(versionsBySubject.keySet())) {
      if (!liveVersions(subject).isEmpty()) {
        result.add(subject);
      }
    }
    return result;
  }

  synchronized List<Integer> versions(String subject) {
    return requireLive(subject).stream().map(Version::version).toList();
  }

  /** A version of {@code subject}; {@code version} is a number, "latest" or "-1" (Confluent's alias). */
  synchronized SubjectVersion version(String subject, String version) {
    return toSubjectVersion(subject, findVersion(subject, version));
  }

  /** Soft-deletes every live version of {@code subject}; returns their numbers. */
  synchronized List<Integer> deleteSubject(String subject) {
    List<Integer> deleted = versions(subject);
    versionsBySubject.get(subject).replaceAll(Version::markDeleted);
    return deleted;
  }

  /** Soft-deletes one version of {@code subject}; returns its number. */
  synchronized int deleteVersion(String subject, String version) {
    Version target = findVersion(subject, version);
    versionsBySubject.get(subject).replaceAll(v -> v == target ? v.markDeleted() : v);
    return target.version();
  }

  /**
   * Compatibility messages (empty = compatible) of {@code schemaText} against {@code version} of
   * {@code subject}, or against every live version when {@code version} is null (Confluent checks
   * one explicit version, "latest" included, and all versions only when none is given). An unknown
   * subject is compatible: anything may be its first version.
   */
  List<String> checkCompatibility(String subject, String version, String schemaText) {
    Parsed parsed = parse(schemaText);
    synchronized (this) {
      if (liveVersions(subject).isEmpty()) {
        return List.of();
      }
      List<Version> against = version == null ? liveVersions(subject) : List.of(findVersion(subject, version));
      return CompatibilityChecker.check(levelFor(subject), parsed.schema(), previous(against));
    }
  }

  synchronized CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  synchronized void setGlobalLevel(CompatibilityLevel level) {
    globalLevel = level;
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  synchronized void setSubjectLevel(String subject, CompatibilityLevel level) {
    subjectLevels.put(subject, level);
  }

  /** Removes the subject's own level; returns the level that applied before. */
  synchronized CompatibilityLevel deleteSubjectLevel(String subject) {
    CompatibilityLevel removed = subjectLevels.remove(subject);
    if (removed == null && liveVersions(subject).isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    return removed == null ? globalLevel : removed;
  }

  /** Parses a version path segment: a positive number, or "latest"/"-1" as -1. */
  static int parseVersion(String version) {
    if ("latest".equals(version)) {
      return -1;
    }
    try {
      int number = Integer.parseInt(version);
      if (number == -1 || number >= 1) {
        return number;
      }
    } catch (NumberFormatException e) {
      // falls through to the 42202 Confluent answers for anything else
    }
    throw RegistryException.invalidVersion(version);
  }

  private static Parsed parse(String schemaText) {
    if (schemaText == null || schemaText.isBlank()) {
      throw RegistryException.invalidSchema("empty schema");
    }
    try {
      // A new parser each time: a Parser remembers named types, so reusing it would reject redefinitions.
      Schema schema = new Schema.Parser().parse(schemaText);
      return new Parsed(schema, schema.toString());
    } catch (RuntimeException | StackOverflowError e) {
      throw RegistryException.invalidSchema(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private Version findVersion(String subject, String version) {
    int number = parseVersion(version);
    List<Version> live = requireLive(subject);
    if (number == -1) {
      return live.get(live.size() - 1);
    }
    return live.stream()
        .filter(v -> v.version() == number)
        .findFirst()
        .orElseThrow(() -> RegistryException.versionNotFound(number));
  }

  private int idFor(String canonical) {
    Integer existing = idsByCanonical.get(canonical);
    if (existing != null) {
      return existing;
    }
    int id = nextId++;
    idsByCanonical.put(canonical, id);
    schemasById.put(id, canonical);
    return id;
  }

  private CompatibilityLevel levelFor(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private List<Version> liveVersions(String subject) {
    return versionsBySubject.getOrDefault(subject, List.of()).stream().filter(v -> !v.deleted()).toList();
  }

  private List<Version> requireLive(String subject) {
    List<Version> live = liveVersions(subject);
    if (live.isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    return live;
  }

  private static List<CompatibilityChecker.Previous> previous(List<Version> versions) {
    return versions.stream().map(v -> new CompatibilityChecker.Previous(v.version(), v.schema())).toList();
  }

  private static SubjectVersion toSubjectVersion(String subject, Version v) {
    return new SubjectVersion(subject, v.version(), v.id(), v.canonical());
  }
}
