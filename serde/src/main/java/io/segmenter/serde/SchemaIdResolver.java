package io.segmenter.serde;

import io.segmenter.serde.AvroSerdeException.Reason;
import io.segmenter.serde.registry.RegisteredSchema;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Finds the id to write in front of a record, the way the configuration asks. Called only when the
 * serializer's own cache misses; every registry failure comes out as an {@link AvroSerdeException}.
 */
final class SchemaIdResolver {

  /** How the id is found. */
  enum Mode {
    /** Register the record's schema under the subject (idempotent at the registry). */
    AUTO_REGISTER,
    /** Use the subject's latest version, which must have the record schema's canonical form. */
    USE_LATEST,
    /** Look the record's schema up under the subject; never register. */
    LOOKUP
  }

  private final SchemaRegistryClient client;
  private final Mode mode;

  SchemaIdResolver(SchemaRegistryClient client, Mode mode) {
    this.client = client;
    this.mode = mode;
  }

  Mode mode() {
    return mode;
  }

  int resolve(String subject, Schema schema) {
    switch (mode) {
      case AUTO_REGISTER:
        return register(subject, schema);
      case USE_LATEST:
        return latest(subject, schema);
      case LOOKUP:
      default:
        return lookUp(subject, schema);
    }
  }

  private int register(String subject, Schema schema) {
    try {
      return client.register(subject, schema);
    } catch (SchemaRegistryException e) {
      // A 409 (incompatible) lands here as REGISTRY_ERROR with the registry's own message.
      throw RegistryFailures.translate(e, "registering the schema of " + schema.getFullName()
          + " under subject '" + subject + "'");
    } catch (RuntimeException e) {
      throw RegistryFailures.unexpected(e, "registering under subject '" + subject + "'");
    }
  }

  private int lookUp(String subject, Schema schema) {
    try {
      return client.getId(subject, schema);
    } catch (SchemaRegistryException e) {
      if (RegistryFailures.isNotFound(e)) {
        throw new AvroSerdeException(Reason.SCHEMA_NOT_REGISTERED,
            "the schema of " + schema.getFullName() + " is not registered under subject '" + subject
                + "' and " + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG + "=false: register it first ("
                + RegistryFailures.describe(e) + ")", e);
      }
      throw RegistryFailures.translate(e, "looking up the schema of " + schema.getFullName()
          + " under subject '" + subject + "'");
    } catch (RuntimeException e) {
      throw RegistryFailures.unexpected(e, "looking up under subject '" + subject + "'");
    }
  }

  private int latest(String subject, Schema schema) {
    RegisteredSchema latest;
    try {
      latest = client.getLatestVersion(subject);
    } catch (SchemaRegistryException e) {
      if (RegistryFailures.isNotFound(e)) {
        throw new AvroSerdeException(Reason.SCHEMA_NOT_REGISTERED,
            "subject '" + subject + "' has no version and " + AvroSerdeConfig.USE_LATEST_VERSION_CONFIG
                + "=true (" + RegistryFailures.describe(e) + ")", e);
      }
      throw RegistryFailures.translate(e, "fetching the latest version of subject '" + subject + "'");
    } catch (RuntimeException e) {
      throw RegistryFailures.unexpected(e, "fetching the latest version of subject '" + subject + "'");
    }
    // Same parsing canonical form = same binary encoding, so the latest id describes our bytes
    // exactly. Anything else would need the record rewritten into another shape, which we refuse
    // to do silently.
    if (!SchemaNormalization.toParsingForm(schema).equals(SchemaNormalization.toParsingForm(latest.schema()))) {
      throw new AvroSerdeException(Reason.INCOMPATIBLE_SCHEMA,
          "the schema of " + schema.getFullName() + " differs from the latest version of subject '" + subject
              + "' (version " + latest.version() + ", id " + latest.id() + "): register the record's schema or set "
              + AvroSerdeConfig.USE_LATEST_VERSION_CONFIG + "=false");
    }
    return latest.id();
  }
}
