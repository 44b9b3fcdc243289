package io.segmenter.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the stream threads spend their time, from a JDK Flight Recorder recording: the methods with
 * the most samples on top of the stack (self) and anywhere in it (inclusive), and the samples by
 * area (RocksDB, Avro, the Kafka producer, segmenter's own packages).
 *
 * <p>Two kinds of samples, kept apart because JFR takes them differently: {@code jdk.ExecutionSample}
 * catches threads running Java code (up to 5 threads per period), {@code jdk.NativeMethodSample}
 * threads inside native code, such as RocksDB's JNI calls or a socket wait, but only ONE thread per
 * period across the whole JVM (broker threads included). The Java samples are a fair CPU profile of
 * the Java side; the native ones only rank the native methods, and their counts cannot be added to
 * the Java ones.
 */
final class HotMethods {
  static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
  static final String NATIVE_SAMPLE = "jdk.NativeMethodSample";
  /**
   * Kafka Streams names its processing threads {@code <client id>-StreamThread-<n>}; their producers'
   * I/O threads ({@code kafka-producer-network-thread | <client id>-StreamThread-<n>-producer}) are not them.
   */
  static final Predicate<String> STREAM_THREADS =
      Pattern.compile("-StreamThread-\\d+$").asPredicate();

  /**
   * Areas by class-name prefix, first match wins: a sample counts in the area of the innermost frame
   * that is not JDK code, so a HashMap lookup inside the profile code counts as the profile's.
   */
  private static final List<Map.Entry<String, String>> AREAS = List.of(
      Map.entry("org.rocksdb.", "RocksDB (JNI)"),
      Map.entry("org.apache.kafka.streams.state.", "Kafka Streams stores (metered, caching, changelogging)"),
      Map.entry("org.apache.kafka.common.metrics.", "metrics"),
      Map.entry("io.micrometer.", "metrics"),
      Map.entry("io.segmenter.topology.SegmenterMetrics", "metrics"),
      Map.entry("org.apache.avro.", "Avro"),
      Map.entry("io.segmenter.serde.", "io.segmenter.serde"),
      Map.entry("org.apache.kafka.clients.producer.", "Kafka producer and transactions"),
      Map.entry("org.apache.kafka.clients.consumer.", "Kafka consumer"),
      Map.entry("org.apache.kafka.clients.", "Kafka client network"),
      Map.entry("org.apache.kafka.common.", "Kafka common (records, compression, network)"),
      Map.entry("org.apache.kafka.streams.", "Kafka Streams runtime"),
      Map.entry("io.segmenter.profile.", "io.segmenter.profile"),
      Map.entry("io.segmenter.model.", "io.segmenter.model"),
      Map.entry("io.segmenter.topology.", "io.segmenter.topology"),
      Map.entry("io.segmenter.clv.", "io.segmenter.clv"),
      Map.entry("io.segmenter.explain.", "io.segmenter.explain"),
      Map.entry("io.segmenter.", "io.segmenter (other)"));
  private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");
  /** Native methods where a thread waits rather than works (a poll of its sockets). */
  private static final Set<String> NATIVE_WAITS = Set.of("sun.nio.ch.EPoll.wait", "sun.nio.ch.EPollArrayWrapper.epollWait");
  private static final String JDK_ONLY = "JDK only (no library frame in the stack)";

  private final Tally inJava = new Tally();
  private final Tally natives = new Tally();
  private long nativeWaits;

  private HotMethods() { }

  /**
   * {@code HotMethods FILE.jfr [top]}: the summary of a saved recording again (another top, or a
   * recording made otherwise, e.g. with {@code -XX:StartFlightRecording}).
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: HotMethods FILE.jfr [top=25]");
      System.exit(2);
    }
    read(Path.of(args[0]), STREAM_THREADS).print(System.out, args.length > 1 ? Integer.parseInt(args[1]) : 25);
  }

  /**
   * A recording (not started) of execution and native-method samples every {@code period}, nothing
   * else (no allocation or lock events: their overhead would blur the figures of the run it profiles).
   */
  static Recording recording(Duration period) {
    Recording r = new Recording();
    r.setName("segmenter-throughput");
    r.enable(EXECUTION_SAMPLE).withPeriod(period);
    r.enable(NATIVE_SAMPLE).withPeriod(period);
    r.setToDisk(true);
    return r;
  }

  /** The samples of the threads {@code threads} accepts, read from a recording file. */
  static HotMethods read(Path jfr, Predicate<String> threads) throws IOException {
    HotMethods h = new HotMethods();
    try (RecordingFile file = new RecordingFile(jfr)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        String type = e.getEventType().getName();
        Tally tally = type.equals(EXECUTION_SAMPLE) ? h.inJava : type.equals(NATIVE_SAMPLE) ? h.natives : null;
        if (tally == null || e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) continue;
        RecordedThread t = e.getThread("sampledThread");
        if (t == null || t.getJavaName() == null || !threads.test(t.getJavaName())) continue;
        if (tally == h.natives && NATIVE_WAITS.contains(Tally.method(e.getStackTrace().getFrames().get(0)))) {
          h.nativeWaits++;
          continue;
        }
        tally.add(e.getStackTrace());
      }
    }
    return h;
  }

  long javaSamples() {
    return inJava.samples;
  }

  /** The summary: Java samples top {@code top} self and inclusive, by area, then the native methods. */
  void print(PrintStream out, int top) {
    out.printf("hot methods of the stream threads: %,d Java samples (jdk.ExecutionSample), %,d native samples "
        + "(jdk.NativeMethodSample; %,d more waiting in a socket poll left out)%n", inJava.samples, natives.samples, nativeWaits);
    if (inJava.samples == 0) return;
    if (inJava.truncated > 0) {
      out.printf("  stacks cut at the recording's stack depth: %,d (%.2f %%), whose outer frames miss from the inclusive "
          + "figures; -XX:FlightRecorderOptions:stackdepth=256 lifts the depth%n", inJava.truncated,
          100.0 * inJava.truncated / inJava.samples);
    }
    table(out, "top " + top + " by self samples (on top of the stack)", inJava.self, inJava.samples, top);
    table(out, "top " + top + " by inclusive samples (anywhere in the stack)", inJava.inclusive, inJava.samples, top);
    Map<String, Long> own = new HashMap<>(inJava.inclusive);
    own.keySet().removeIf(m -> !m.startsWith("io.segmenter."));
    table(out, "top " + top + " of segmenter's own methods (io.segmenter) by inclusive samples", own, inJava.samples, top);
    out.println("  by area, Java samples (self: the innermost non-JDK frame's area; inclusive: any frame in the area):");
    Set<String> areas = new HashSet<>(inJava.areaSelf.keySet());
    areas.addAll(inJava.areaInclusive.keySet());
    areas.stream()
        .sorted(Comparator.comparingLong((String a) -> -inJava.areaSelf.getOrDefault(a, 0L))
            .thenComparingLong(a -> -inJava.areaInclusive.getOrDefault(a, 0L)))
        .forEach(a -> out.printf("    %6.1f %% self %6.1f %% incl  %s%n", 100.0 * inJava.areaSelf.getOrDefault(a, 0L) / inJava.samples,
            100.0 * inJava.areaInclusive.getOrDefault(a, 0L) / inJava.samples, a));
    if (natives.samples > 0) {
      table(out, "native methods on top (one native thread sampled per period in the whole JVM: a ranking, not a share"
          + " of time)", natives.self, natives.samples, Math.min(top, 10));
    }
  }

  private static void table(PrintStream out, String title, Map<String, Long> counts, long total, int top) {
    out.println("  " + title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(top)
        .forEach(e -> out.printf("    %6.1f %%  %,7d  %s%n", 100.0 * e.getValue() / total, e.getValue(), e.getKey()));
  }

  static String area(String className) {
    for (Map.Entry<String, String> a : AREAS) {
      if (className.startsWith(a.getKey())) return a.getValue();
    }
    return null;
  }

  private static boolean jdk(String className) {
    for (String p : JDK) {
      if (className.startsWith(p)) return true;
    }
    return false;
  }

  /** Counts of one kind of sample. */
  private static final class Tally {
    long samples;
    long truncated;
    final Map<String, Long> self = new HashMap<>();
    final Map<String, Long> inclusive = new HashMap<>();
    final Map<String, Long> areaSelf = new HashMap<>();
    final Map<String, Long> areaInclusive = new HashMap<>();

    void add(RecordedStackTrace stack) {
      List<RecordedFrame> frames = stack.getFrames();
      if (frames.isEmpty()) return;
      samples++;
      if (stack.isTruncated()) truncated++;
      self.merge(method(frames.get(0)), 1L, Long::sum);
      Set<String> methods = new HashSet<>();
      Set<String> areas = new HashSet<>();
      String innermost = null;
      for (RecordedFrame f : frames) {
        methods.add(method(f));
        String type = f.getMethod().getType().getName();
        if (jdk(type)) continue;
        String area = area(type);
        if (area == null) area = "other: " + packageOf(type);
        areas.add(area);
        if (innermost == null) innermost = area;
      }
      methods.forEach(m -> inclusive.merge(m, 1L, Long::sum));
      areas.forEach(a -> areaInclusive.merge(a, 1L, Long::sum));
      areaSelf.merge(innermost == null ? JDK_ONLY : innermost, 1L, Long::sum);
    }

    /** Class and method; a lambda's generated class name loses its run-specific number and address. */
    static String method(RecordedFrame f) {
      String type = f.getMethod().getType().getName();
      int lambda = type.indexOf("$$Lambda");
      if (lambda >= 0) type = type.substring(0, lambda + "$$Lambda".length());
      return type + "." + f.getMethod().getName();
    }

    /** The first three parts of a package name ("org.apache.commons"): enough to tell a library. */
    private static String packageOf(String className) {
      String[] parts = className.split("\\.");
      return String.join(".", Arrays.asList(parts).subList(0, Math.min(3, parts.length - 1)));
    }
  }
}
