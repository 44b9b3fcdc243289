package io.segmenter.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.embedded.RegistryHttp.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Compatibility levels, the config API and the compatibility endpoint over real HTTP. */
class CompatibilityOverHttpTest {
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
  void backwardAcceptsAFieldWithDefaultAndRefusesOneWithout() {
    http.register("customers-value", Schemas.V1);

    Reply refused = http.postSchema("/subjects/customers-value/versions", Schemas.V2_NO_DEFAULT);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.message())
        .startsWith("Schema being registered is incompatible with an earlier schema for subject \"customers-value\"")
        .contains("details: [")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(EmbeddedSchemaRegistryTest.ints(http.get("/subjects/customers-value/versions").json()))
        .as("a refused schema adds no version")
        .containsExactly(1);

    Reply accepted = http.postSchema("/subjects/customers-value/versions", Schemas.V2_WITH_DEFAULT);
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(http.get("/subjects/customers-value/versions/latest").json().get("version").asInt()).isEqualTo(2);
  }

  @Test
  void forwardPerSubjectAcceptsAFieldWithoutDefaultButNotATypeChange() {
    setSubjectLevel("customers-value", "FORWARD");
    http.register("customers-value", Schemas.V1);

    assertThat(http.postSchema("/subjects/customers-value/versions", Schemas.V2_NO_DEFAULT).status()).isEqualTo(200);
    assertThat(http.postSchema("/subjects/customers-value/versions", Schemas.V1_ID_AS_INT).status()).isEqualTo(409);
    // The global level still applies to other subjects.
    http.register("other-value", Schemas.V1);
    assertThat(http.postSchema("/subjects/other-value/versions", Schemas.V2_NO_DEFAULT).status()).isEqualTo(409);
  }

  @Test
  void fullRequiresBothDirections() {
    setSubjectLevel("customers-value", "FULL");
    http.register("customers-value", Schemas.V1);

    assertThat(http.postSchema("/subjects/customers-value/versions", Schemas.V2_NO_DEFAULT).status())
        .as("forward-only compatible")
        .isEqualTo(409);
    assertThat(http.postSchema("/subjects/customers-value/versions", Schemas.V2_WITH_DEFAULT).status()).isEqualTo(200);
  }

  @Test
  void transitiveChecksEveryVersionNonTransitiveOnlyTheLatest() {
    // V1 -> V2_WITH_DEFAULT -> V2_NO_DEFAULT: the last step is BACKWARD against V2 but not against V1.
    setSubjectLevel("plain-value", "BACKWARD");
    setSubjectLevel("transitive-value", "BACKWARD_TRANSITIVE");
    for (String subject : new String[] {"plain-value", "transitive-value"}) {
      http.register(subject, Schemas.V1);
      http.register(subject, Schemas.V2_WITH_DEFAULT);
    }

    assertThat(http.postSchema("/subjects/plain-value/versions", Schemas.V2_NO_DEFAULT).status()).isEqualTo(200);
    Reply refused = http.postSchema("/subjects/transitive-value/versions", Schemas.V2_NO_DEFAULT);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.message()).contains("{oldSchemaVersion: 1}");
  }

  @Test
  void noneAcceptsAnything() {
    setSubjectLevel("customers-value", "NONE");
    http.register("customers-value", Schemas.V1);
    assertThat(http.postSchema("/subjects/customers-value/versions", Schemas.V1_ID_AS_INT).status()).isEqualTo(200);
  }

  @Test
  void globalConfigCanBeReadAndChanged() {
    assertThat(http.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

    Reply put = http.put("/config", Map.of("compatibility", "NONE"));
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get("compatibility").asText()).isEqualTo("NONE");
    assertThat(http.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("NONE");

    http.register("customers-value", Schemas.V1);
    assertThat(http.postSchema("/subjects/customers-value/versions", Schemas.V1_ID_AS_INT).status()).isEqualTo(200);
  }

  @Test
  void subjectConfigLifecycle() {
    Reply unset = http.get("/config/customers-value");
    assertThat(unset.status()).isEqualTo(404);
    assertThat(unset.errorCode()).isEqualTo(40408);
    assertThat(http.get("/config/customers-value?defaultToGlobal=true").json().get("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");

    setSubjectLevel("customers-value", "FULL_TRANSITIVE");
    assertThat(http.get("/config/customers-value").json().get("compatibilityLevel").asText())
        .isEqualTo("FULL_TRANSITIVE");

    Reply deleted = http.delete("/config/customers-value");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("compatibilityLevel").asText()).isEqualTo("FULL_TRANSITIVE");
    assertThat(http.get("/config/customers-value").errorCodeOr0()).isEqualTo(40408);
  }

  @Test
  void invalidLevelIs42203() {
    Reply global = http.put("/config", Map.of("compatibility", "SIDEWAYS"));
    assertThat(global.status()).isEqualTo(422);
    assertThat(global.errorCode()).isEqualTo(42203);
    Reply subject = http.put("/config/customers-value", Map.of("nothing", "here"));
    assertThat(subject.status()).isEqualTo(422);
    assertThat(subject.errorCode()).isEqualTo(42203);
    assertThat(http.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
  }

  @Test
  void compatibilityEndpointAnswersWithoutRegistering() {
    http.register("customers-value", Schemas.V1);

    Reply incompatible =
        http.postSchema("/compatibility/subjects/customers-value/versions/latest?verbose=true", Schemas.V2_NO_DEFAULT);
    assertThat(incompatible.status()).isEqualTo(200);
    assertThat(incompatible.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(incompatible.json().get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");

    Reply compatible = http.postSchema("/compatibility/subjects/customers-value/versions/1", Schemas.V2_WITH_DEFAULT);
    assertThat(compatible.json().get("is_compatible").asBoolean()).isTrue();
    assertThat(compatible.json().has("messages")).as("only with verbose=true").isFalse();

    assertThat(EmbeddedSchemaRegistryTest.ints(http.get("/subjects/customers-value/versions").json()))
        .containsExactly(1);
  }

  @Test
  void compatibilityEndpointEdgeCases() {
    Reply unknownSubject = http.postSchema("/compatibility/subjects/nobody/versions/latest", Schemas.V1);
    assertThat(unknownSubject.status()).isEqualTo(200);
    assertThat(unknownSubject.json().get("is_compatible").asBoolean()).isTrue();

    http.register("customers-value", Schemas.V1);
    assertThat(http.postSchema("/compatibility/subjects/customers-value/versions/7", Schemas.V1).errorCodeOr0())
        .isEqualTo(40402);
    assertThat(http.postSchema("/compatibility/subjects/customers-value/versions/abc", Schemas.V1).errorCodeOr0())
        .isEqualTo(42202);
    assertThat(http.postSchema("/compatibility/subjects/customers-value/versions/latest", "{").errorCodeOr0())
        .isEqualTo(42201);
  }

  private void setSubjectLevel(String subject, String level) {
    Reply reply = http.put("/config/" + subject, Map.of("compatibility", level));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("compatibility").asText()).isEqualTo(level);
  }
}
