package io.segmenter.embedded;

/** Avro schemas used across the registry tests: an evolving Customer record. */
final class Schemas {
  private Schemas() {}

  static final String V1 =
      "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"io.segmenter.test\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";

  /** V1 plus a field with a default: BACKWARD and FORWARD compatible with V1. */
  static final String V2_WITH_DEFAULT =
      "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"io.segmenter.test\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"segment\",\"type\":\"string\",\"default\":\"none\"}]}";

  /** V1 plus a field without default: not BACKWARD compatible with V1, FORWARD compatible. */
  static final String V2_NO_DEFAULT =
      "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"io.segmenter.test\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"segment\",\"type\":\"string\"}]}";

  /** V1 with a changed field type: incompatible both ways. */
  static final String V1_ID_AS_INT =
      "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"io.segmenter.test\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}";

  /** A different record altogether. */
  static final String ORDER =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"io.segmenter.test\","
          + "\"fields\":[{\"name\":\"amount\",\"type\":\"double\"}]}";

  /** V1 written differently (whitespace, field order of JSON keys): same canonical schema. */
  static final String V1_REFORMATTED =
      "{ \"namespace\" : \"io.segmenter.test\", \"name\" : \"Customer\", \"type\" : \"record\",\n"
          + "  \"fields\" : [ { \"type\" : \"string\", \"name\" : \"id\" } ] }";
}
