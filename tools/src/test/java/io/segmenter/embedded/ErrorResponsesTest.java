package io.segmenter.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.embedded.RegistryHttp.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client mistakes get Confluent's status and error_code, never a 500. */
class ErrorResponsesTest {
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
  void invalidSchemaIs42201() {
    Reply reply = http.postSchema("/subjects/customers-value/versions", "{\"type\":\"record\",\"name\":\"X\"}");
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).startsWith("Invalid schema");
    assertThat(reply.raw().headers().firstValue("Content-Type")).hasValue(RegistryHttp.CONTENT_TYPE);

    assertThat(http.post("/subjects/customers-value/versions", Map.of()).errorCodeOr0()).isEqualTo(42201);
    assertThat(http.post("/subjects/customers-value/versions", Map.of("schema", 12)).errorCodeOr0()).isEqualTo(42201);
    assertThat(http.get("/subjects").json()).as("nothing registered").isEmpty();
  }

  @Test
  void nonAvroSchemaTypeIs42201() {
    Reply reply =
        http.post("/subjects/customers-value/versions", Map.of("schema", "syntax = \"proto3\";", "schemaType", "PROTOBUF"));
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).contains("only AVRO");

    Reply explicitAvro =
        http.post(
            "/subjects/customers-value/versions",
            Map.of("schema", Schemas.V1, "schemaType", "AVRO", "references", List.of()));
    assertThat(explicitAvro.status()).isEqualTo(200);
  }

  @Test
  void unknownIdIs40403() {
    Reply reply = http.get("/schemas/ids/4242");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo(40403);
    assertThat(reply.message()).isEqualTo("Schema 4242 not found");
    assertThat(http.get("/schemas/ids/4242/versions").errorCodeOr0()).isEqualTo(40403);
  }

  @Test
  void unknownSubjectVersionAndBadVersion() {
    Reply subject = http.get("/subjects/nobody/versions");
    assertThat(subject.status()).isEqualTo(404);
    assertThat(subject.errorCode()).isEqualTo(40401);
    assertThat(subject.message()).isEqualTo("Subject 'nobody' not found.");
    assertThat(http.get("/subjects/nobody/versions/latest").errorCodeOr0()).isEqualTo(40401);
    assertThat(http.postSchema("/subjects/nobody", Schemas.V1).errorCodeOr0()).isEqualTo(40401);

    http.register("customers-value", Schemas.V1);
    Reply version = http.get("/subjects/customers-value/versions/9");
    assertThat(version.status()).isEqualTo(404);
    assertThat(version.errorCode()).isEqualTo(40402);
    assertThat(version.message()).isEqualTo("Version 9 not found.");

    Reply bad = http.get("/subjects/customers-value/versions/first");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.errorCode()).isEqualTo(42202);
    assertThat(http.get("/subjects/customers-value/versions/0").errorCodeOr0()).isEqualTo(42202);

    Reply notInSubject = http.postSchema("/subjects/customers-value", Schemas.ORDER);
    assertThat(notInSubject.status()).isEqualTo(404);
    assertThat(notInSubject.errorCode()).isEqualTo(40403);
    assertThat(notInSubject.message()).isEqualTo("Schema not found");
  }

  @Test
  void malformedJsonIsAClientError() {
    Reply reply = http.send("POST", "/subjects/customers-value/versions", "{\"schema\": ", RegistryHttp.CONTENT_TYPE);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo(400);

    Reply notAnObject = http.send("POST", "/subjects/customers-value/versions", "[1,2]", RegistryHttp.CONTENT_TYPE);
    assertThat(notAnObject.status()).isEqualTo(422);
    assertThat(notAnObject.errorCode()).isEqualTo(422);

    Reply empty = http.send("POST", "/subjects/customers-value/versions", "", RegistryHttp.CONTENT_TYPE);
    assertThat(empty.status()).isBetween(400, 499);
  }

  @Test
  void acceptsConfluentAndJsonContentTypesOnly() {
    String body = "{\"schema\":" + RegistryHttp.JSON.valueToTree(Schemas.V1) + "}";
    for (String type :
        List.of(
            "application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json",
            "application/json; charset=utf-8",
            "application/octet-stream")) {
      assertThat(http.send("POST", "/subjects/customers-value/versions", body, type).status()).as(type).isEqualTo(200);
    }
    Reply text = http.send("POST", "/subjects/customers-value/versions", body, "text/plain");
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.errorCode()).isEqualTo(415);
  }

  @Test
  void unknownPathAndWrongMethod() {
    Reply unknown = http.get("/nowhere");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo(404);
    assertThat(unknown.message()).isEqualTo("HTTP 404 Not Found");
    assertThat(http.get("/subjects/a/versions/1/schema/extra").status()).isEqualTo(404);
    assertThat(http.get("/schemas/ids/not-a-number").status()).isEqualTo(404);

    Reply wrongMethod = http.put("/subjects", Map.of());
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.errorCode()).isEqualTo(405);
    assertThat(http.delete("/config").status()).isEqualTo(405);
  }

  @Test
  void rootAnswersEmptyObject() {
    Reply root = http.get("/");
    assertThat(root.status()).isEqualTo(200);
    assertThat(root.json().isObject()).isTrue();
    assertThat(root.json()).isEmpty();
  }
}
