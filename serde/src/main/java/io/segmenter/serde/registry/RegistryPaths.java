package io.segmenter.serde.registry;

import java.nio.charset.StandardCharsets;

/** Builds the REST paths of the Confluent API, percent-encoding subjects as single path segments. */
final class RegistryPaths {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private RegistryPaths() {}

  static String subjectVersions(String subject) {
    return "/subjects/" + segment(subject) + "/versions";
  }

  static String subjectVersion(String subject, String version) {
    return subjectVersions(subject) + "/" + version;
  }

  static String subject(String subject) {
    return "/subjects/" + segment(subject);
  }

  static String schemaById(int id) {
    return "/schemas/ids/" + id;
  }

  static String compatibilityWithLatest(String subject) {
    return "/compatibility/subjects/" + segment(subject) + "/versions/latest";
  }

  static String config(String subject) {
    return subject == null ? "/config" : "/config/" + segment(subject);
  }

  /**
   * Percent-encodes everything but RFC 3986 unreserved characters (letters, digits, - . _ ~), so a
   * subject is exactly one path segment: '/' becomes %2F, space %20 (never '+'), dots stay.
   */
  static String segment(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }
}
