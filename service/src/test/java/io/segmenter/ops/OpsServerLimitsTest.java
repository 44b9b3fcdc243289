package io.segmenter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's limits against a real Jetty server and real sockets: slow clients (slowloris) neither
 * delay the health probes nor stay connected past the read timeout; oversized URIs, headers and bodies
 * get 414, 431 and 413; a burst of 1,000 concurrent API requests gets bounded answers (200 or 503)
 * with no lasting growth of threads or heap.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OpsServerLimitsTest {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
  private final SimpleMeterRegistry serverMeters = new SimpleMeterRegistry();
  private OpsServer server;
  private IdleStreams idle;

  private void start(HttpLimits limits) throws Exception {
    server = OpsServer.start(new HttpSettings("127.0.0.1", 0, limits, AccessControl.open(), null), serverMeters);
    idle = IdleStreams.at(server.port(), Map.of());
    server.serve(idle.context(new ThreadFailurePolicy(ThreadFailurePolicy.Settings.defaults(), Clock.systemUTC())));
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) server.close();
    if (idle != null) idle.close();
  }

  @Test
  void slowClientsNeitherDelayHealthNorOutliveTheReadTimeout() throws Exception {
    start(HttpLimits.defaults().withReadTimeout(READ_TIMEOUT));
    int slow = 64;
    ExecutorService clients = Executors.newFixedThreadPool(slow);
    try {
      List<Future<Long>> cutAfter = new ArrayList<>();
      for (int i = 0; i < slow; i++) cutAfter.add(clients.submit(this::dribbleUntilCut));
      // Probe readiness while the 64 connections dribble: each answer is timed on a fresh connection.
      long worst = 0;
      long probesUntil = System.nanoTime() + READ_TIMEOUT.toNanos() - 500_000_000L;
      int probes = 0;
      while (System.nanoTime() < probesUntil) {
        long t0 = System.nanoTime();
        String answer = exchange("GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        worst = Math.max(worst, System.nanoTime() - t0);
        probes++;
        // Never started streams: not ready, but answered.
        assertThat(answer).startsWith("HTTP/1.1 503");
      }
      System.out.printf("OpsServerLimitsTest: %d slow clients (1 byte/s); %d /health/ready probes, worst %.1f ms%n",
          slow, probes, worst / 1e6);
      assertThat(probes).isGreaterThan(5);
      assertThat(Duration.ofNanos(worst)).isLessThan(Duration.ofSeconds(1));

      long earliest = Long.MAX_VALUE;
      long latest = 0;
      for (Future<Long> f : cutAfter) {
        long ms = f.get(READ_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        earliest = Math.min(earliest, ms);
        latest = Math.max(latest, ms);
      }
      System.out.printf("OpsServerLimitsTest: read timeout %d ms; slow connections cut after %d to %d ms%n",
          READ_TIMEOUT.toMillis(), earliest, latest);
      assertThat(earliest).isGreaterThanOrEqualTo(READ_TIMEOUT.toMillis() - 100);
      assertThat(latest).isLessThan(READ_TIMEOUT.toMillis() + 2_000);
      assertThat(serverMeters.counter("segmenter.http.connections.cut").count()).isGreaterThanOrEqualTo(slow);
    } finally {
      clients.shutdownNow();
    }
  }

  /** Sends a request head one byte a second until the server closes the connection; returns after how long (ms). */
  private long dribbleUntilCut() throws IOException {
    byte[] head = "GET /health/ready HTTP/1.1\r\nHost: slow.example\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    long opened = System.nanoTime();
    try (Socket s = connect()) {
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; ; i = (i + 1) % head.length) {
        try {
          out.write(head[i]);
          out.flush();
          if (in.read() < 0) break; // the server closed it
        } catch (SocketTimeoutException stillOpen) {
          continue; // a second went by with nothing to read: the next byte
        } catch (IOException reset) {
          break;
        }
      }
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
  }

  @Test
  void oversizedUriHeadersBodyAndCustomerIdGetBoundedAnswers() throws Exception {
    start(HttpLimits.defaults());
    String longPath = "/customers/" + "x".repeat(100_000);
    assertThat(exchange("GET " + longPath + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 414");
    assertThat(exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(100_000) + "\r\n\r\n"))
        .startsWith("HTTP/1.1 431");
    // 10 MB announced, and the first megabyte sent: refused without being read.
    try (Socket s = connect()) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /customers/c1 HTTP/1.1\r\nHost: x\r\nContent-Length: " + 10 * 1024 * 1024 + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      try {
        out.write(new byte[1024 * 1024]);
        out.flush();
      } catch (IOException closedEarly) {
        // the server may answer and close before the megabyte is written: that is the point
      }
      assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 413");
    }
    String longId = exchange("GET /customers/" + "z".repeat(HttpLimits.DEFAULT_CUSTOMER_ID_LENGTH + 1)
        + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(longId).startsWith("HTTP/1.1 400").contains("longer than 256");
    // The server still answers after all that.
    assertThat(exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
  }

  @Test
  void aThousandConcurrentSegmentsCallsGetBoundedAnswersWithoutLastingGrowth() throws Exception {
    // Opening 1,000 connections before any sends its request can take seconds on a loaded machine:
    // a long read timeout, so that the request-head deadline does not cut the first ones meanwhile.
    start(HttpLimits.defaults().withReadTimeout(Duration.ofSeconds(120)).withApi(2, 16));
    burst(200); // warm-up: classes loaded, pools at their working size
    long threadsBefore = threads();
    long heapBefore = heapAfterGc();
    Map<String, Integer> statuses = burst(1_000);
    long threadsAfter = threads();
    long heapAfter = heapAfterGc();
    System.out.printf("OpsServerLimitsTest: 1,000 concurrent /segments: %s; threads %d -> %d; heap after GC %.1f MB -> %.1f MB%n",
        statuses, threadsBefore, threadsAfter, heapBefore / 1e6, heapAfter / 1e6);
    assertThat(statuses.keySet()).allMatch(s -> s.equals("200") || s.equals("503"));
    assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1_000);
    assertThat(statuses).containsKey("200");
    // Jetty's pool is bounded (16) and the API pool fixed: a burst adds no lasting thread.
    assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore + 16);
    assertThat(heapAfter - heapBefore).isLessThan(32L * 1024 * 1024);
    assertThat(exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
  }

  /** {@code n} connections open at once, each sends GET /segments, then every answer is read: status -> count. */
  private Map<String, Integer> burst(int n) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    Map<String, Integer> statuses = new TreeMap<>();
    try {
      for (int i = 0; i < n; i++) sockets.add(connect());
      byte[] request = "GET /segments HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      for (Socket s : sockets) s.getOutputStream().write(request);
      for (Socket s : sockets) {
        s.setSoTimeout(30_000);
        String answer = readAll(s.getInputStream());
        String status = answer.length() >= 12 ? answer.substring(9, 12) : "none";
        statuses.merge(status, 1, Integer::sum);
      }
    } finally {
      for (Socket s : sockets) s.close();
    }
    return statuses;
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    return s;
  }

  /** Sends raw bytes, returns everything the server answers until it closes (or 10 s of silence). */
  private String exchange(String request) throws IOException {
    try (Socket s = connect()) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return readAll(s.getInputStream());
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
    } catch (SocketTimeoutException | java.net.SocketException stopped) {
      // what arrived is the answer
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static long threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
