package io.segmenter.serde.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double at the TCP edge: accepts connections and never answers (a hung registry or a
 * black-holing proxy), to test the read timeout; or answers every connection at once with fixed
 * bytes, whatever was sent. Counts accepted connections.
 */
final class SilentServer implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private final byte[] greeting;

  /** Never answers. */
  SilentServer() {
    this(new byte[0]);
  }

  /** Writes {@code greeting} to every connection as soon as it is accepted, then keeps it open. */
  SilentServer(byte[] greeting) {
    this.greeting = greeting.clone();
    try {
      socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = new Thread(this::acceptForever, "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  int acceptedConnections() {
    return accepted.get();
  }

  /** A port on which nothing listens (bound, then freed): connections to it are refused. */
  static int deadPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : open) {
      s.close();
    }
  }

  private void acceptForever() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        open.add(s); // kept open, never read from
        accepted.incrementAndGet();
        if (greeting.length > 0) {
          s.getOutputStream().write(greeting);
          s.getOutputStream().flush();
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }
}
