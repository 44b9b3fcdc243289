package io.segmenter.serde.registry;

import static io.segmenter.serde.registry.ScriptedRegistry.Reply.error;
import static io.segmenter.serde.registry.ScriptedRegistry.Reply.json;
import static io.segmenter.serde.registry.ScriptedRegistry.always;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.serde.registry.ScriptedRegistry.Received;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What goes over the wire and how answers other registries give are read, checked against
 * {@link ScriptedRegistry} (a test double recording requests and replaying answers, not a registry).
 */
@Timeout(30)
class WireFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V1_JSON = TestSchemas.V1.toString();

  @Test
  void sendsConfluentHeadersAuthAndAnEncodedSubject() throws Exception {
    try (ScriptedRegistry server = ScriptedRegistry.start(always(json(200, "{\"id\":5}")));
        CachedSchemaRegistryClient client =
            CachedSchemaRegistryClient.fromProperties(
                Map.of("schema.registry.url", server.url() + "/apis/ccompat/v7/", "basic.auth.user.info", "svc:pw"))) {
      client.register("team/a b.value", TestSchemas.V1);

      Received request = server.received().get(0);
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.rawPath()).isEqualTo("/apis/ccompat/v7/subjects/team%2Fa%20b.value/versions");
      assertThat(request.header("Accept"))
          .isEqualTo("application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5");
      assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
      assertThat(request.header("Authorization"))
          .isEqualTo("Basic " + Base64.getEncoder().encodeToString("svc:pw".getBytes(StandardCharsets.UTF_8)));
      assertThat(JSON.readTree(request.body()).get("schema").asText()).isEqualTo(V1_JSON);
    }
  }

  @Test
  void unknownFieldsInAnswersAreIgnored() {
    String answer =
        "{\"subject\":\"s\",\"version\":3,\"id\":7,\"schema\":" + JSON.valueToTree(V1_JSON)
            + ",\"schemaType\":\"AVRO\",\"references\":[],\"metadata\":{\"x\":1},\"guid\":\"abc\"}";
    try (ScriptedRegistry server = ScriptedRegistry.start(always(json(200, answer)));
        CachedSchemaRegistryClient client = client(server)) {
      assertThat(client.getLatestVersion("s")).isEqualTo(new RegisteredSchema("s", 3, 7, TestSchemas.V1));
    }
  }

  @Test
  void aNonAvroSchemaIsRefusedClearly() {
    String answer = "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}";
    try (ScriptedRegistry server = ScriptedRegistry.start(always(json(200, answer)));
        CachedSchemaRegistryClient client = client(server)) {
      assertThatThrownBy(() -> client.getSchemaById(3))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.CLIENT_ERROR);
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.getMessage()).contains("PROTOBUF").contains("AVRO").contains("GET /schemas/ids/3");
          });
    }
  }

  @Test
  void anInvalidAvroSchemaOrANonJsonAnswerIsRefusedClearly() {
    try (ScriptedRegistry server = ScriptedRegistry.start(always(json(200, "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}")));
        CachedSchemaRegistryClient client = client(server)) {
      assertThatThrownBy(() -> client.getSchemaById(3))
          .isInstanceOfSatisfying(SchemaRegistryException.class,
              e -> assertThat(e.getMessage()).contains("not valid Avro"));
    }
    try (ScriptedRegistry server = ScriptedRegistry.start(always(json(200, "<html>proxy login</html>")));
        CachedSchemaRegistryClient client = client(server)) {
      assertThatThrownBy(() -> client.getSubjects())
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.CLIENT_ERROR);
            assertThat(e.getMessage()).contains("not JSON");
          });
    }
  }

  @Test
  void aMissingIdIsRefusedClearly() {
    try (ScriptedRegistry server = ScriptedRegistry.start(always(json(200, "{\"identifier\":5}")));
        CachedSchemaRegistryClient client = client(server)) {
      assertThatThrownBy(() -> client.register("s", TestSchemas.V1))
          .isInstanceOfSatisfying(SchemaRegistryException.class,
              e -> assertThat(e.getMessage()).contains("no integer \"id\""));
    }
  }

  @Test
  void subjectCompatibilityFallsBackToGlobalOnRegistriesWithoutDefaultToGlobal() {
    ScriptedRegistry.Script script =
        (request, n) ->
            request.rawPath().equals("/config")
                ? json(200, "{\"compatibilityLevel\":\"FORWARD\"}")
                : error(404, 40408, "Subject 's' does not have subject-level compatibility configured");
    try (ScriptedRegistry server = ScriptedRegistry.start(script);
        CachedSchemaRegistryClient client = client(server)) {
      assertThat(client.getCompatibility("s")).isEqualTo(CompatibilityLevel.FORWARD);
      assertThat(server.received().get(0).rawQuery()).isEqualTo("defaultToGlobal=true");
    }
  }

  @Test
  void updateCompatibilitySendsConfluentsFieldAndToleratesAnEmptyAnswer() throws Exception {
    try (ScriptedRegistry server = ScriptedRegistry.start(always(json(200, "{}")));
        CachedSchemaRegistryClient client = client(server)) {
      assertThat(client.updateCompatibility("s", CompatibilityLevel.FULL)).isEqualTo(CompatibilityLevel.FULL);

      Received request = server.received().get(0);
      assertThat(request.method()).isEqualTo("PUT");
      assertThat(request.rawPath()).isEqualTo("/config/s");
      assertThat(JSON.readTree(request.body()).get("compatibility").asText()).isEqualTo("FULL");
    }
  }

  @Test
  void compatibilityWithAMissingVersionIsTrueButOtherErrorsAreNot() {
    try (ScriptedRegistry server = ScriptedRegistry.start(always(error(404, 40402, "Version not found")));
        CachedSchemaRegistryClient client = client(server)) {
      assertThat(client.isCompatible("s", TestSchemas.V1)).isTrue();
    }
    try (ScriptedRegistry server = ScriptedRegistry.start(always(error(404, 404, "HTTP 404 Not Found")));
        CachedSchemaRegistryClient client = client(server)) {
      assertThatThrownBy(() -> client.isCompatible("s", TestSchemas.V1)).isInstanceOf(SchemaRegistryException.class);
    }
  }

  @Test
  void aSchemaWithReferencesIsRefusedClearly() {
    String answer =
        "{\"schema\":" + JSON.valueToTree(Schema.create(Schema.Type.STRING).toString())
            + ",\"references\":[{\"name\":\"a.B\",\"subject\":\"b\",\"version\":1}]}";
    try (ScriptedRegistry server = ScriptedRegistry.start(always(json(200, answer)));
        CachedSchemaRegistryClient client = client(server)) {
      assertThatThrownBy(() -> client.getSchemaById(9)).hasMessageContaining("references are not supported");
    }
  }

  private static CachedSchemaRegistryClient client(ScriptedRegistry server) {
    return CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", server.url(), "max.retries", 0));
  }
}
