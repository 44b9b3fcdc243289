package io.segmenter.serde.registry;

/**
 * A schema registry request that failed: either the registry answered with an error (HTTP status
 * and the registry's {@code error_code} and message, e.g. 409 / 409 for an incompatible schema,
 * 404 / 40403 for an unknown schema id) or it could not be reached after the configured retries
 * ({@link #httpStatus()} is {@link #NO_RESPONSE}).
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@link #httpStatus()} when no HTTP response was received (connection refused, timeout, TLS failure). */
  public static final int NO_RESPONSE = -1;
  /**
   * {@link #httpStatus()} when the client itself refused: the request was not sent (e.g. the
   * per-subject cache bound is reached) or the registry's answer is unusable (e.g. a non-Avro
   * schema). Trying again will not help.
   */
  public static final int CLIENT_ERROR = -2;
  /** {@link #errorCode()} when the response carried no registry error code. */
  public static final int NO_ERROR_CODE = -1;

  /** Confluent error code: subject not found. */
  public static final int SUBJECT_NOT_FOUND = 40401;
  /** Confluent error code: version not found. */
  public static final int VERSION_NOT_FOUND = 40402;
  /** Confluent error code: schema not found. */
  public static final int SCHEMA_NOT_FOUND = 40403;
  /** Confluent error code: the schema is incompatible with the registered versions. */
  public static final int INCOMPATIBLE_SCHEMA = 409;
  /** Confluent error code: the schema is not valid. */
  public static final int INVALID_SCHEMA = 42201;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, int httpStatus, int errorCode) {
    this(message, httpStatus, errorCode, null);
  }

  /** HTTP status of the registry's answer, or {@link #NO_RESPONSE}. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's {@code error_code}, or {@link #NO_ERROR_CODE}. */
  public int errorCode() {
    return errorCode;
  }

  /** True when trying again later may succeed: no response, or a 5xx / 429 answer. */
  public boolean isRetriable() {
    return httpStatus == NO_RESPONSE || httpStatus >= 500 || httpStatus == 429;
  }

  /** True for a 404 answer (unknown subject, version or schema id). */
  public boolean isNotFound() {
    return httpStatus == 404;
  }
}
