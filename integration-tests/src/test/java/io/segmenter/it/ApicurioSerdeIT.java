package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ClickEvent;
import io.segmenter.serde.GenericAvroSerde;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The project's serde in the Confluent wire format with a real third-party registry holding the schemas. */
@Timeout(120)
class ApicurioSerdeIT {
  private static ApicurioRegistry apicurio;
  private static SchemaRegistryClient client;

  @BeforeAll
  static void start() throws Exception {
    apicurio = ApicurioRegistry.start();
    client = CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", apicurio.url()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (apicurio != null) {
      apicurio.close();
    }
  }

  @Test
  void specificAndGenericRoundTripsCarryApicuriosSchemaId() {
    Map<String, Object> config = Map.of("schema.registry.url", apicurio.url());
    try (SpecificAvroSerde<ClickEvent> specific = new SpecificAvroSerde<>(ClickEvent.class, client);
         GenericAvroSerde generic = new GenericAvroSerde(client)) {
      specific.configure(config, false);
      generic.configure(config, false);
      ClickEvent event = Fixtures.click("c-1", 1);

      byte[] bytes = specific.serializer().serialize("apicurio-serde-clicks", event);

      int id = client.getLatestVersion("apicurio-serde-clicks-value").id();
      assertThat(bytes[0]).isZero();
      assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
      assertThat(specific.deserializer().deserialize("apicurio-serde-clicks", bytes)).isEqualTo(event);

      GenericRecord asGeneric = generic.deserializer().deserialize("apicurio-serde-clicks", bytes);
      assertThat(asGeneric.get("customerId").toString()).isEqualTo("c-1");
      byte[] again = generic.serializer().serialize("apicurio-serde-clicks", asGeneric);
      assertThat(again).isEqualTo(bytes);
    }
  }
}
