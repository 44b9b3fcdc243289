package io.segmenter.serde.registry;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A registry server on a free loopback port and a real client for it, for one test class. The
 * serde's tests run it on {@link MiniRegistry}; the tools' tests on segmenter's embedded registry.
 *
 * @param <R> the registry server
 */
public class RegistryFixture<R extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<R> start;
  private final Function<R, String> url;
  private R registry;
  private SchemaRegistryClient client;

  protected RegistryFixture(Supplier<R> start, Function<R, String> url) {
    this.start = start;
    this.url = url;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    registry = start.get();
    client = CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", url()));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (client != null) {
      client.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  public R registry() {
    return registry;
  }

  /** The registry's base URL, for a serde's {@code schema.registry.url}. */
  public String url() {
    return url.apply(registry);
  }

  public SchemaRegistryClient client() {
    return client;
  }
}
