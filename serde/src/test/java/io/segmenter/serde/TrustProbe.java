package io.segmenter.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A hand-written SpecificRecord in a package that the test JVM's
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} does not list, to prove that passing the class to
 * the serde is enough. Used by {@link AvroClassTrustTest} only.
 */
public class TrustProbe extends SpecificRecordBase {
  private static final long serialVersionUID = 1L;
  public static final Schema SCHEMA$ = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"TrustProbe\",\"namespace\":\"io.segmenter.serde\",\"fields\":["
          + "{\"name\":\"label\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}}]}");

  private String label;

  public TrustProbe() {}

  public TrustProbe(String label) {
    this.label = label;
  }

  public String getLabel() {
    return label;
  }

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public Object get(int field) {
    if (field == 0) {
      return label;
    }
    throw new IndexOutOfBoundsException("no field " + field);
  }

  @Override
  public void put(int field, Object value) {
    if (field != 0) {
      throw new IndexOutOfBoundsException("no field " + field);
    }
    label = (String) value;
  }
}
