package io.segmenter.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One JSON line per customer read, with nothing but who, which, when, the outcome and where. */
class AuditLogTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Principal CRM = new Principal("crm-app", Set.of(Role.READER), Principal.Authentication.TOKEN);

  final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00.123Z"));

  @Test
  void aLineHoldsTheTimeThePrincipalTheCustomerTheOutcomeAndWhere() throws Exception {
    List<String> lines = new ArrayList<>();
    AuditLog audit = new AuditLog(clock, lines::add, () -> { }, "test");
    audit.customerRead(CRM, "c-42", 200, "10.0.0.5:8080", "10.0.0.9");
    audit.customerRead(Principal.peer("10.0.0.6"), "c-\"43\"\n", 404, "10.0.0.5:8080", "10.0.0.6");

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo("{\"time\":\"2025-03-01T12:00:00.123Z\",\"principal\":\"crm-app\","
        + "\"authentication\":\"TOKEN\",\"customer\":\"c-42\",\"status\":200,\"instance\":\"10.0.0.5:8080\","
        + "\"remote\":\"10.0.0.9\"}");
    JsonNode second = JSON.readTree(lines.get(1));
    assertThat(lines.get(1)).doesNotContain("\n");
    assertThat(second.get("customer").asText()).as("escaped, not broken").isEqualTo("c-\"43\"\n");
    assertThat(second.get("principal").asText()).isEqualTo("peer:10.0.0.6");
    assertThat(second.get("authentication").asText()).isEqualTo("PEER");
    assertThat(second.get("status").asInt()).isEqualTo(404);
  }

  @Test
  void theFileSinkAppendsOneWholeLinePerReadFromManyThreads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.jsonl");
    Files.writeString(file, "{\"kept\":true}\n");
    int threads = 8;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try (AuditLog audit = AuditLog.toFile(file, clock)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            audit.customerRead(CRM, "c-" + thread + "-" + i, 200, "i-1", "10.0.0." + thread);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) f.get();
      assertThat(audit.destination()).isEqualTo("file:" + file);
    } finally {
      pool.shutdownNow();
    }

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1 + threads * perThread);
    assertThat(lines.get(0)).as("appended, not overwritten").isEqualTo("{\"kept\":true}");
    Set<String> customers = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.size()).isEqualTo(7);
      customers.add(node.get("customer").asText());
    }
    assertThat(customers).hasSize(threads * perThread);
  }

  @Test
  void eachLineIsInTheFileAsSoonAsItIsWritten(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog audit = AuditLog.toFile(file, clock)) {
      audit.customerRead(CRM, "c-1", 200, "i-1", "10.0.0.9");
      assertThat(Files.readAllLines(file)).hasSize(1); // flushed, before close
    }
  }

  @Test
  void theSettingChoosesTheDestination(@TempDir Path dir) throws Exception {
    assertThat(AuditLog.of(null, clock).destination()).isEqualTo("log");
    assertThat(AuditLog.of(" log ", clock).destination()).isEqualTo("log");
    Path file = dir.resolve("a.jsonl");
    try (AuditLog audit = AuditLog.of("file:" + file, clock)) {
      audit.customerRead(CRM, "c-1", 200, "i-1", "10.0.0.9");
    }
    assertThat(Files.readAllLines(file)).hasSize(1);
    assertThatIllegalArgumentException().isThrownBy(() -> AuditLog.of("syslog", clock))
        .withMessage("the audit destination must be log, off or file:<path>");
    assertThatIllegalArgumentException().isThrownBy(() -> AuditLog.of("file:", clock));
  }

  @Test
  void offIsADestinationThatTakesReadsAndWritesNothing() throws Exception {
    AuditLog off = AuditLog.of("off", clock);
    off.customerRead(CRM, "c-1", 200, "i-1", "10.0.0.9");
    off.close();
    assertThat(off.destination()).isEqualTo("off");
  }

  /** The default destination is only a trail if the shipped logging configuration lets INFO through. */
  @Test
  void theShippedLoggingConfigurationWritesTheAuditLoggerAtInfo() throws Exception {
    LoggerContext shipped = new LoggerContext();
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(shipped);
      configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
      assertThat(shipped.getLogger(AuditLog.LOGGER).getEffectiveLevel()).isEqualTo(Level.INFO);
    } finally {
      shipped.stop();
    }
  }
}
