package io.segmenter.it;

import io.segmenter.embedded.EmbeddedKafka;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-JVM KRaft broker shared by every test class that registers this extension, instead of one
 * broker per class (about 2 s each, and their topics, add up in CI):
 *
 * <pre>
 *   &#64;RegisterExtension static final SharedKafka KAFKA = new SharedKafka();
 *   ... KAFKA.bootstrapServers(), KAFKA.uniqueName("thread-failure") ...
 * </pre>
 *
 * <p>The broker starts with the first class that asks for it and lives in JUnit's root store, which
 * closes it once every test of the run has finished (Failsafe runs all IT classes in one JVM). A class
 * that shares it must keep to its own names: its own application ids and topics, from
 * {@link #uniqueName}, never the defaults.
 */
final class SharedKafka implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedKafka.class);

  private volatile EmbeddedKafka broker;

  /** The broker, owned by the root store: closed when the root context closes, at the end of the run. */
  private static final class Broker implements AutoCloseable {
    final EmbeddedKafka kafka;

    Broker() {
      try {
        kafka = EmbeddedKafka.start();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the shared in-JVM broker", e);
      }
    }

    @Override
    public void close() throws Exception {
      kafka.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // Synchronised by the store: one broker however many classes start at once.
    broker = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Broker.class, k -> new Broker(), Broker.class).kafka;
  }

  EmbeddedKafka broker() {
    EmbeddedKafka b = broker;
    if (b == null) throw new IllegalStateException("register SharedKafka with @RegisterExtension on a static field");
    return b;
  }

  String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** Settings for a client of the broker (bootstrap.servers). */
  Map<String, Object> clientConfig() {
    return new HashMap<>(broker().clientConfig());
  }

  Admin admin() {
    return Admin.create(clientConfig());
  }

  /** A name no other test on the shared broker uses: {@code prefix-<8 hex digits>}. */
  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  }
}
