package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 10: the demo keeps its log where it said. Before the mend the log was written inside
 * the demo's temporary directory and deleted with it on exit, although its path had been printed for
 * the user to read. Run as a process (the demo points java.io.tmpdir at its own directory, which must
 * not leak into this JVM), with the service's shipped logback.xml as a user would get it.
 */
class NewcomerDemoLogTest {
  private static final Pattern LOG_AT_START = Pattern.compile("(?m)^  log +(\\S+)");
  private static final Pattern LOG_AT_EXIT = Pattern.compile("(?m)^segmenter demo: the service's log is kept in (\\S+)$");

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theLogIsKeptAtThePathPrintedAtStartAndAtExit(@TempDir Path tmp) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp,
        "-Dlogback.configurationFile=" + NewcomerDemoLogTest.class.getResource("/logback.xml"),
        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", ""),
        "-cp", System.getProperty("java.class.path"), SegmenterTools.class.getName(),
        "demo", "--duration", "3", "--customers", "40", "--days", "3", "--http-port", "0", "--plain"));
    Path output = tmp.resolve("demo-output.txt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("the demo ended").isTrue();
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(printed).isZero();

    Matcher start = LOG_AT_START.matcher(printed);
    Matcher exit = LOG_AT_EXIT.matcher(printed);
    assertThat(start.find()).as("the log's path printed at start: %s", printed).isTrue();
    assertThat(exit.find()).as("the log's path printed at exit: %s", printed).isTrue();
    Path log = Path.of(start.group(1));
    System.out.printf("NewcomerDemoLogTest: printed at start '%s', at exit '%s'%n", start.group(0), exit.group(0));
    assertThat(exit.group(1)).isEqualTo(log.toString());
    assertThat(log.getParent()).as("in the system's temporary directory, not the demo's own").isEqualTo(tmp);
    assertThat(log.getFileName().toString()).matches("segmenter-demo-\\d{8}-\\d{6}-\\d+\\.log");
    assertThat(log).as("kept after exit").exists();
    assertThat(Files.readString(log)).contains("segmenter started");
    assertThat(printed).as("the service's log lines go to the file, not the demo's view")
        .doesNotContain("io.segmenter.service.SegmenterService - segmenter started");
    // The demo's own directory is gone: only the log (and this test's output) is left.
    try (var left = Files.list(tmp)) {
      assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("segmenter-demo-") && !n.endsWith(".log")))
          .as("the demo's temporary directory, deleted on exit").isEmpty();
    }
  }

  @Test
  void aMisspeltSettingStopsTheDemoBeforeAnythingStarts() {
    String before = System.getProperty(DemoCommand.LOG_FILE_PROPERTY);
    try {
      CommandOutcome o = CommandOutcome.run(SegmenterTools.commandLine(), "demo", "-s", "num.stream.thread=2");
      System.out.printf("demo -s num.stream.thread=2 -> exit %d: %s", o.code(), o.err());
      assertThat(o.code()).isEqualTo(2);
      assertThat(o.err()).contains("unknown setting 'num.stream.thread' (did you mean num.stream.threads?)");
      assertThat(o.out()).doesNotContain("starting an in-JVM Kafka broker");
    } finally {
      if (before == null) System.clearProperty(DemoCommand.LOG_FILE_PROPERTY);
      else System.setProperty(DemoCommand.LOG_FILE_PROPERTY, before);
    }
  }
}
