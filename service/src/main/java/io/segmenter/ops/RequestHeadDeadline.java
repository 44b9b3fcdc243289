package io.segmenter.ops;

import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;

/**
 * Closes connections that do not deliver a request in time: each must send a complete request head
 * within the read timeout of being opened or of its previous answer. Jetty parses request heads
 * without holding a thread, but its idle timeout restarts with every byte, so a client sending one
 * byte a second would keep a connection (and its buffers) for ever; this is the missing deadline
 * (Go's ReadHeaderTimeout). A connection with a request in progress is never cut here: answers that
 * wait on a peer have their own timeouts.
 */
final class RequestHeadDeadline implements Connection.Listener {
  private final Map<Connection, Waiting> open = new ConcurrentHashMap<>();
  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private final Counter cut;

  RequestHeadDeadline(Duration timeout, LongSupplier nanoTime, Counter cut) {
    this.timeoutNanos = timeout.toNanos();
    this.nanoTime = nanoTime;
    this.cut = cut;
  }

  /** Sweeps every quarter of the timeout (at most every 250 ms): a late connection lives at most 25 % longer. */
  void schedule(ScheduledExecutorService timer) {
    long period = Math.max(10, Math.min(250, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
    timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpened(Connection connection) {
    // Under TLS the HTTP connection rides on the SSL one and both open at once: watch the HTTP one,
    // which is the one that handles requests; closing its end point closes the socket.
    if (!(connection instanceof SslConnection)) open.put(connection, new Waiting(nanoTime.getAsLong()));
  }

  @Override
  public void onClosed(Connection connection) {
    open.remove(connection);
  }

  void requestStarted(Connection connection) {
    Waiting w = open.get(connection);
    if (w != null) w.busy = true;
  }

  void requestEnded(Connection connection) {
    Waiting w = open.get(connection);
    if (w != null) {
      w.since = nanoTime.getAsLong();
      w.busy = false;
    }
  }

  /** Connections being watched (for tests and the open-connections gauge). */
  int watched() {
    return open.size();
  }

  void sweep() {
    long now = nanoTime.getAsLong();
    open.forEach((connection, w) -> {
      if (!w.busy && now - w.since > timeoutNanos) {
        open.remove(connection);
        cut.increment();
        connection.getEndPoint().close();
      }
    });
  }

  private static final class Waiting {
    volatile long since;
    volatile boolean busy;

    Waiting(long since) {
      this.since = since;
    }
  }
}
