package io.segmenter.examples;

import static io.segmenter.examples.CatalogRecords.active;
import static io.segmenter.examples.CatalogRecords.change;
import static io.segmenter.examples.CatalogRecords.merged;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.events.ChangeReason;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.events.SegmentChange;
import io.segmenter.events.SegmentRef;
import io.segmenter.events.SegmentRule;
import io.segmenter.examples.CatalogJoinExample.EnrichedChange;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The catalog join of docs/TOPICS-AND-SCHEMAS.md (CatalogJoinExample) in Kafka's TopologyTestDriver,
 * with the project's Avro serde on both sides talking to the embedded registry over HTTP: the test
 * writes the topics the way segmenter does (its own serdes and registry client), the example reads
 * them with serdes built from nothing but {@code schema.registry.url}, as a downstream team would.
 */
@Timeout(60)
class CatalogJoinExampleTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final String CHANGES = "segment-changes";
  private static final String CATALOG = "segment-catalog";
  private static final String ENRICHED = "segment-changes-enriched";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final SegmentRule FEW = new SegmentRule("orders >= 8 and days since last order <= 14", 40L, 0.88);
  private static final SegmentRule MANY = new SegmentRule("orders >= 6 and days since last order <= 21", 310L, 0.93);

  private TopologyTestDriver driver;
  private TestInputTopic<String, SegmentCatalogEntry> catalog;
  private TestInputTopic<String, SegmentChange> changes;
  private TestOutputTopic<String, String> enriched;
  private String lastJson;

  @BeforeEach
  void start() throws IOException {
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", REGISTRY.registry().url());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "catalog-join-example");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("catalog-join-").toString());
    driver = new TopologyTestDriver(CatalogJoinExample.build(CHANGES, CATALOG, ENRICHED, serdeConfig), props);
    catalog = driver.createInputTopic(CATALOG, Serdes.String().serializer(),
        writer(SegmentCatalogEntry.class).serializer());
    changes = driver.createInputTopic(CHANGES, Serdes.String().serializer(), writer(SegmentChange.class).serializer());
    enriched = driver.createOutputTopic(ENRICHED, Serdes.String().deserializer(), Serdes.String().deserializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void namesTheSegmentFromTheCatalogBeforeAndAfterARenameAndFollowsAMergeOneHop() {
    publish(active(3, "Champions", "Bought recently, often, and spent the most", 7, null, List.of(FEW, MANY)));
    enter("c-1", 1, null, new SegmentRef(3, "Champions"), 7);

    EnrichedChange first = readOne("c-1");
    assertThat(first.segmentId()).isEqualTo(3);
    assertThat(first.name()).isEqualTo("Champions");
    assertThat(first.description()).isEqualTo("Bought recently, often, and spent the most");
    assertThat(first.rule()).as("the rule covering the most customers").isEqualTo(MANY.getText());
    assertThat(first.status()).isEqualTo("ACTIVE");
    assertThat(first.catalogVersion()).isEqualTo(7L);
    assertThat(first.changeVersion()).isEqualTo(7L);
    assertThat(first.mergedFrom()).isNull();
    assertThat(first.reason()).isEqualTo("EVENT");
    assertThat(first.sequence()).isEqualTo(1L);

    // Version 8 renames segment 3 and merges segment 5 into it.
    publish(active(3, "Loyal", "Order regularly; not the biggest spenders", 8, "Champions", List.of(MANY)));
    publish(merged(5, "Promising", 3, 8));

    // A change made by version 7, still naming segment 3 "Champions", is read after the rename:
    // the join gives the catalog's current name.
    enter("c-2", 4, new SegmentRef(1, "At Risk"), new SegmentRef(3, "Champions"), 7);
    EnrichedChange renamed = readOne("c-2");
    assertThat(renamed.segmentId()).isEqualTo(3);
    assertThat(renamed.name()).isEqualTo("Loyal");
    assertThat(renamed.description()).isEqualTo("Order regularly; not the biggest spenders");
    assertThat(renamed.catalogVersion()).isEqualTo(8L);
    assertThat(renamed.changeVersion()).isEqualTo(7L);

    // A change made by version 7 into segment 5, which version 8 merged into 3: followed to 3.
    enter("c-3", 2, null, new SegmentRef(5, "Promising"), 7);
    EnrichedChange followed = readOne("c-3");
    assertThat(followed.segmentId()).isEqualTo(3);
    assertThat(followed.mergedFrom()).isEqualTo(5);
    assertThat(followed.name()).isEqualTo("Loyal");
    assertThat(followed.rule()).isEqualTo(MANY.getText());
    assertThat(followed.status()).isEqualTo("ACTIVE");
    assertThat(followed.catalogVersion()).isEqualTo(8L);
    assertThat(tree(lastJson)).as("the document's sample output").isEqualTo(tree(readmeBlock("```json\n")));
  }

  @Test
  void anErasureComesThroughWithNoSegmentInsteadOfBeingDropped() {
    publish(active(3, "Champions", "Bought recently, often, and spent the most", 7, null, List.of(MANY)));
    changes.pipeInput("c-1", change("c-1", 6, new SegmentRef(3, "Champions"), null, ChangeReason.ERASURE, 7));

    List<KeyValue<String, String>> out = enriched.readKeyValuesToList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).key).isEqualTo("c-1");
    JsonNode json = tree(out.get(0).value);
    assertThat(json.get("reason").asText()).isEqualTo("ERASURE");
    assertThat(json.get("customerId").asText()).isEqualTo("c-1");
    assertThat(json.get("sequence").asLong()).isEqualTo(6L);
    for (String field : List.of("segmentId", "mergedFrom", "name", "description", "rule", "status", "catalogVersion")) {
      assertThat(json.has(field)).as(field + " present").isTrue();
      assertThat(json.get(field).isNull()).as(field + " null").isTrue();
    }
    assertThat(json.get("changeVersion").asLong()).isEqualTo(7L);
  }

  @Test
  void aSegmentTheCatalogDoesNotHaveYetKeepsTheNameTheChangeCarries() {
    enter("c-9", 1, null, new SegmentRef(11, "New Customers"), 12);

    EnrichedChange e = readOne("c-9");
    assertThat(e.segmentId()).isEqualTo(11);
    assertThat(e.name()).isEqualTo("New Customers");
    assertThat(e.description()).isNull();
    assertThat(e.rule()).isNull();
    assertThat(e.status()).isNull();
    assertThat(e.catalogVersion()).isNull();
    assertThat(e.changeVersion()).isEqualTo(12L);
  }

  @Test
  void aSegmentMergedIntoOneTheCatalogDoesNotHaveStaysMerged() {
    publish(merged(5, "Promising", 3, 8));
    enter("c-3", 2, null, new SegmentRef(5, "Promising"), 7);

    EnrichedChange e = readOne("c-3");
    assertThat(e.segmentId()).isEqualTo(5);
    assertThat(e.mergedFrom()).isNull();
    assertThat(e.status()).isEqualTo("MERGED");
    assertThat(e.name()).isEqualTo("Promising");
    assertThat(e.rule()).isNull();
  }

  @Test
  void theLatestCatalogEntryWinsAndTheJoinDoesNotReplayEarlierChanges() {
    publish(active(3, "Champions", "first", 7, null, List.of(MANY)));
    enter("c-1", 1, null, new SegmentRef(3, "Champions"), 7);
    assertThat(readOne("c-1").name()).isEqualTo("Champions");

    // A catalog update alone emits nothing: a stream-table join is driven by the stream.
    publish(active(3, "Loyal", "second", 8, "Champions", List.of(MANY)));
    assertThat(enriched.isEmpty()).isTrue();
  }

  @Test
  void theReadmeShowsExactlyTheExampleCode() throws IOException {
    String source = Files.readString(MODULE.resolve("src/test/java/io/segmenter/examples/CatalogJoinExample.java"),
        StandardCharsets.UTF_8);
    String marked = between(source, "// README:catalog-join:start\n", "// README:catalog-join:end");

    assertThat(normalised(readmeBlock("```java\n"))).isEqualTo(normalised(marked));
    assertThat(marked).contains("leftJoin", "GlobalKTable", "getMergedInto");
  }

  private static final Path MODULE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  /** The document that shows the example, relative to the project root. */
  private static final String DOC = "docs/TOPICS-AND-SCHEMAS.md";

  /** The first fenced block opened by {@code fence} in the document's subsection. */
  private static String readmeBlock(String fence) {
    try {
      String readme = Files.readString(MODULE.resolve("../" + DOC), StandardCharsets.UTF_8);
      String section = between(readme, "### Joining changes with the segment catalog\n", "\n## ");
      Matcher block = Pattern.compile(Pattern.quote(fence) + "(.*?)```", Pattern.DOTALL).matcher(section);
      assertThat(block.find()).as("a block opened by " + fence.strip() + " in the subsection of " + DOC).isTrue();
      return block.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertThat(from).as("'" + start.strip() + "' present").isGreaterThanOrEqualTo(0);
    assertThat(text.indexOf(start, from + 1)).as("'" + start.strip() + "' only once").isEqualTo(-1);
    int to = text.indexOf(end, from + start.length());
    assertThat(to).as("'" + end.strip() + "' after the start").isGreaterThan(from);
    return text.substring(from + start.length(), to);
  }

  private static String normalised(String code) {
    return code.strip().replaceAll("\\s+", " ");
  }

  private void publish(SegmentCatalogEntry entry) {
    catalog.pipeInput(String.valueOf(entry.getSegmentId()), entry, entry.getUpdatedAt());
  }

  private void enter(String customerId, long sequence, SegmentRef from, SegmentRef into, long modelVersion) {
    changes.pipeInput(customerId, change(customerId, sequence, from, into, ChangeReason.EVENT, modelVersion));
  }

  private EnrichedChange readOne(String customerId) {
    List<KeyValue<String, String>> out = enriched.readKeyValuesToList();
    assertThat(out).as("one enriched record").hasSize(1);
    assertThat(out.get(0).key).isEqualTo(customerId);
    lastJson = out.get(0).value;
    try {
      EnrichedChange e = JSON.readValue(out.get(0).value, EnrichedChange.class);
      assertThat(e.customerId()).isEqualTo(customerId);
      return e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T extends SpecificRecord> SpecificAvroSerde<T> writer(Class<T> type) {
    SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type, REGISTRY.client());
    serde.configure(Map.of("schema.registry.url", REGISTRY.registry().url()), false);
    return serde;
  }
}
