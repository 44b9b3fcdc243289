package io.segmenter.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content of a small credentials file, parsed, and parsed again when the file changes: rotation
 * without a restart. Shared by the token file and the certificate-roles file.
 *
 * <p>The file is looked at no more than once a second (a request must not cost a stat call), and
 * only its real path, modification time, size and file key are compared, so an unchanged file is
 * never re-read. A Kubernetes Secret volume updates by swapping the {@code ..data} symlink to a new
 * directory: the path is resolved again at each look, so the new target is seen even when its time
 * and size happen to equal the old one's.
 *
 * <p>A bad file at start-up is an error the operator must fix before anything runs; a bad file later
 * (a half-written edit, a typo in a rotation) keeps the credentials in force and logs a warning, since
 * dropping them all would lock every client out. Messages name the file and line, never the content:
 * it is secret, or the hash of a secret.
 */
final class ReloadingFile<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingFile.class);
  static final long CHECK_INTERVAL_MILLIS = 1_000;

  /** Turns the lines of the file into a value; a bad line is a {@link BadLine}. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(List<String> lines) throws BadLine;
  }

  /** A line the parser refuses: its 1-based number and what is wrong, in words that quote nothing from it. */
  static final class BadLine extends Exception {
    final int lineNumber;

    BadLine(int lineNumber, String problem) {
      super(problem, null, false, false);
      this.lineNumber = lineNumber;
    }
  }

  /** What identifies one version of the file without reading it. */
  private record Stamp(Path realPath, FileTime modified, long size, Object fileKey) { }

  private final Path path;
  private final Clock clock;
  private final Parser<T> parser;
  private volatile T value;
  private volatile long nextCheckMillis;
  private Stamp stamp;
  private boolean missing;

  /** Reads and parses the file now; throws IllegalArgumentException naming the file (and line) when it cannot. */
  ReloadingFile(Path path, Clock clock, Parser<T> parser) {
    this.path = Objects.requireNonNull(path, "path");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.parser = Objects.requireNonNull(parser, "parser");
    try {
      Stamp s = stampNow();
      this.value = parser.parse(read(s.realPath()));
      this.stamp = s;
    } catch (BadLine e) {
      throw new IllegalArgumentException(path + " line " + e.lineNumber + ": " + e.getMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": cannot read it (" + e.getClass().getSimpleName() + ")", e);
    }
    this.nextCheckMillis = clock.millis() + CHECK_INTERVAL_MILLIS;
  }

  Path path() {
    return path;
  }

  /** The parsed content, re-read first when the file changed since the last look (at most once a second). */
  T current() {
    if (due(clock.millis())) reloadIfChanged();
    return value;
  }

  /** A second has passed since the last look, or the clock was set back (else reloads would stop until it caught up). */
  private boolean due(long now) {
    long next = nextCheckMillis;
    return now >= next || now < next - CHECK_INTERVAL_MILLIS;
  }

  private synchronized void reloadIfChanged() {
    long now = clock.millis();
    if (!due(now)) return; // another thread looked meanwhile
    nextCheckMillis = now + CHECK_INTERVAL_MILLIS;
    Stamp s;
    try {
      s = stampNow();
    } catch (IOException e) {
      // Deleted or mid-swap: the previous credentials stay, the next look tries again, and the
      // warning is written once per outage rather than every second.
      if (!missing) {
        LOG.warn("{}: cannot look at it ({}); keeping the previous credentials", path, e.getClass().getSimpleName());
      }
      missing = true;
      return;
    }
    missing = false;
    if (s.equals(stamp)) return;
    try {
      T next = parser.parse(read(s.realPath()));
      value = next;
      stamp = s;
      LOG.info("{}: reloaded", path);
    } catch (BadLine e) {
      // Remembered as seen, so that one bad version is reported once, not every second.
      stamp = s;
      LOG.warn("{} line {}: {}; keeping the previous credentials until the file is fixed", path, e.lineNumber,
          e.getMessage());
    } catch (IOException e) {
      LOG.warn("{}: cannot read it ({}); keeping the previous credentials", path, e.getClass().getSimpleName());
    }
  }

  private Stamp stampNow() throws IOException {
    Path real = path.toRealPath();
    BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
    return new Stamp(real, a.lastModifiedTime(), a.size(), a.fileKey());
  }

  private static List<String> read(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }
}
