package io.segmenter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.FeatureValue;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.events.SegmentEventKind;
import io.segmenter.events.SegmentHistoryEvent;
import io.segmenter.events.SegmentRule;
import io.segmenter.events.SegmentStatus;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.RegisteredSchema;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SegmentCatalogEntry, the value of the compacted segment-catalog topic, through the project's Avro
 * serde and the embedded registry: Confluent wire format, registered under the topic's value
 * subject, read back equal by a consumer that has nothing but the registry's URL.
 */
@Timeout(60)
class SegmentCatalogSchemaTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final String TOPIC = "segment-catalog";

  /** Every field set, every optional one non-null, every array non-empty, every history kind. */
  static SegmentCatalogEntry fullyPopulated() {
    return SegmentCatalogEntry.newBuilder()
        .setSegmentId(3)
        .setName("Loyal")
        .setDescription("Order regularly; not the biggest spenders")
        .setStatus(SegmentStatus.ACTIVE)
        .setModelVersion(41)
        .setCentre(List.of(
            new FeatureValue("recency_days", 12.5),
            new FeatureValue("orders", 6.0),
            new FeatureValue("net_spend", 730.4),
            new FeatureValue("return_ratio", 0.02)))
        .setPopulation(1_284)
        .setRules(List.of(
            new SegmentRule("orders >= 4 and days since last order <= 21", 912L, 0.87),
            new SegmentRule("orders >= 9 and net spend < 500", 77L, 0.64)))
        .setRuleFidelity(0.912)
        .setRenamedFrom("Champions")
        .setMergedInto(null)
        .setHistory(List.of(
            new SegmentHistoryEvent(1L, SegmentEventKind.CREATED, null, "Champions", null),
            new SegmentHistoryEvent(41L, SegmentEventKind.RENAMED, "Champions", "Loyal", null)))
        .setUpdatedAt(Instant.parse("2026-11-02T09:15:30.125Z"))
        .build();
  }

  /** The other shape: MERGED, empty centre and rules, no tree yet (NaN fidelity), merge in history. */
  static SegmentCatalogEntry mergedWithoutTree() {
    return SegmentCatalogEntry.newBuilder(fullyPopulated())
        .setSegmentId(5)
        .setName("Promising")
        .setDescription("Merged into Loyal")
        .setStatus(SegmentStatus.MERGED)
        .setCentre(List.of())
        .setPopulation(0)
        .setRules(List.of())
        .setRuleFidelity(Double.NaN)
        .setRenamedFrom(null)
        .setMergedInto(3)
        .setHistory(List.of(
            new SegmentHistoryEvent(2L, SegmentEventKind.CREATED, null, "Promising", null),
            new SegmentHistoryEvent(41L, SegmentEventKind.MERGED, null, null, 3),
            new SegmentHistoryEvent(44L, SegmentEventKind.RETIRED, null, null, null)))
        .build();
  }

  /**
   * Avro 1.12's equals on generated records is false for two records holding NaN in the same double
   * field (a record equals itself only by identity), and ruleFidelity is NaN before the first tree:
   * compare that field bit for bit and the rest with the record's equals.
   */
  private static SegmentCatalogEntry withoutFidelity(SegmentCatalogEntry entry) {
    return SegmentCatalogEntry.newBuilder(entry).setRuleFidelity(0.0).build();
  }

  @Test
  void roundTripsInTheWireFormatRegisteredUnderTheTopicsValueSubject() {
    Map<String, Object> config = Map.of("schema.registry.url", REGISTRY.registry().url());
    try (SpecificAvroSerde<SegmentCatalogEntry> producer = new SpecificAvroSerde<>(SegmentCatalogEntry.class);
         SpecificAvroSerde<SegmentCatalogEntry> consumer = new SpecificAvroSerde<>(SegmentCatalogEntry.class)) {
      producer.configure(config, false);
      consumer.configure(config, false);

      for (SegmentCatalogEntry entry : List.of(fullyPopulated(), mergedWithoutTree())) {
        byte[] bytes = producer.serializer().serialize(TOPIC, entry);

        assertThat(bytes[0]).as("magic byte").isEqualTo((byte) 0);
        int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();
        RegisteredSchema registered = REGISTRY.client().getLatestVersion("segment-catalog-value");
        assertThat(schemaId).isEqualTo(registered.id());
        assertThat(registered.schema()).isEqualTo(SegmentCatalogEntry.getClassSchema());
        assertThat(REGISTRY.client().getSchemaById(schemaId)).isEqualTo(SegmentCatalogEntry.getClassSchema());

        SegmentCatalogEntry read = consumer.deserializer().deserialize(TOPIC, bytes);
        assertThat(withoutFidelity(read)).isEqualTo(withoutFidelity(entry));
        assertThat(Double.doubleToRawLongBits(read.getRuleFidelity())) // bit for bit, NaN included
            .isEqualTo(Double.doubleToRawLongBits(entry.getRuleFidelity()));
      }
      SegmentCatalogEntry full = fullyPopulated();
      SegmentCatalogEntry read = consumer.deserializer().deserialize(TOPIC, producer.serializer().serialize(TOPIC, full));
      assertThat(read).isEqualTo(full);
      assertThat(read.getRenamedFrom()).isEqualTo("Champions");
      assertThat(read.getHistory()).extracting(SegmentHistoryEvent::getKind)
          .containsExactly(SegmentEventKind.CREATED, SegmentEventKind.RENAMED);
      assertThat(read.getUpdatedAt()).isEqualTo(Instant.parse("2026-11-02T09:15:30.125Z"));
      assertThat(consumer.deserializer().deserialize(TOPIC, producer.serializer().serialize(TOPIC,
          mergedWithoutTree())).getRuleFidelity()).isNaN();
    }

    assertThat(REGISTRY.client().getSubjects()).contains("segment-catalog-value").doesNotContain("segment-catalog-key");
    assertThat(REGISTRY.client().getVersions("segment-catalog-value")).hasSize(1);
  }
}
