package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.serde.AvroSerdeException.Reason;
import io.segmenter.testing.avro.Click;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SubjectNameStrategyTest {
  private final Schema click = Click.getClassSchema();

  @Test
  void topicNameStrategy() {
    assertThat(new TopicNameStrategy().subjectName("clicks", false, click)).isEqualTo("clicks-value");
    assertThat(new TopicNameStrategy().subjectName("clicks", true, click)).isEqualTo("clicks-key");
  }

  @Test
  void recordNameStrategyIgnoresTopicAndSide() {
    assertThat(new RecordNameStrategy().subjectName("clicks", false, click))
        .isEqualTo("io.segmenter.testing.avro.Click");
    assertThat(new RecordNameStrategy().subjectName("other", true, click))
        .isEqualTo("io.segmenter.testing.avro.Click");
  }

  @Test
  void topicRecordNameStrategy() {
    assertThat(new TopicRecordNameStrategy().subjectName("clicks", true, click))
        .isEqualTo("clicks-io.segmenter.testing.avro.Click");
  }

  @Test
  void recordStrategiesNeedANamedSchema() {
    Schema string = Schema.create(Schema.Type.STRING);
    DecodingFailuresTest.expect(() -> new RecordNameStrategy().subjectName("t", false, string),
        Reason.INVALID_RECORD, "STRING");
  }
}
