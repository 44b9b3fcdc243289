package io.segmenter.serde.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * Client for the subset of the Confluent Schema Registry REST API that segmenter needs. Works
 * against Confluent Schema Registry, Apicurio's ccompat API, Karapace and the embedded registry.
 *
 * <p>Implementations are thread-safe. Every method throws {@link SchemaRegistryException} when the
 * registry refuses the request (with its HTTP status, {@code error_code} and message) or cannot be
 * reached after the configured retries.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (POST /subjects/{subject}/versions); returns its global id. */
  int register(String subject, Schema schema);

  /** The schema with this global id (GET /schemas/ids/{id}). */
  Schema getSchemaById(int id);

  /** The id of {@code schema} if it is registered under {@code subject} (POST /subjects/{subject}). */
  int getId(String subject, Schema schema);

  /** The latest version registered under {@code subject} (GET /subjects/{subject}/versions/latest). */
  RegisteredSchema getLatestVersion(String subject);

  /** A given version of {@code subject} (GET /subjects/{subject}/versions/{version}). */
  RegisteredSchema getVersion(String subject, int version);

  /** The version numbers registered under {@code subject} (GET /subjects/{subject}/versions). */
  List<Integer> getVersions(String subject);

  /** All subjects (GET /subjects). */
  List<String> getSubjects();

  /**
   * Whether {@code schema} may be registered as the next version of {@code subject} under the
   * subject's compatibility level (POST /compatibility/subjects/{subject}/versions/latest).
   */
  boolean isCompatible(String subject, Schema schema);

  /** The subject's compatibility level, or the global one when {@code subject} is null (GET /config[/{subject}]). */
  CompatibilityLevel getCompatibility(String subject);

  /** Sets the subject's compatibility level, or the global one when {@code subject} is null (PUT /config[/{subject}]). */
  CompatibilityLevel updateCompatibility(String subject, CompatibilityLevel level);

  @Override
  void close();
}
