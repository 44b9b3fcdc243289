package io.segmenter.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.ops.Health;
import io.segmenter.ops.OpsContext;
import io.segmenter.ops.OpsServer;
import io.segmenter.ops.ThreadFailurePolicy;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import io.segmenter.topology.SegmenterRuntime;
import io.segmenter.topology.SegmenterTopology;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running segmenter instance: its Kafka Streams application, the HTTP server for metrics,
 * health and queries, and the metrics registry behind {@code /metrics}. The same class runs in
 * {@code run} (against a real cluster) and in {@code demo} (against the in-JVM broker).
 */
public final class SegmenterService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmenterService.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final SegmenterConfig config;
  private final PrometheusMeterRegistry meters;
  private final List<AutoCloseable> resources;
  private final SegmenterRuntime runtime;
  private final KafkaStreams streams;
  private final OpsServer ops;
  private final HostInfo self;
  private final StreamThreadFailureHandler threadFailures;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean failed;

  private SegmenterService(SegmenterConfig config, PrometheusMeterRegistry meters, List<AutoCloseable> resources,
      SegmenterRuntime runtime, KafkaStreams streams, OpsServer ops, HostInfo self,
      StreamThreadFailureHandler threadFailures) {
    this.config = config;
    this.meters = meters;
    this.resources = resources;
    this.runtime = runtime;
    this.streams = streams;
    this.ops = ops;
    this.self = self;
    this.threadFailures = threadFailures;
  }

  /**
   * Validates the settings, creates missing topics, checks the existing ones, starts the HTTP server
   * and the streams. A bad setting throws Kafka's {@code ConfigException} (naming it) before anything
   * connects; Kafka or the registry not answering within segmenter.connect.timeout.ms throws
   * {@link Reachability.UnreachableException} (naming the address); a missing or misconfigured topic
   * throws {@link TopicCheckException} (naming it) before the streams start.
   */
  public static SegmenterService start(SegmenterConfig config) throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SegmenterRuntime runtime = new SegmenterRuntime(meters);
    Properties props = SegmenterTopology.streamsProperties(config, runtime);
    // Checked before any network use: a missing bootstrap.servers or a bad Streams setting is named here.
    StreamsConfig streamsConfig = new StreamsConfig(props);
    Reachability.registrySettings(config); // a malformed registry URL is a bad setting, said before connecting
    List<AutoCloseable> resources = new ArrayList<>();
    resources.add(meters::close);
    try {
      bindJvmMetrics(meters, resources);
      OpsServer ops = OpsServer.start(HttpSetup.settings(config, config.pseudonymiser()::pseudonymise), meters);
      resources.add(ops);
      HostInfo self = advertised(config, props, ops.port());
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
      // Reached once within segmenter.connect.timeout.ms, before the topics and the streams: an
      // unreachable broker or registry is named in one line instead of a minute of retries.
      Reachability.check(config, streamsConfig.getAdminConfigs(Reachability.CHECK_CLIENT_ID));
      TopicSetup.prepare(config, streamsConfig.getAdminConfigs("segmenter-setup"));
      SchemaRegistryClient registry = CachedSchemaRegistryClient.fromProperties(config.serdeConfig());
      resources.add(registry);
      KafkaStreams streams = new KafkaStreams(SegmenterTopology.build(config, registry, runtime), props);
      if (runtime.strategies().comparing()) {
        // Before the streams start, so that the global store they restore holds this promotion.
        StrategyControl control = new StrategyControl(config, streamsConfig.getProducerConfigs("segmenter-strategy-control"),
            streamsConfig.getGlobalConsumerConfigs("segmenter-strategy-control"));
        resources.add(control);
        control.reconcile(runtime.strategies().names());
        runtime.strategies().promoter(control::promote);
      }
      StreamThreadFailureHandler threadFailures = new StreamThreadFailureHandler(
          new ThreadFailurePolicy(threadFailureSettings(config), Clock.systemUTC()), meters);
      SegmenterService service = new SegmenterService(config, meters, resources, runtime, streams, ops, self, threadFailures);
      service.startStreams();
      return service;
    } catch (Exception | Error e) {
      closeAll(resources);
      throw e;
    }
  }

  /** The thread-failure policy's settings (segmenter.thread.*). */
  static ThreadFailurePolicy.Settings threadFailureSettings(SegmenterConfig config) {
    return new ThreadFailurePolicy.Settings(Duration.ofMillis(config.getLong(SegmenterConfig.THREAD_BACKOFF_INITIAL_MS)),
        Duration.ofMillis(config.getLong(SegmenterConfig.THREAD_BACKOFF_MAX_MS)),
        config.getInt(SegmenterConfig.THREAD_FAILURES_MAX),
        Duration.ofMillis(config.getLong(SegmenterConfig.THREAD_FAILURES_WINDOW_MS)));
  }

  private void startStreams() {
    // Bad input never gets here (it goes to the dead-letter topic). Anything else is a bug or an
    // environment problem: the thread is replaced after a growing backoff and its tasks restart from
    // the last commit; too many failures make the process not live (StreamThreadFailureHandler).
    streams.setUncaughtExceptionHandler(threadFailures);
    ThreadFailurePolicy policy = threadFailures.policy();
    Gauge.builder("segmenter.stream.thread.replacement.backoff", policy, p -> p.status().backoff().toMillis() / 1000.0)
        .baseUnit("seconds").strongReference(true)
        .description("Wait before replacing a failed stream thread, of the newest failure in the window (0 when none)")
        .register(meters);
    Gauge.builder("segmenter.stream.thread.failures.in.window", policy, p -> p.status().failuresInWindow())
        .strongReference(true)
        .description("Stream-thread failures within segmenter.thread.failures.window.ms")
        .register(meters);
    Gauge.builder("segmenter.live", this, s -> Health.live(s.streams.state(), policy.status()) ? 1 : 0)
        .strongReference(true)
        .description("1 while the instance is live (as /health/live answers 200), else 0")
        .register(meters);
    // The same rule as /health/ready, for the "not ready" alert: Prometheus cannot read the probe.
    Gauge.builder("segmenter.ready", this, s -> Health.ready(s.streams.state(), policy.status()) ? 1 : 0)
        .strongReference(true)
        .description("1 while the instance is ready (as /health/ready answers 200), else 0")
        .register(meters);
    streams.setStateListener((now, before) -> {
      LOG.info("streams {} -> {}", before, now);
      if (now == KafkaStreams.State.ERROR) failed = true;
      if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) stopped.countDown();
    });
    ops.serve(new OpsContext(streams, runtime, config, meters, self, policy));
    streams.start();
    LOG.info("segmenter started: http://{}:{}/ (application.server {}:{})", config.getString(SegmenterConfig.HTTP_HOST),
        ops.port(), self.host(), self.port());
    // The fingerprint tells whether every instance has the same key; it reveals nothing of the key.
    if (config.pseudonymiser().enabled()) {
      LOG.info("customer ids pseudonymised (HMAC-SHA256, key fingerprint {})", config.pseudonymiser().keyFingerprint());
    }
  }

  private static void bindJvmMetrics(PrometheusMeterRegistry meters, List<AutoCloseable> resources) {
    new ClassLoaderMetrics().bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(meters);
    resources.add(gc);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
  }

  /**
   * Where other instances reach this one: application.server if given, else the advertised host, else
   * the bound address when it is a loopback one, else the machine's host name; with the bound port
   * ({@link AdvertisedAddress}: a loopback bind with a non-loopback advertised address is refused).
   */
  static HostInfo advertised(SegmenterConfig config, Properties props, int boundPort) throws Exception {
    Object explicit = props.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    return AdvertisedAddress.of(config.getString(SegmenterConfig.HTTP_HOST),
        config.getString(SegmenterConfig.HTTP_ADVERTISED_HOST), explicit == null ? null : explicit.toString(), boundPort,
        () -> InetAddress.getLocalHost().getHostName());
  }

  public KafkaStreams streams() {
    return streams;
  }

  public SegmenterRuntime runtime() {
    return runtime;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /** The record of this instance's stream-thread failures (also on /health). */
  public ThreadFailurePolicy threadFailures() {
    return threadFailures.policy();
  }

  /** The port the HTTP server is bound to. */
  public int httpPort() {
    return ops.port();
  }

  public HostInfo advertisedAddress() {
    return self;
  }

  /** Waits until the streams are RUNNING; false if they stopped or failed or the timeout passed. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      KafkaStreams.State s = streams.state();
      if (s == KafkaStreams.State.RUNNING) return true;
      if (!s.isRunningOrRebalancing() && s != KafkaStreams.State.CREATED) return false;
      if (stopped.await(100, TimeUnit.MILLISECONDS)) return false;
    }
    return false;
  }

  /** Blocks until the streams stop; true if they stopped in ERROR. */
  public boolean awaitStop() throws InterruptedException {
    stopped.await();
    return failed;
  }

  @Override
  public void close() {
    LOG.info("segmenter stopping");
    threadFailures.close(); // a thread waiting for its replacement stops waiting
    streams.close(CLOSE_TIMEOUT);
    closeAll(resources);
    stopped.countDown();
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", resources.get(i), e.toString());
      }
    }
  }
}
