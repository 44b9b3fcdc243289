package io.segmenter.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logback.xml that the service ships, loaded as Logback loads it at start-up but into contexts
 * of the test's own. The variables it reads are given as context properties, which Logback looks up
 * before system properties and the environment; lines are caught from the appender as it writes them.
 */
class ShippedLogbackTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String FILE_PROPERTY = "segmenter.log.file";
  /** The time at the start of a plain line, with its offset. */
  static final String PLAIN_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}[+-]\\d{4}";

  final List<LoggerContext> contexts = new ArrayList<>();
  /** What each context's appender wrote to stderr while it started. */
  final Map<LoggerContext, String> startupOutput = new HashMap<>();

  @AfterEach
  void stopContexts() {
    contexts.forEach(LoggerContext::stop);
  }

  @Test
  void jsonWritesOneObjectPerLineWithLevelLoggerAndMessage() throws Exception {
    LoggerContext context = configure(Map.of(LogFormatEncoder.VARIABLE, "json"));
    assertThat(startupOutput.get(context)).as("no header").isEmpty();
    ByteArrayOutputStream stderr = captureStderr(context);

    Logger log = context.getLogger("io.segmenter.service.Example");
    log.info("started {} threads", 3);
    log.warn("a \"quoted\"\nsecond line", new IllegalStateException("broken"));

    List<String> lines = lines(stderr);
    assertThat(lines).hasSize(2);
    JsonNode info = JSON.readTree(lines.get(0));
    assertThat(info.get("level").asText()).isEqualTo("INFO");
    assertThat(info.get("loggerName").asText()).isEqualTo("io.segmenter.service.Example");
    assertThat(info.get("formattedMessage").asText()).isEqualTo("started 3 threads");
    assertThat(info.get("threadName").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(info.get("timestamp").asLong()).isPositive();
    assertThat(info.has("sequenceNumber") || info.has("context") || info.has("arguments") || info.has("mdc"))
        .as("left out").isFalse();

    JsonNode warn = JSON.readTree(lines.get(1));
    assertThat(warn.get("level").asText()).isEqualTo("WARN");
    assertThat(warn.get("formattedMessage").asText()).as("newline and quotes escaped: still one line")
        .isEqualTo("a \"quoted\"\nsecond line");
    assertThat(warn.get("throwable").get("className").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(warn.get("throwable").get("message").asText()).isEqualTo("broken");
  }

  @Test
  void plainLinesByDefault() throws Exception {
    assumeTrue(System.getenv(LogFormatEncoder.VARIABLE) == null && System.getProperty(LogFormatEncoder.VARIABLE) == null,
        "LOG_FORMAT is set in the test's own environment");
    LoggerContext context = configure(Map.of());
    ByteArrayOutputStream stderr = captureStderr(context);

    context.getLogger("io.segmenter.service.Example").info("started {} threads", 3);

    assertThat(lines(stderr)).singleElement().asString().matches(PLAIN_TIME + " \\[" + Thread.currentThread().getName()
        + "\\] INFO  io\\.segmenter\\.service\\.Example - started 3 threads");
  }

  @Test
  void theFormatIsReadRegardlessOfCaseAndBlanks() throws Exception {
    LoggerContext json = configure(Map.of(LogFormatEncoder.VARIABLE, " JSON "));
    ByteArrayOutputStream jsonLines = captureStderr(json);
    json.getLogger("io.segmenter.X").info("hello");
    assertThat(JSON.readTree(lines(jsonLines).get(0)).get("formattedMessage").asText()).isEqualTo("hello");

    LoggerContext plain = configure(Map.of(LogFormatEncoder.VARIABLE, "Plain"));
    ByteArrayOutputStream plainLines = captureStderr(plain);
    plain.getLogger("io.segmenter.X").info("hello");
    assertThat(lines(plainLines)).singleElement().asString().matches(PLAIN_TIME + " .* INFO  io\\.segmenter\\.X - hello");
  }

  /** A typo, or a LOG_FORMAT meant for another program, must neither cost the log nor stop the service. */
  @Test
  void anUnknownFormatLogsPlainLinesTheFirstOfWhichSaysWhy() throws Exception {
    String warning = PLAIN_TIME + " \\[.+\\] WARN  io\\.segmenter\\.logging\\.LogFormatEncoder - "
        + "LOG_FORMAT is 'logfmt', which is neither plain nor json: logging plain lines";
    LoggerContext context = configure(Map.of(LogFormatEncoder.VARIABLE, "logfmt"));
    assertThat(startupOutput.get(context).lines().toList()).as("written as logging starts").singleElement()
        .asString().matches(warning);

    ByteArrayOutputStream stderr = captureStderr(context);
    context.getLogger("io.segmenter.service.Example").info("started");

    List<String> lines = lines(stderr);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).as("the header again, on a new stream").matches(warning);
    assertThat(lines.get(1)).matches(PLAIN_TIME + " .* INFO  io\\.segmenter\\.service\\.Example - started");
  }

  /** The demo's redirection: the system property segmenter.log.file names a file that takes the lines. */
  @Test
  void aFileNamedBySegmenterLogFileTakesTheLinesInsteadOfStderr(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("segmenter.log");
    LoggerContext context = configure(Map.of(FILE_PROPERTY, file.toString(), LogFormatEncoder.VARIABLE, "json"));
    assertThat(rootAppender(context)).isInstanceOf(FileAppender.class);

    context.getLogger("io.segmenter.service.Example").info("to the file");
    context.stop();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    assertThat(JSON.readTree(lines.get(0)).get("formattedMessage").asText()).isEqualTo("to the file");
  }

  @Test
  void segmenterAtInfoKafkaAtWarnUndecodableRecordsAtErrorAuditAtInfo() throws Exception {
    LoggerContext context = configure(Map.of());
    assertThat(level(context, "io.segmenter.service.SegmenterService")).isEqualTo(Level.INFO);
    assertThat(level(context, "org.apache.kafka.clients.consumer.ConsumerConfig")).isEqualTo(Level.WARN);
    assertThat(level(context, "org.apache.kafka.streams.processor.internals.RecordDeserializer")).isEqualTo(Level.ERROR);
    assertThat(level(context, "segmenter.audit")).isEqualTo(Level.INFO);
    assertThat(level(context, "org.eclipse.jetty.server.Server")).isEqualTo(Level.WARN);
  }

  /**
   * The start-up reachability check's Kafka client warns several times a second against a broker that
   * does not answer; the check's one line says it once, so its sub-ERROR lines are left out, unless
   * --verbose. The message is as Kafka's LogContext writes it: the client id in the pattern.
   */
  @Test
  void theReachabilityChecksReconnectWarningsAreLeftOutUnlessVerbose() throws Exception {
    LoggerContext context = configure(Map.of());
    ByteArrayOutputStream stderr = captureStderr(context);
    Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");
    String warning = "Connection to node {} ({}) could not be established. Node may not be available.";
    String check = "[AdminClient clientId=" + io.segmenter.service.Reachability.CHECK_CLIENT_ID + "] ";
    try {
      network.warn(check + warning, -1, "/127.0.0.1:1");
      network.warn("[AdminClient clientId=segmenter-setup] " + warning, -1, "/127.0.0.1:1");
      network.error(check + "Connection to node {} failed authentication", -1);
      ConnectCheckLogFilter.showAll(true);
      network.warn(check + warning, -2, "/127.0.0.1:1");
    } finally {
      ConnectCheckLogFilter.showAll(false);
    }
    List<String> lines = lines(stderr);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("clientId=segmenter-setup] Connection to node -1");
    assertThat(lines.get(1)).contains("ERROR").contains("failed authentication");
    assertThat(lines.get(2)).contains("clientId=segmenter-connect-check] Connection to node -2");
  }

  /**
   * Logback prints its whole status to stdout at start-up when configuring raised a warning or an
   * error (e.g. an appender that nothing refers to); the shipped file raises none, whatever is chosen.
   */
  @Test
  void configuringRaisesNoWarningSoLogbackPrintsNothingOfItsOwn(@TempDir Path dir) throws Exception {
    for (Map<String, String> variables : List.of(Map.<String, String>of(), Map.of(LogFormatEncoder.VARIABLE, "json"),
        Map.of(LogFormatEncoder.VARIABLE, "xml"), Map.of(FILE_PROPERTY, dir.resolve("a.log").toString()))) {
      LoggerContext context = configure(variables);
      List<Status> statuses = context.getStatusManager().getCopyOfStatusList();
      assertThat(statuses).as(variables + ":%n%s", statuses.stream().map(Status::toString).collect(Collectors.joining("\n")))
          .allMatch(s -> s.getLevel() < Status.WARN);
    }
  }

  private LoggerContext configure(Map<String, String> variables) throws Exception {
    LoggerContext context = new LoggerContext();
    contexts.add(context);
    context.setMDCAdapter(new LogbackMDCAdapter()); // as SLF4J's start-up does for the real one
    variables.forEach(context::putProperty);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    // What the appender writes as it starts (the warning about an unknown format) is kept here
    // rather than shown in the test's output.
    PrintStream stderr = System.err;
    ByteArrayOutputStream startup = new ByteArrayOutputStream();
    System.setErr(new PrintStream(startup, true, StandardCharsets.UTF_8));
    try {
      configurator.doConfigure(ShippedLogbackTest.class.getResource("/logback.xml"));
    } finally {
      System.setErr(stderr);
    }
    startupOutput.put(context, startup.toString(StandardCharsets.UTF_8));
    return context;
  }

  private static Level level(LoggerContext context, String logger) {
    return context.getLogger(logger).getEffectiveLevel();
  }

  private static Appender<ILoggingEvent> rootAppender(LoggerContext context) {
    List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
    context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appenders::add);
    assertThat(appenders).hasSize(1);
    return appenders.get(0);
  }

  /** The root's one appender must write to stderr; from now on it writes to the stream returned. */
  private static ByteArrayOutputStream captureStderr(LoggerContext context) {
    Appender<ILoggingEvent> appender = rootAppender(context);
    assertThat(appender).isInstanceOf(ConsoleAppender.class);
    ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) appender;
    assertThat(console.getTarget()).isEqualTo("System.err");
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    console.setOutputStream(written); // writes the encoder's header again, as at start-up
    return written;
  }

  private static List<String> lines(ByteArrayOutputStream written) {
    String text = written.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    return text.lines().toList();
  }
}
