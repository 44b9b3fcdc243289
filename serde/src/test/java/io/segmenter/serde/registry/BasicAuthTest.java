package io.segmenter.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Basic auth against {@link MiniRegistry}, which answers 401 without the right credentials. */
@Timeout(30)
class BasicAuthTest {
  private static final String USER = "segmenter";
  private static final String PASSWORD = "p@ss:word";

  private MiniRegistry registry;

  @BeforeEach
  void start() {
    registry = MiniRegistry.startWithBasicAuth(USER, PASSWORD);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void userInfoCredentialsAreAccepted() {
    try (CachedSchemaRegistryClient client =
        CachedSchemaRegistryClient.fromProperties(
            Map.of(
                "schema.registry.url", registry.url(),
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", USER + ":" + PASSWORD))) {
      int id = client.register("auth-value", TestSchemas.V1);
      assertThat(client.getLatestVersion("auth-value").id()).isEqualTo(id);
    }
  }

  @Test
  void credentialsInTheUrlAreAccepted() {
    String url = registry.url().replace("http://", "http://" + USER + ":p%40ss%3Aword@");
    try (CachedSchemaRegistryClient client =
        CachedSchemaRegistryClient.fromProperties(
            Map.of("schema.registry.url", url, "basic.auth.credentials.source", "URL"))) {
      assertThat(client.register("auth-value", TestSchemas.V1)).isPositive();
      assertThat(client.getSubjects()).containsExactly("auth-value");
    }
  }

  @Test
  void wrongCredentialsAreRefusedOnceWithoutRetryOrEcho() {
    try (CachedSchemaRegistryClient client =
        CachedSchemaRegistryClient.fromProperties(
            Map.of(
                "schema.registry.url", registry.url(),
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", USER + ":wrong-password",
                "retries.wait.ms", 1))) {
      assertThatThrownBy(() -> client.getSubjects())
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.getMessage()).doesNotContain("wrong-password");
          });
      assertThat(registry.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void missingCredentialsAreRefusedOnce() {
    try (CachedSchemaRegistryClient client =
        CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url()))) {
      assertThatThrownBy(() -> client.register("auth-value", TestSchemas.V1))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
      assertThat(registry.requestCount()).isEqualTo(1);
    }
  }
}
