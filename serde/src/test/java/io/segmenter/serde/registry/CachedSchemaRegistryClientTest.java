package io.segmenter.serde.registry;

import static io.segmenter.serde.registry.TestSchemas.V1;
import static io.segmenter.serde.registry.TestSchemas.V2;
import static io.segmenter.serde.registry.TestSchemas.V3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client over HTTP against {@link MiniRegistry}: its caches (counted in requests), the encoding
 * of subjects, and Confluent's answers and error codes as the client reads them.
 */
@Timeout(30)
class CachedSchemaRegistryClientTest {
  private static final String SUBJECT = "customers-value";

  private MiniRegistry registry;
  private CachedSchemaRegistryClient client;

  @BeforeEach
  void start() {
    registry = MiniRegistry.start();
    client = newClient(Map.of());
  }

  @AfterEach
  void stop() {
    client.close();
    registry.close();
  }

  @Test
  void registersAndFetchesByIdFromAFreshClient() {
    int id = client.register(SUBJECT, V1);

    try (CachedSchemaRegistryClient fresh = newClient(Map.of())) {
      assertThat(fresh.getSchemaById(id)).isEqualTo(V1);
    }
    assertThat(client.register(SUBJECT, V1)).as("registering again gives the same id").isEqualTo(id);
  }

  @Test
  void looksUpTheIdOfARegisteredSchema() {
    int id = client.register(SUBJECT, V1);

    try (CachedSchemaRegistryClient fresh = newClient(Map.of())) {
      assertThat(fresh.getId(SUBJECT, V1)).isEqualTo(id);
    }
  }

  @Test
  void readsVersionsLatestAndSubjects() {
    int id1 = client.register(SUBJECT, V1);
    int id2 = client.register(SUBJECT, V2);
    client.register("orders-value", TestSchemas.named("Order"));

    RegisteredSchema latest = client.getLatestVersion(SUBJECT);
    assertThat(latest).isEqualTo(new RegisteredSchema(SUBJECT, 2, id2, V2));
    assertThat(client.getVersion(SUBJECT, 1)).isEqualTo(new RegisteredSchema(SUBJECT, 1, id1, V1));
    assertThat(client.getVersions(SUBJECT)).containsExactly(1, 2);
    assertThat(client.getSubjects()).containsExactlyInAnyOrder(SUBJECT, "orders-value");
  }

  @Test
  void subjectsWithSlashesAndSpacesAreEncoded() {
    String subject = "team/a customers.value";
    int id = client.register(subject, V1);

    assertThat(client.getSubjects()).containsExactly(subject);
    try (CachedSchemaRegistryClient fresh = newClient(Map.of())) {
      assertThat(fresh.getLatestVersion(subject).id()).isEqualTo(id);
      assertThat(fresh.getId(subject, V1)).isEqualTo(id);
    }
  }

  @Test
  void checksCompatibilityAgainstTheLatestVersion() {
    assertThat(client.isCompatible(SUBJECT, V3)).as("no subject yet: nothing to be incompatible with").isTrue();
    client.register(SUBJECT, V1);

    assertThat(client.isCompatible(SUBJECT, V2)).isTrue();
    assertThat(client.isCompatible(SUBJECT, V3)).isFalse();
  }

  @Test
  void readsAndUpdatesCompatibilityLevels() {
    assertThat(client.getCompatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(client.getCompatibility(SUBJECT)).as("defaults to global").isEqualTo(CompatibilityLevel.BACKWARD);

    assertThat(client.updateCompatibility(SUBJECT, CompatibilityLevel.NONE)).isEqualTo(CompatibilityLevel.NONE);
    assertThat(client.updateCompatibility(null, CompatibilityLevel.FULL_TRANSITIVE))
        .isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);

    assertThat(client.getCompatibility(SUBJECT)).isEqualTo(CompatibilityLevel.NONE);
    assertThat(client.getCompatibility("other-value")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    assertThat(client.getCompatibility(null)).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
  }

  @Test
  void afterFirstUseTheHotPathMakesNoHttpCalls() {
    int id = client.register(SUBJECT, V1);
    client.getLatestVersion(SUBJECT);
    client.getVersion(SUBJECT, 1);
    registry.resetRequestCount();

    for (int i = 0; i < 100; i++) {
      assertThat(client.register(SUBJECT, V1)).isEqualTo(id);
      assertThat(client.getId(SUBJECT, V1)).isEqualTo(id);
      assertThat(client.getSchemaById(id)).isSameAs(V1);
      assertThat(client.getLatestVersion(SUBJECT).id()).isEqualTo(id);
      assertThat(client.getVersion(SUBJECT, 1).id()).isEqualTo(id);
    }
    assertThat(registry.requestCount()).isZero();
  }

  @Test
  void aFetchedSchemaIsCachedByIdAndByContent() {
    int id = client.register(SUBJECT, V1);
    try (CachedSchemaRegistryClient reader = newClient(Map.of())) {
      registry.resetRequestCount();
      Schema fetched = reader.getSchemaById(id);
      assertThat(reader.getSchemaById(id)).isSameAs(fetched);
      assertThat(registry.requestCount()).isEqualTo(1);

      registry.resetRequestCount();
      RegisteredSchema latest = reader.getLatestVersion(SUBJECT);
      assertThat(latest.schema()).as("the id cache's instance is reused").isSameAs(fetched);
      assertThat(reader.getId(SUBJECT, V1)).as("known from the latest version").isEqualTo(id);
      assertThat(registry.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void registeringForgetsTheCachedLatestVersion() {
    client.register(SUBJECT, V1);
    assertThat(client.getLatestVersion(SUBJECT).version()).isEqualTo(1);

    int id2 = client.register(SUBJECT, V2);

    assertThat(client.getLatestVersion(SUBJECT).id()).isEqualTo(id2);
  }

  @Test
  void latestVersionIsNotCachedWithTtlZero() {
    try (CachedSchemaRegistryClient noLatestCache = newClient(Map.of("latest.cache.ttl.sec", 0))) {
      noLatestCache.register(SUBJECT, V1);
      registry.resetRequestCount();

      noLatestCache.getLatestVersion(SUBJECT);
      noLatestCache.getLatestVersion(SUBJECT);

      assertThat(registry.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void latestVersionIsRefetchedOnceItsTtlHasPassed() {
    AtomicLong nanos = new AtomicLong(1_000);
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.fromProperties(
            Map.of("schema.registry.url", registry.url(), "latest.cache.ttl.sec", 10));
    try (CachedSchemaRegistryClient ttlClient = new CachedSchemaRegistryClient(config, nanos::get)) {
      client.register(SUBJECT, V1);
      registry.resetRequestCount();

      assertThat(ttlClient.getLatestVersion(SUBJECT).version()).isEqualTo(1);
      client.register(SUBJECT, V2); // by another client: ttlClient cannot know
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(9));
      assertThat(ttlClient.getLatestVersion(SUBJECT).version()).as("still cached").isEqualTo(1);
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
      assertThat(ttlClient.getLatestVersion(SUBJECT).version()).as("expired: fetched again").isEqualTo(2);
      assertThat(registry.requestCount()).isEqualTo(3); // two latest fetches and the other client's register
    }
  }

  @Test
  void incompatibleRegistrationSurfacesTheRegistrysAnswer() {
    client.register(SUBJECT, V1);
    registry.resetRequestCount();

    assertThatThrownBy(() -> client.register(SUBJECT, V3))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
          assertThat(e.getMessage()).contains("incompatible with an earlier schema").contains(registry.url());
          assertThat(e.isRetriable()).isFalse();
        });
    assertThat(registry.requestCount()).as("4xx are not retried").isEqualTo(1);
  }

  @Test
  void unknownIdAndSubjectAreNotFound() {
    registry.resetRequestCount();
    assertThatThrownBy(() -> client.getSchemaById(4242))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(404);
          assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
          assertThat(e.isNotFound()).isTrue();
        });
    assertThat(registry.requestCount()).isEqualTo(1);

    assertThatThrownBy(() -> client.getLatestVersion("nobody-value"))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    client.register(SUBJECT, V1);
    assertThatThrownBy(() -> client.getId(SUBJECT, V2))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    assertThatThrownBy(() -> client.getVersion(SUBJECT, 9))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.VERSION_NOT_FOUND));
  }

  @Test
  void refusesToCacheMoreSchemasPerSubjectThanConfigured() {
    try (CachedSchemaRegistryClient bounded = newClient(Map.of("max.schemas.per.subject", 2))) {
      bounded.updateCompatibility(null, CompatibilityLevel.NONE);
      int first = bounded.register(SUBJECT, TestSchemas.named("A"));
      bounded.register(SUBJECT, TestSchemas.named("B"));
      registry.resetRequestCount();

      assertThatThrownBy(() -> bounded.register(SUBJECT, TestSchemas.named("C")))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.CLIENT_ERROR);
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.getMessage()).contains("max.schemas.per.subject=2").contains(SUBJECT);
          });
      assertThat(registry.requestCount()).as("refused before any HTTP call").isZero();
      assertThat(bounded.register(SUBJECT, TestSchemas.named("A"))).as("cached ones still work").isEqualTo(first);
      assertThat(bounded.register("other-value", TestSchemas.named("C"))).as("the bound is per subject").isPositive();
    }
  }

  @Test
  void concurrentColdCallsAgreeAndThenHitTheCache() throws Exception {
    int id = client.register(SUBJECT, V1);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (CachedSchemaRegistryClient cold = newClient(Map.of())) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Schema>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          go.await();
          assertThat(cold.register(SUBJECT, V1)).isEqualTo(id);
          return cold.getSchemaById(id);
        }));
      }
      go.countDown();
      Schema first = results.get(0).get(20, TimeUnit.SECONDS);
      for (Future<Schema> result : results) {
        assertThat(result.get(20, TimeUnit.SECONDS)).isSameAs(first);
      }
      registry.resetRequestCount();
      assertThat(cold.getSchemaById(id)).isSameAs(first);
      assertThat(registry.requestCount()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  private CachedSchemaRegistryClient newClient(Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(extra);
    props.put("schema.registry.url", registry.url());
    return CachedSchemaRegistryClient.fromProperties(props);
  }
}
