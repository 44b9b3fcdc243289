package io.segmenter.cli;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.service.SegmenterService;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code run}: the production service. Settings are validated before anything connects; a bad one
 * exits 2 naming it, and so does a topic that is missing (with creation off) or cannot work (model
 * topics with more than one partition or not compacted, inputs partitioned differently), before the
 * streams start. SIGTERM (Kubernetes) or Ctrl-C closes the streams cleanly and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true, sortOptions = false,
    description = {"Run segmenter against a Kafka cluster and schema registry.",
        "Settings come from --config FILE, then SEGMENTER_* environment variables (SEGMENTER_MODEL_K sets "
            + "segmenter.model.k, SEGMENTER_BOOTSTRAP_SERVERS sets bootstrap.servers), then the options below: a "
            + "later one wins. Any Kafka setting passes through. bootstrap.servers and schema.registry.url have no "
            + "default; every other setting has one.",
        "Every setting, with its default and its environment variable: docs/CONFIGURATION.md."},
    footerHeading = UsageExamples.HEADING,
    footer = {"  " + UsageExamples.SERVICE_JAR + " run \\",
        "      " + UsageExamples.LOCAL_KAFKA + " \\",
        "      " + UsageExamples.LOCAL_REGISTRY,
        "  SEGMENTER_BOOTSTRAP_SERVERS=localhost:9092 \\",
        "      " + UsageExamples.SERVICE_JAR + " run \\",
        "      --config segmenter.properties -s segmenter.model.k=8"})
final class RunCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster;

  /** Environment of the process; a field so that tests can give their own. */
  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() throws Exception {
    SegmenterConfig config = new SegmenterConfig(cluster.settings(environment));
    SegmenterService service = SegmenterService.start(config);
    Thread hook = new Thread(service::close, "segmenter-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean failed = service.awaitStop();
    if (failed) {
      System.err.println("segmenter run: Kafka Streams stopped in state ERROR; see the log above");
      return ErrorReporter.FAILED;
    }
    return 0;
  }
}
