package io.segmenter.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.embedded.RegistryHttp.Reply;
import io.segmenter.serde.registry.CompatibilityLevel;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Server-level behaviour: encoding, authentication, counting, concurrency, lifecycle. */
class ServerBehaviourTest {

  @Test
  void subjectsWithDotsDashesAndEncodedSlashes() {
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      RegistryHttp http = new RegistryHttp(registry.url());
      int dotted = http.register("io.segmenter.Customer-value", Schemas.V1);
      int slashed = http.register("team%2Fcustomers-value", Schemas.ORDER);
      int spaced = http.register("with%20space+plus", Schemas.V1);

      assertThat(EmbeddedSchemaRegistryTest.strings(http.get("/subjects").json()))
          .containsExactly("io.segmenter.Customer-value", "team/customers-value", "with space+plus");
      Reply latest = http.get("/subjects/team%2Fcustomers-value/versions/latest");
      assertThat(latest.status()).isEqualTo(200);
      assertThat(latest.json().get("subject").asText()).isEqualTo("team/customers-value");
      assertThat(latest.json().get("id").asInt()).isEqualTo(slashed);
      assertThat(http.get("/subjects/io.segmenter.Customer-value/versions/1").json().get("id").asInt())
          .isEqualTo(dotted);
      assertThat(spaced).isEqualTo(dotted);
      assertThat(http.get("/subjects/team/customers-value/versions").status())
          .as("an unencoded slash is a different path")
          .isEqualTo(404);
    }
  }

  @Test
  void basicAuthRefusesMissingOrWrongCredentials() {
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().basicAuth("alice", "s3cret").start()) {
      RegistryHttp anonymous = new RegistryHttp(registry.url());
      Reply refused = anonymous.get("/subjects");
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.errorCode()).isEqualTo(401);
      assertThat(refused.message()).isEqualTo("Unauthorized");
      assertThat(refused.raw().headers().firstValue("WWW-Authenticate"))
          .hasValue("Basic realm=\"segmenter-embedded-registry\"");

      assertThat(anonymous.withBasicAuth("alice", "wrong").postSchema("/subjects/c/versions", Schemas.V1).status())
          .isEqualTo(401);

      RegistryHttp alice = anonymous.withBasicAuth("alice", "s3cret");
      assertThat(alice.postSchema("/subjects/c/versions", Schemas.V1).status()).isEqualTo(200);
      assertThat(alice.get("/subjects").json()).hasSize(1);
    }
  }

  @Test
  void requestCountCountsEveryRequestIncludingRejectedOnes() {
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().basicAuth("alice", "s3cret").start()) {
      RegistryHttp anonymous = new RegistryHttp(registry.url());
      RegistryHttp alice = anonymous.withBasicAuth("alice", "s3cret");
      assertThat(registry.requestCount()).isZero();

      anonymous.get("/subjects"); // 401
      alice.get("/nowhere"); // 404
      alice.get("/schemas/ids/99"); // 404 40403
      alice.postSchema("/subjects/c/versions", Schemas.V1); // 200
      assertThat(registry.requestCount()).isEqualTo(4);

      registry.resetRequestCount();
      assertThat(registry.requestCount()).isZero();
      alice.get("/subjects");
      assertThat(registry.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void concurrentRegistrationsOfOneSchemaGetOneIdAndOneVersion() throws Exception {
    int threads = 8;
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> ids = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          RegistryHttp http = new RegistryHttp(registry.url()); // one client each: separate connections
          ids.add(
              pool.submit(
                  () -> {
                    go.await();
                    return http.register("customers-value", Schemas.V1);
                  }));
        }
        go.countDown();
        Set<Integer> distinct = new HashSet<>();
        for (Future<Integer> id : ids) {
          distinct.add(id.get(30, TimeUnit.SECONDS));
        }
        assertThat(distinct).hasSize(1);
        assertThat(
                EmbeddedSchemaRegistryTest.ints(
                    new RegistryHttp(registry.url()).get("/subjects/customers-value/versions").json()))
            .containsExactly(1);
        assertThat(registry.requestCount()).isEqualTo(threads + 1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void closeFreesThePortAtOnceAndIsIdempotent() {
    EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start();
    int port = first.port();
    new RegistryHttp(first.url()).register("customers-value", Schemas.V1); // leaves a keep-alive connection
    long before = System.nanoTime();
    first.close();
    first.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThan(2_000);

    try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.builder().port(port).start()) {
      assertThat(second.port()).isEqualTo(port);
      assertThat(new RegistryHttp(second.url()).get("/subjects").json()).as("fresh state").isEmpty();
    }
  }

  @Test
  void startOnATakenPortFailsClearly() {
    try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start()) {
      assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().port(first.port()).start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("127.0.0.1:" + first.port())
          .hasMessageContaining("in use");
    }
  }

  @Test
  void defaultCompatibilityIsConfigurable() {
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.builder().defaultCompatibility(CompatibilityLevel.NONE).start()) {
      RegistryHttp http = new RegistryHttp(registry.url());
      assertThat(http.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("NONE");
      http.register("customers-value", Schemas.V1);
      assertThat(http.postSchema("/subjects/customers-value/versions", Schemas.V1_ID_AS_INT).status()).isEqualTo(200);
    }
  }
}
