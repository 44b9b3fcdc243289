package io.segmenter.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who read which customer, when: one JSON object per customer read (and one per promotion of a
 * segmentation strategy, {@link #promotion}), e.g.
 *
 * <pre>
 * {"time":"2025-03-01T12:00:00.123Z","principal":"crm-app","authentication":"TOKEN","customer":"c-42",
 *  "status":200,"instance":"10.0.0.5:8080","remote":"10.0.0.9"}
 * </pre>
 *
 * <p>The customer is written as the caller gives it (the id, or a pseudonym of it); nothing else
 * about the customer is, so that the trail is not one more copy of personal data. Destinations: the
 * SLF4J logger {@value #LOGGER} at INFO (the default, so it goes wherever the logs go), a file of
 * its own (appended to, one line per read, flushed per line), or nowhere.
 */
public final class AuditLog implements Closeable {
  /** The logger the default destination writes to. */
  public static final String LOGGER = "segmenter.audit";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final Consumer<String> sink;
  private final Closeable resource;
  private final String destination;

  AuditLog(Clock clock, Consumer<String> sink, Closeable resource, String destination) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = sink;
    this.resource = resource;
    this.destination = destination;
  }

  /** Audit lines to the logger {@value #LOGGER} at INFO. */
  public static AuditLog toLogger(Clock clock) {
    Logger log = LoggerFactory.getLogger(LOGGER);
    return new AuditLog(clock, log::info, () -> { }, "log");
  }

  /** Audit lines appended to {@code file} (created if missing); throws UncheckedIOException when it cannot be opened. */
  public static AuditLog toFile(Path file, Clock clock) {
    BufferedWriter writer;
    try {
      writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot open the audit file", e);
    }
    return new AuditLog(clock, new FileSink(writer, file), writer, "file:" + file);
  }

  /** No audit trail. */
  public static AuditLog off() {
    return new AuditLog(Clock.systemUTC(), null, () -> { }, "off");
  }

  /**
   * The audit log a setting asks for: {@code log} (or empty: the default), {@code off}, or
   * {@code file:<path>}. Throws IllegalArgumentException for anything else.
   */
  public static AuditLog of(String setting, Clock clock) {
    String s = setting == null ? "" : setting.strip();
    if (s.isEmpty() || s.equals("log")) return toLogger(clock);
    if (s.equals("off")) return off();
    if (s.startsWith("file:") && s.length() > "file:".length()) return toFile(Path.of(s.substring("file:".length())), clock);
    throw new IllegalArgumentException("the audit destination must be log, off or file:<path>");
  }

  /** Where the lines go: {@code log}, {@code off} or {@code file:<path>} (for the start-up log). */
  public String destination() {
    return destination;
  }

  /**
   * Records one read of a customer. {@code customer}: what to write for it (the id as requested, or a
   * pseudonym); {@code status}: the HTTP status answered; {@code instance}: the instance that served
   * it; {@code remoteAddress}: where the request came from. Thread-safe.
   */
  public void customerRead(Principal principal, String customer, int status, String instance, String remoteAddress) {
    if (sink == null) return;
    ObjectNode line = JSON.createObjectNode();
    line.put("time", clock.instant().toString());
    line.put("principal", principal.name());
    line.put("authentication", principal.authentication().name());
    line.put("customer", customer);
    line.put("status", status);
    line.put("instance", instance);
    line.put("remote", remoteAddress);
    try {
      sink.accept(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and a number always serialises", e);
    }
  }

  /**
   * Records one promotion asked of this instance: who asked to make which strategy the champion, the
   * HTTP status answered (200 done, 409 refused, 403 not allowed...), the instance and the caller's
   * address. A line of its own kind ({@code "action":"promote"}); no customer is involved. Thread-safe.
   */
  public void promotion(Principal principal, String strategy, int status, String instance, String remoteAddress) {
    if (sink == null) return;
    ObjectNode line = JSON.createObjectNode();
    line.put("time", clock.instant().toString());
    line.put("action", "promote");
    line.put("principal", principal.name());
    line.put("authentication", principal.authentication().name());
    line.put("strategy", strategy);
    line.put("status", status);
    line.put("instance", instance);
    line.put("remote", remoteAddress);
    try {
      sink.accept(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and a number always serialises", e);
    }
  }

  @Override
  public void close() throws IOException {
    resource.close();
  }

  /**
   * One line per call, whole: the lock keeps lines of concurrent reads from interleaving, and the
   * flush puts each in the file before the answer leaves (a process that dies loses no line already answered).
   */
  private record FileSink(BufferedWriter writer, Path file) implements Consumer<String> {
    @Override
    public void accept(String line) {
      synchronized (writer) {
        try {
          writer.write(line);
          writer.write('\n');
          writer.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(file + ": cannot write the audit line", e);
        }
      }
    }
  }
}
