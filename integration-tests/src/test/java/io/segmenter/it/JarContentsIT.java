package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the two executable jars carry, read from the jars the build made. The service's jar is what a
 * deployment ships: no broker, no Scala, no JUnit, no generator, demo or embedded registry, and native
 * libraries only for the supported platforms. The tools' jar carries all of those on purpose. Prints
 * the sizes, so that a change that makes the service heavier shows in the build log.
 */
class JarContentsIT {
  /** Classes that only a broker, its test kit or their dependencies bring. */
  private static final List<String> NOT_IN_THE_SERVICE = List.of("scala/", "org/junit/",
      "org/apache/kafka/common/test/", "org/apache/kafka/controller/", "org/apache/kafka/raft/",
      "org/apache/kafka/storage/internals/log/", "org/apache/logging/log4j/core/", "org/apache/commons/collections/",
      "org/yaml/snakeyaml/", "io/segmenter/generator/", "io/segmenter/embedded/", "io/segmenter/replay/",
      "io/segmenter/cli/Demo", "io/segmenter/cli/GenerateCommand", "io/segmenter/cli/ReplayCommand",
      "io/segmenter/cli/EraseCommand", "io/segmenter/cli/ClvCommand", "io/segmenter/cli/SegmenterTools",
      "org/apache/commons/csv/");
  /** The RocksDB native libraries of the supported platforms: Linux x86-64 and aarch64 (glibc), macOS. */
  private static final Set<String> SERVICE_ROCKSDB_NATIVES = Set.of("librocksdbjni-linux64.so",
      "librocksdbjni-linux-aarch64.so", "librocksdbjni-osx-x86_64.jnilib", "librocksdbjni-osx-arm64.jnilib");

  private static Set<String> service;
  private static Set<String> tools;

  @BeforeAll
  static void readTheJars() throws IOException {
    Path serviceJar = SegmenterProcess.jar("run");
    Path toolsJar = SegmenterProcess.jar("demo");
    service = entries(serviceJar);
    tools = entries(toolsJar);
    System.out.printf("segmenter-service.jar: %.1f MB, %,d entries%nsegmenter-tools.jar:   %.1f MB, %,d entries%n",
        megabytes(serviceJar), service.size(), megabytes(toolsJar), tools.size());
  }

  @Test
  void theServiceJarHasNoBrokerNoTestKitAndNoTools() {
    for (String prefix : NOT_IN_THE_SERVICE) {
      assertThat(service).as("service jar entries under " + prefix).noneMatch(e -> e.startsWith(prefix));
    }
    assertThat(service).as("classes of the broker's kafka package (Scala)")
        .noneMatch(e -> e.startsWith("kafka/") && e.endsWith(".class"));
    // The only kafka/ entries: the version files kafka-clients and kafka-streams read at start-up.
    assertThat(service.stream().filter(e -> e.startsWith("kafka/") && !e.endsWith("/")))
        .containsExactlyInAnyOrder("kafka/kafka-version.properties", "kafka/kafka-streams-version.properties");
  }

  @Test
  void theServiceJarHasWhatRunNeeds() {
    assertThat(service).contains("io/segmenter/cli/SegmenterCli.class", "io/segmenter/cli/RunCommand.class",
        "io/segmenter/topology/SegmenterTopology.class", "io/segmenter/serde/SpecificAvroSerde.class",
        "io/segmenter/model/KMeansModel.class", "org/apache/kafka/streams/KafkaStreams.class",
        "org/rocksdb/RocksDB.class", "org/eclipse/jetty/server/Server.class");
  }

  /** The web page's files (issue 20: at most 500 kB added to the jar), as the jar holds them. */
  @Test
  void theServiceJarCarriesTheWebPageWithinItsBudget() throws IOException {
    long stored = 0;
    long size = 0;
    Set<String> files = new TreeSet<>();
    try (ZipFile zip = new ZipFile(SegmenterProcess.jar("run").toFile())) {
      for (ZipEntry e : zip.stream().filter(e -> e.getName().startsWith("io/segmenter/web/") && !e.isDirectory()).toList()) {
        files.add(e.getName().substring("io/segmenter/web/".length()));
        stored += e.getCompressedSize();
        size += e.getSize();
      }
    }
    System.out.printf("segmenter-service.jar: the web page's %d files take %,d bytes in the jar (%,d uncompressed)%n",
        files.size(), stored, size);
    assertThat(files).containsExactlyInAnyOrder("index.html", "app.js", "app.css", "favicon.svg");
    assertThat(stored).isLessThanOrEqualTo(500 * 1024);
  }

  @Test
  void theServiceJarCarriesRocksDbForTheSupportedPlatformsOnly() {
    assertThat(service.stream().filter(e -> e.startsWith("librocksdbjni")))
        .containsExactlyInAnyOrderElementsOf(SERVICE_ROCKSDB_NATIVES);
    assertThat(tools.stream().filter(e -> e.startsWith("librocksdbjni")))
        .as("the tools' jar runs the demo on any platform RocksDB supports").hasSizeGreaterThan(10);
  }

  @Test
  void theToolsJarHasTheBrokerTheRegistryAndTheGenerator() {
    assertThat(tools).contains("io/segmenter/cli/SegmenterTools.class", "io/segmenter/embedded/EmbeddedKafka.class",
        "io/segmenter/embedded/EmbeddedSchemaRegistry.class", "io/segmenter/generator/SyntheticGenerator.class",
        "org/apache/kafka/common/test/KafkaClusterTestKit.class", "io/segmenter/cli/RunCommand.class");
  }

  private static Set<String> entries(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Set<String> names = new TreeSet<>();
      zip.stream().map(ZipEntry::getName).forEach(names::add);
      return names;
    }
  }

  private static double megabytes(Path jar) throws IOException {
    return Files.size(jar) / 1_000_000.0;
  }
}
