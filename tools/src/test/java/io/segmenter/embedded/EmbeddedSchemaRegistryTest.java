package io.segmenter.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmenter.embedded.RegistryHttp.Reply;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Core REST behaviour over real HTTP: register, look up, read back. */
class EmbeddedSchemaRegistryTest {
  private EmbeddedSchemaRegistry registry;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    registry = EmbeddedSchemaRegistry.start();
    http = new RegistryHttp(registry.url());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void urlPointsAtTheBoundPort() {
    assertThat(registry.port()).isPositive();
    assertThat(registry.url()).isEqualTo("http://127.0.0.1:" + registry.port());
  }

  @Test
  void registersAndReadsBackBySubjectVersionAndId() {
    int id = http.register("customers-value", Schemas.V1);

    Reply byId = http.get("/schemas/ids/" + id);
    assertThat(byId.status()).isEqualTo(200);
    assertThat(byId.raw().headers().firstValue("Content-Type")).hasValue(RegistryHttp.CONTENT_TYPE);
    assertThat(new Schema.Parser().parse(byId.json().get("schema").asText()))
        .isEqualTo(new Schema.Parser().parse(Schemas.V1));
    assertThat(byId.json().has("schemaType")).as("omitted for AVRO, like Confluent").isFalse();

    Reply latest = http.get("/subjects/customers-value/versions/latest");
    assertThat(latest.status()).isEqualTo(200);
    assertThat(latest.json().get("subject").asText()).isEqualTo("customers-value");
    assertThat(latest.json().get("version").asInt()).isEqualTo(1);
    assertThat(latest.json().get("id").asInt()).isEqualTo(id);

    Reply lookup = http.postSchema("/subjects/customers-value", Schemas.V1_REFORMATTED);
    assertThat(lookup.status()).isEqualTo(200);
    assertThat(lookup.json().get("id").asInt()).isEqualTo(id);
    assertThat(lookup.json().get("version").asInt()).isEqualTo(1);
    assertThat(lookup.json().get("subject").asText()).isEqualTo("customers-value");
    assertThat(lookup.json().get("schema").asText()).isEqualTo(byId.json().get("schema").asText());
  }

  @Test
  void listsVersionsAndSubjects() {
    int id1 = http.register("customers-value", Schemas.V1);
    int id2 = http.register("customers-value", Schemas.V2_WITH_DEFAULT);
    http.register("orders-value", Schemas.ORDER);
    http.register("a-first", Schemas.ORDER);

    assertThat(id2).isNotEqualTo(id1);
    assertThat(ints(http.get("/subjects/customers-value/versions").json())).containsExactly(1, 2);
    assertThat(strings(http.get("/subjects").json())).containsExactly("a-first", "customers-value", "orders-value");

    Reply v1 = http.get("/subjects/customers-value/versions/1");
    assertThat(v1.json().get("id").asInt()).isEqualTo(id1);
    Reply latest = http.get("/subjects/customers-value/versions/latest");
    assertThat(latest.json().get("version").asInt()).isEqualTo(2);
    assertThat(latest.json().get("id").asInt()).isEqualTo(id2);
    assertThat(http.get("/subjects/customers-value/versions/-1").json().get("version").asInt()).isEqualTo(2);

    Reply raw = http.get("/subjects/customers-value/versions/2/schema");
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.json().get("name").asText()).as("the schema itself, not wrapped").isEqualTo("Customer");
    assertThat(raw.json().get("fields")).hasSize(2);
  }

  @Test
  void sameSchemaTwiceInOneSubjectKeepsIdAndAddsNoVersion() {
    int first = http.register("customers-value", Schemas.V1);
    int second = http.register("customers-value", Schemas.V1_REFORMATTED);

    assertThat(second).isEqualTo(first);
    assertThat(ints(http.get("/subjects/customers-value/versions").json())).containsExactly(1);
  }

  @Test
  void sameSchemaInTwoSubjectsSharesTheIdWithAVersionInEach() {
    int first = http.register("customers-value", Schemas.V1);
    // NONE so that other-value can hold an unrelated schema before V1 (its V1 then is version 2).
    assertThat(http.put("/config/other-value", java.util.Map.of("compatibility", "NONE")).status()).isEqualTo(200);
    http.register("other-value", Schemas.ORDER);
    int second = http.register("other-value", Schemas.V1);

    assertThat(second).isEqualTo(first);
    assertThat(http.get("/subjects/other-value/versions/2").json().get("id").asInt()).isEqualTo(first);
    JsonNode usages = http.get("/schemas/ids/" + first + "/versions").json();
    assertThat(usages).hasSize(2);
    assertThat(usages.get(0).get("subject").asText()).isEqualTo("customers-value");
    assertThat(usages.get(0).get("version").asInt()).isEqualTo(1);
    assertThat(usages.get(1).get("subject").asText()).isEqualTo("other-value");
    assertThat(usages.get(1).get("version").asInt()).isEqualTo(2);
  }

  @Test
  void idsAreGlobalAcrossSubjects() {
    int a = http.register("a-value", Schemas.V1);
    int b = http.register("b-value", Schemas.ORDER);
    assertThat(b).isNotEqualTo(a);
    assertThat(http.get("/schemas/ids/" + b).json().get("schema").asText()).contains("Order");
  }

  @Test
  void deleteSubjectIsSoftIdsStayResolvable() {
    int id = http.register("customers-value", Schemas.V1);
    http.register("customers-value", Schemas.V2_WITH_DEFAULT);

    Reply deleted = http.delete("/subjects/customers-value");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(ints(deleted.json())).containsExactly(1, 2);

    assertThat(http.get("/subjects").json()).isEmpty();
    assertThat(http.get("/subjects/customers-value/versions").errorCodeOr0()).isEqualTo(40401);
    assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
    assertThat(http.delete("/subjects/customers-value").errorCodeOr0()).isEqualTo(40401);

    // Re-registering after a soft delete continues the numbering, as Confluent does.
    assertThat(http.register("customers-value", Schemas.V1)).isEqualTo(id);
    assertThat(ints(http.get("/subjects/customers-value/versions").json())).containsExactly(3);
  }

  @Test
  void deleteVersionRemovesOnlyThatVersion() {
    http.register("customers-value", Schemas.V1);
    http.register("customers-value", Schemas.V2_WITH_DEFAULT);

    Reply deleted = http.delete("/subjects/customers-value/versions/1");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().asInt()).isEqualTo(1);
    assertThat(ints(http.get("/subjects/customers-value/versions").json())).containsExactly(2);
    assertThat(http.get("/subjects/customers-value/versions/1").errorCodeOr0()).isEqualTo(40402);
  }

  static java.util.List<Integer> ints(JsonNode array) {
    java.util.List<Integer> result = new java.util.ArrayList<>();
    array.forEach(n -> result.add(n.asInt()));
    return result;
  }

  static java.util.List<String> strings(JsonNode array) {
    java.util.List<String> result = new java.util.ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }
}
