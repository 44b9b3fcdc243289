package io.segmenter.examples;

// The consumer example of docs/TOPICS-AND-SCHEMAS.md ("Joining changes with the segment catalog"),
// which shows the lines between the two markers below; CatalogJoinExampleTest runs this code and
// fails when the document's copy differs from it (whitespace aside). Edit here, then paste the
// region into docs/TOPICS-AND-SCHEMAS.md.

// README:catalog-join:start
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.events.SegmentChange;
import io.segmenter.events.SegmentRule;
import io.segmenter.events.SegmentStatus;
import io.segmenter.serde.SpecificAvroSerde;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Produced;

/** Each segment change, enriched with the catalog entry of the segment the customer enters, as JSON. */
public final class CatalogJoinExample {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One output record, keyed by customer id. The catalog's fields are null when it has no entry. */
  public record EnrichedChange(
      String customerId,
      long sequence,
      String reason,        // EVENT, INACTIVITY, MODEL, ERASURE, PREDICTIVE or STRATEGY
      Integer segmentId,    // the segment the customer is in; null on erasure
      Integer mergedFrom,   // the id the change named, when the catalog says it merged into segmentId
      String name,          // the catalog's current name, else the name the change carries
      String description,
      String rule,          // the segment's rule that covers the most customers
      String status,        // ACTIVE, MERGED (merged into a segment not catalogued yet) or RETIRED
      Long catalogVersion,  // model version of the catalog entry used
      long changeVersion) { // model version that made the change
  }

  private record Lookup(SegmentChange change, SegmentCatalogEntry entry) {
    String mergedIntoKey() {
      boolean merged = entry != null && entry.getStatus() == SegmentStatus.MERGED && entry.getMergedInto() != null;
      return merged ? String.valueOf(entry.getMergedInto()) : null;
    }
  }

  public static Topology build(String changesTopic, String catalogTopic, String outputTopic,
      Map<String, ?> serdeConfig) {
    SpecificAvroSerde<SegmentChange> changeSerde = new SpecificAvroSerde<>(SegmentChange.class);
    changeSerde.configure(serdeConfig, false);
    SpecificAvroSerde<SegmentCatalogEntry> entrySerde = new SpecificAvroSerde<>(SegmentCatalogEntry.class);
    entrySerde.configure(serdeConfig, false);

    StreamsBuilder builder = new StreamsBuilder();
    GlobalKTable<String, SegmentCatalogEntry> catalog =
        builder.globalTable(catalogTopic, Consumed.with(Serdes.String(), entrySerde));
    builder.stream(changesTopic, Consumed.with(Serdes.String(), changeSerde))
        // The entry of the segment the customer enters (catalog key: the id as a decimal string).
        // An erasure has no new segment, so no key: leftJoin still calls the joiner, with null
        // (join would drop the record).
        .leftJoin(catalog,
            (customerId, change) -> change.getNewSegment() == null ? null
                : String.valueOf(change.getNewSegment().getId()),
            Lookup::new)
        // The catalog is a table and the changes a stream: a change can name a segment that a later
        // catalog entry marks as MERGED. Follow mergedInto, one hop.
        .leftJoin(catalog, (customerId, lookup) -> lookup.mergedIntoKey(), CatalogJoinExample::enrich)
        .mapValues(CatalogJoinExample::toJson)
        .to(outputTopic, Produced.with(Serdes.String(), Serdes.String()));
    return builder.build();
  }

  private static EnrichedChange enrich(String customerId, Lookup lookup, SegmentCatalogEntry mergedInto) {
    SegmentChange change = lookup.change();
    if (change.getNewSegment() == null) { // erased: the customer is in no segment; forget what you hold
      return new EnrichedChange(customerId, change.getSequence(), change.getReason().name(),
          null, null, null, null, null, null, null, change.getModelVersion());
    }
    int named = change.getNewSegment().getId();
    SegmentCatalogEntry entry = mergedInto != null ? mergedInto : lookup.entry();
    if (entry == null) { // not catalogued yet: the catalog and the changes are separate topics
      return new EnrichedChange(customerId, change.getSequence(), change.getReason().name(),
          named, null, change.getNewSegment().getName(), null, null, null, null, change.getModelVersion());
    }
    String rule = entry.getRules().stream().max(Comparator.comparingLong(SegmentRule::getSupport))
        .map(SegmentRule::getText).orElse(null);
    return new EnrichedChange(customerId, change.getSequence(), change.getReason().name(),
        entry.getSegmentId(), mergedInto != null ? named : null, entry.getName(), entry.getDescription(), rule,
        entry.getStatus().name(), entry.getModelVersion(), change.getModelVersion());
  }

  private static String toJson(EnrichedChange enriched) {
    try {
      return JSON.writeValueAsString(enriched);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
// README:catalog-join:end
