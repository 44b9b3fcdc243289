package io.segmenter.serde;

import io.segmenter.serde.AvroSerdeException.Reason;
import io.segmenter.serde.registry.SchemaRegistryException;

/** Turns registry client failures into the serde's typed exception, keeping the registry's words. */
final class RegistryFailures {
  private RegistryFailures() {}

  /**
   * REGISTRY_UNAVAILABLE when trying again later may help (no response, 5xx, 429), otherwise
   * REGISTRY_ERROR with the HTTP status, the registry's error_code and its message.
   */
  static AvroSerdeException translate(SchemaRegistryException e, String action) {
    Reason reason = e.isRetriable() ? Reason.REGISTRY_UNAVAILABLE : Reason.REGISTRY_ERROR;
    return new AvroSerdeException(reason, action + " failed: " + describe(e), e);
  }

  /** A client that breaks its contract (throws something else) still yields the typed exception. */
  static AvroSerdeException unexpected(RuntimeException e, String action) {
    return new AvroSerdeException(Reason.REGISTRY_ERROR,
        action + " failed: " + e.getClass().getName() + ": " + e.getMessage(), e);
  }

  static String describe(SchemaRegistryException e) {
    StringBuilder text = new StringBuilder();
    if (e.httpStatus() == SchemaRegistryException.NO_RESPONSE) {
      text.append("no response from the registry");
    } else {
      text.append("HTTP ").append(e.httpStatus());
    }
    if (e.errorCode() != SchemaRegistryException.NO_ERROR_CODE) {
      text.append(", error_code ").append(e.errorCode());
    }
    if (e.getMessage() != null) {
      text.append(": ").append(e.getMessage());
    }
    return text.toString();
  }

  /** True when the registry says it does not know the schema / subject. */
  static boolean isNotFound(SchemaRegistryException e) {
    return e.isNotFound()
        || e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND
        || e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND;
  }
}
