package io.segmenter.serde;

import org.apache.avro.Conversions;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;

/** The GenericData models the serde reads and writes generic records with. */
final class AvroDataModels {
  private static final GenericData PLAIN = new GenericData();
  private static final GenericData WITH_CONVERSIONS = withConversions();

  private AvroDataModels() {}

  /**
   * With conversions, generic records hold BigDecimal for decimal, Instant for timestamp-millis,
   * LocalDate for date, UUID for uuid... (the same set Confluent's avro.use.logical.type.converters
   * registers); without, they hold the underlying ByteBuffer / long / int / string.
   */
  static GenericData generic(boolean logicalTypeConversions) {
    return logicalTypeConversions ? WITH_CONVERSIONS : PLAIN;
  }

  private static GenericData withConversions() {
    GenericData data = new GenericData();
    data.addLogicalTypeConversion(new Conversions.DecimalConversion());
    data.addLogicalTypeConversion(new Conversions.UUIDConversion());
    data.addLogicalTypeConversion(new TimeConversions.DateConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
    data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
    return data;
  }
}
