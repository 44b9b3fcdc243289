package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The service image's JVM command line without Docker: the ENTRYPOINT's flags and the image's
 * JDK_JAVA_OPTIONS, read from docker/Dockerfile, given to a JVM of this machine (Java 17, as the
 * image), with the native libraries the Dockerfile takes out of segmenter-service.jar. Its temporary
 * directory does not exist, a stand-in for the image's read-only root and a /tmp that Docker mounts
 * noexec: RocksDB must then load from the image's library directory, never by unpacking itself into
 * the temporary directory. (What only Docker can show, the image being built and run, is not shown
 * here: see README, "Run it in containers".)
 */
class DockerImageJvmIT {
  private static final Pattern SHARED_LIBRARY = Pattern.compile("lib[\\w.-]+\\.so");
  private static final String LIBRARY_PATH = "-Djava.library.path=";
  private static final String TMPDIR = "-Djava.io.tmpdir=";

  @Test
  void rocksDbLoadsFromTheImagesLibraryDirectoryWithNoTemporaryDirectory() throws Exception {
    List<String> flags = entrypointJvmFlags();
    String libraryDir = flags.stream().filter(f -> f.startsWith(LIBRARY_PATH)).map(f -> f.substring(LIBRARY_PATH.length()))
        .findFirst().orElseThrow(() -> new AssertionError("the ENTRYPOINT sets no " + LIBRARY_PATH + ": " + flags));
    assertThat(DockerFiles.dockerfile().stream().anyMatch(i -> i.keyword().equals("COPY")
        && i.arguments().matches("--from=\\S+ \\S+ " + Pattern.quote(libraryDir) + "/?")))
        .as("the Dockerfile copies the extracted libraries into %s (java.library.path)", libraryDir).isTrue();

    Path work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "image-jvm-");
    Path libraries = Files.createDirectories(work.resolve("native"));
    List<String> extracted = extractLibraries(libraries);
    assertThat(extracted).as("libraries the Dockerfile takes out of the service jar").isNotEmpty();
    Path noTmp = work.resolve("no-such-tmp");

    // The image's command line, with its directories mapped to this machine's.
    List<String> imageFlags = new ArrayList<>();
    for (String f : flags) {
      if (f.startsWith(LIBRARY_PATH)) imageFlags.add(LIBRARY_PATH + libraries);
      else if (f.startsWith(TMPDIR)) imageFlags.add(TMPDIR + noTmp);
      else imageFlags.add(f);
    }
    Run withImageFlags = probe(imageFlags, work.resolve("db-1"));
    assertThat(withImageFlags.exitCode()).as("the probe with the image's flags; output:%n%s", withImageFlags.output()).isZero();
    assertThat(withImageFlags.output()).contains("rocksdb ok").contains("Picked up JDK_JAVA_OPTIONS");

    // Without the library directory RocksDB unpacks itself into the temporary directory: here that
    // fails, as it would on a read-only root. This is what the image's flag avoids.
    Run withoutLibraryPath = probe(List.of(TMPDIR + noTmp), work.resolve("db-2"));
    assertThat(withoutLibraryPath.exitCode()).as("the probe without %s; output:%n%s", LIBRARY_PATH, withoutLibraryPath.output())
        .isNotZero();
    assertThat(withoutLibraryPath.output()).contains("Unable to load the RocksDB shared library");
    System.out.printf("DockerImageJvmIT: RocksDB loaded from the libraries the image puts in %s (%s), with no temporary directory%n",
        libraryDir, extracted);
  }

  /** The JVM options of the service stage's ENTRYPOINT: between "java" and "-jar". */
  private static List<String> entrypointJvmFlags() throws Exception {
    String stage = DockerFiles.compose().buildTarget("segmenter-1").orElseThrow();
    String entrypoint = DockerFiles.dockerfile().stream().filter(i -> i.stage().equals(stage) && i.keyword().equals("ENTRYPOINT"))
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no ENTRYPOINT in stage " + stage)).arguments();
    List<String> words = List.of(new ObjectMapper().readValue(entrypoint, String[].class));
    assertThat(words).as("ENTRYPOINT of stage %s", stage).startsWith("java").contains("-jar");
    return words.subList(1, words.indexOf("-jar"));
  }

  /** The libraries the Dockerfile's `jar xf` takes out of the service jar, taken out the same way. */
  private static List<String> extractLibraries(Path into) throws Exception {
    String run = DockerFiles.dockerfile().stream().filter(i -> i.keyword().equals("RUN") && i.arguments().contains("jar xf"))
        .findFirst().orElseThrow(() -> new AssertionError("no RUN ... jar xf in the Dockerfile")).arguments();
    List<String> names = new ArrayList<>();
    Matcher m = SHARED_LIBRARY.matcher(run);
    while (m.find()) names.add(m.group());
    try (JarFile jar = new JarFile(SegmenterProcess.jar("run").toFile())) {
      for (String name : names) {
        assertThat(jar.getEntry(name)).as("%s in segmenter-service.jar", name).isNotNull();
        try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
          Files.copy(in, into.resolve(name));
        }
      }
    }
    return names;
  }

  private record Run(int exitCode, String output) { }

  /** Runs RocksDbLoadProbe in a JVM with these flags, the service jar and the image's JDK_JAVA_OPTIONS. */
  private static Run probe(List<String> flags, Path db) throws Exception {
    Path testClasses = Path.of(RocksDbLoadProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(flags);
    command.addAll(List.of("-cp", SegmenterProcess.jar("run") + java.io.File.pathSeparator + testClasses,
        RocksDbLoadProbe.class.getName(), db.toString()));
    Path log = Files.createTempFile(db.getParent(), "probe-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JDK_JAVA_OPTIONS", imageJavaOptions());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the probe did not finish within 60 s: " + command);
    }
    return new Run(p.exitValue(), Files.readString(log));
  }

  /** The image's ENV JDK_JAVA_OPTIONS="...". */
  private static String imageJavaOptions() {
    Map<String, String> env = DockerFiles.dockerfile().stream().filter(i -> i.keyword().equals("ENV") && i.arguments().contains("="))
        .collect(Collectors.toMap(i -> i.arguments().substring(0, i.arguments().indexOf('=')),
            i -> i.arguments().substring(i.arguments().indexOf('=') + 1).replaceAll("^\"|\"$", ""), (a, b) -> b));
    String options = env.get("JDK_JAVA_OPTIONS");
    assertThat(options).as("the image's JDK_JAVA_OPTIONS").isNotBlank();
    return options;
  }
}
