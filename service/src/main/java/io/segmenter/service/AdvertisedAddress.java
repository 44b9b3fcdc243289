package io.segmenter.service;

import io.segmenter.config.SegmenterConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where other instances reach this one's HTTP server (Kafka Streams' {@code application.server}),
 * from where it is bound. The machine's host name is the default for a server bound to every
 * interface; a server bound to a loopback address cannot be reached through the host name (which
 * may resolve to another address, e.g. 127.0.1.1 or the machine's LAN address), so it advertises
 * the loopback address it is bound to. An explicit non-loopback address with a loopback bind can
 * never work: it is refused at start-up, naming both settings.
 */
final class AdvertisedAddress {
  private AdvertisedAddress() { }

  /**
   * @param bindHost {@code segmenter.http.host}
   * @param advertisedHost {@code segmenter.http.advertised.host}, blank for none
   * @param applicationServer {@code application.server}, null or blank for none
   * @param machineName the machine's host name, asked only when needed
   */
  static HostInfo of(String bindHost, String advertisedHost, String applicationServer, int boundPort,
      Callable<String> machineName) throws Exception {
    InetAddress bound = loopback(bindHost);
    if (applicationServer != null && !applicationServer.isBlank()) {
      HostInfo explicit = HostInfo.buildFromEndpoint(applicationServer.trim());
      if (bound != null && loopback(explicit.host()) == null) {
        throw refused(bindHost, StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer.trim());
      }
      return explicit;
    }
    if (advertisedHost != null && !advertisedHost.isBlank()) {
      if (bound != null && loopback(advertisedHost) == null) {
        throw refused(bindHost, SegmenterConfig.HTTP_ADVERTISED_HOST, advertisedHost);
      }
      return new HostInfo(advertisedHost, boundPort);
    }
    if (bound != null) return new HostInfo(bound.getHostAddress(), boundPort);
    return new HostInfo(machineName.call(), boundPort);
  }

  /** The address {@code host} stands for if it is a loopback one, else null (also when it does not resolve). */
  private static InetAddress loopback(String host) {
    try {
      InetAddress a = InetAddress.getByName(host.trim());
      return a.isLoopbackAddress() ? a : null;
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }

  private static ConfigException refused(String bindHost, String setting, String value) {
    return new ConfigException(SegmenterConfig.HTTP_HOST + " is " + bindHost + ", a loopback address that only this "
        + "machine can reach, but " + setting + " is " + value + ", which is not a loopback address: other instances "
        + "would forward queries to an address this server does not listen on. Bind " + SegmenterConfig.HTTP_HOST
        + " to 0.0.0.0 or to the advertised address, or leave " + setting + " unset");
  }
}
