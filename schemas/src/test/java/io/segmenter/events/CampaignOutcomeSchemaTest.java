package io.segmenter.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * CampaignOutcome keeps the rules of the other inputs: every field documented, and an outcome enum
 * whose UNKNOWN default lets this version read a symbol a newer producer adds (the processor then
 * dead-letters it as UNKNOWN_ENUM_SYMBOL instead of failing to decode).
 */
class CampaignOutcomeSchemaTest {
  @Test
  void everyFieldIsDocumentedAndTheOutcomeDefaultsToUnknown() {
    Schema schema = CampaignOutcome.getClassSchema();
    assertThat(schema.getDoc()).contains("Topic key: the customer id");
    assertThat(schema.getFields()).allSatisfy(f -> assertThat(f.doc()).as(f.name()).isNotBlank());
    Schema outcome = schema.getField("outcome").schema();
    assertThat(outcome.getEnumSymbols().get(0)).isEqualTo("UNKNOWN");
    assertThat(outcome.getEnumDefault()).isEqualTo("UNKNOWN");
  }

  @Test
  void aNewerProducersSymbolIsReadByThisVersion() {
    String newer = CampaignOutcome.getClassSchema().toString()
        .replace("\"CONVERTED\"]", "\"CONVERTED\", \"UNSUBSCRIBED\"]");
    assertThat(newer).contains("UNSUBSCRIBED");
    Schema writer = new Schema.Parser().parse(newer);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(CampaignOutcome.getClassSchema(), writer).getType())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }
}
