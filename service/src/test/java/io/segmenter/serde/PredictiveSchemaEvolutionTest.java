package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.CustomerSegment;
import io.segmenter.events.RfmSnapshot;
import io.segmenter.events.SegmentChange;
import io.segmenter.events.SegmentRef;
import io.segmenter.internal.Centre;
import io.segmenter.internal.CentreStatistics;
import io.segmenter.internal.FeatureStatistics;
import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * About segmenter's own schemas, not the serde (which it does not use). The predictive fields
 * changed the output and internal contracts in both directions compatibly: consumers built on the
 * schemas before them read the new records (the new fields are skipped, the new ChangeReason
 * PREDICTIVE reads as UNKNOWN), and the new code reads records written before (the new fields take
 * their defaults). The old schemas are kept in test resources.
 */
class PredictiveSchemaEvolutionTest {
  @ParameterizedTest
  @ValueSource(strings = {"SegmentChange", "CustomerSegment", "ModelVersion", "ModelDelta"})
  void newAndOldSchemasReadEachOther(String name) throws IOException {
    Schema current = switch (name) {
      case "SegmentChange" -> SegmentChange.getClassSchema();
      case "CustomerSegment" -> CustomerSegment.getClassSchema();
      case "ModelVersion" -> ModelVersion.getClassSchema();
      default -> ModelDelta.getClassSchema();
    };
    Schema.Parser parser = new Schema.Parser();
    // The named types the old records refer to, unchanged since.
    for (Schema s : new Schema[] {SegmentRef.getClassSchema(), RfmSnapshot.getClassSchema(),
        FeatureStatistics.getClassSchema(), Centre.getClassSchema(), CentreStatistics.getClassSchema()}) {
      parser.parse(s.toString());
    }
    Schema old;
    try (InputStream in = getClass().getResourceAsStream("/schema-history/before-predictive/" + name + ".avsc")) {
      old = parser.parse(in);
    }
    assertThat(old.getFields().size()).as("the old schema is the older one").isLessThan(current.getFields().size());
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
        .as("new code reads old records").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType())
        .as("old consumers read new records").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }
}
