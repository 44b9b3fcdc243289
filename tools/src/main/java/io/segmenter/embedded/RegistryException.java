package io.segmenter.embedded;

/**
 * A request the registry refuses, carrying the HTTP status and Confluent {@code error_code} so that
 * the HTTP layer can answer exactly like Confluent Schema Registry does. The store throws it too, so
 * its rules can be tested without HTTP.
 */
final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;

  RegistryException(int httpStatus, int errorCode, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  int httpStatus() {
    return httpStatus;
  }

  int errorCode() {
    return errorCode;
  }

  static RegistryException subjectNotFound(String subject) {
    return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
  }

  static RegistryException versionNotFound(int version) {
    return new RegistryException(404, 40402, "Version " + version + " not found.");
  }

  static RegistryException schemaIdNotFound(int id) {
    return new RegistryException(404, 40403, "Schema " + id + " not found");
  }

  static RegistryException schemaNotFound() {
    return new RegistryException(404, 40403, "Schema not found");
  }

  static RegistryException invalidSchema(String detail) {
    return new RegistryException(422, 42201, "Invalid schema: " + detail);
  }

  static RegistryException invalidVersion(String version) {
    return new RegistryException(
        422,
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  static RegistryException invalidCompatibilityLevel(String level) {
    return new RegistryException(
        422,
        42203,
        "Invalid compatibility level '"
            + level
            + "'. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
  }

  static RegistryException notFound() {
    return new RegistryException(404, 404, "HTTP 404 Not Found");
  }

  static RegistryException methodNotAllowed() {
    return new RegistryException(405, 405, "HTTP 405 Method Not Allowed");
  }
}
