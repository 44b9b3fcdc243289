package io.segmenter.embedded;

import io.segmenter.serde.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Avro compatibility rules with Confluent's meaning of the levels. Returns Confluent-style messages
 * (empty list = compatible) because both the 409 on registration and the verbose compatibility
 * endpoint report them.
 */
final class CompatibilityChecker {

  /** A registered version to check against. */
  record Previous(int version, Schema schema) {}

  private CompatibilityChecker() {}

  /**
   * Checks {@code candidate} against {@code previous} (oldest first). Non-transitive levels look at
   * the last element only; transitive ones at all of them, newest first, stopping at the first
   * failing version like Confluent does.
   */
  static List<String> check(CompatibilityLevel level, Schema candidate, List<Previous> previous) {
    if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
      return List.of();
    }
    List<Previous> against =
        isTransitive(level) ? reversed(previous) : List.of(previous.get(previous.size() - 1));
    for (Previous old : against) {
      List<String> messages = new ArrayList<>();
      if (checksBackward(level)) {
        // BACKWARD: consumers on the new schema read data written with the old one.
        messages.addAll(describe(candidate, old.schema(), "new", "old"));
      }
      if (checksForward(level)) {
        // FORWARD: consumers still on the old schema read data written with the new one.
        messages.addAll(describe(old.schema(), candidate, "old", "new"));
      }
      if (!messages.isEmpty()) {
        messages.add("{oldSchemaVersion: " + old.version() + "}");
        messages.add("{oldSchema: '" + old.schema() + "'}");
        messages.add("{compatibility: '" + level + "'}");
        return messages;
      }
    }
    return List.of();
  }

  private static List<String> describe(Schema reader, Schema writer, String readerName, String writerName) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    List<String> messages = new ArrayList<>();
    for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
      messages.add(
          "{errorType:'"
              + incompatibility.getType()
              + "', description:'The "
              + readerName
              + " schema (reader) cannot read data written with the "
              + writerName
              + " schema (writer) at path '"
              + incompatibility.getLocation()
              + "': "
              + incompatibility.getMessage()
              + "', additionalInfo:'"
              + incompatibility.getLocation()
              + "'}");
    }
    return messages;
  }

  private static boolean isTransitive(CompatibilityLevel level) {
    return level == CompatibilityLevel.BACKWARD_TRANSITIVE
        || level == CompatibilityLevel.FORWARD_TRANSITIVE
        || level == CompatibilityLevel.FULL_TRANSITIVE;
  }

  private static boolean checksBackward(CompatibilityLevel level) {
    return level == CompatibilityLevel.BACKWARD
        || level == CompatibilityLevel.BACKWARD_TRANSITIVE
        || level == CompatibilityLevel.FULL
        || level == CompatibilityLevel.FULL_TRANSITIVE;
  }

  private static boolean checksForward(CompatibilityLevel level) {
    return level == CompatibilityLevel.FORWARD
        || level == CompatibilityLevel.FORWARD_TRANSITIVE
        || level == CompatibilityLevel.FULL
        || level == CompatibilityLevel.FULL_TRANSITIVE;
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }
}
