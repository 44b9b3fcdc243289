package io.segmenter.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, item 11: where an instance tells the others to forward queries. Before the mend a
 * loopback bind without an advertised host advertised the machine's host name, which a
 * loopback-bound server does not answer on (160 of 200 customer queries failed between two such
 * instances); now it advertises the loopback address it is bound to, and an explicit non-loopback
 * address with a loopback bind stops start-up naming both settings.
 */
class AdvertisedAddressTest {
  /** A host name that must not be advertised with a loopback bind (never resolved here). */
  private static final Callable<String> MACHINE = () -> "build-host.example.internal";

  @Test
  void aLoopbackBindWithoutAnAdvertisedHostAdvertisesTheBoundAddress() throws Exception {
    assertThat(AdvertisedAddress.of("127.0.0.1", "", null, 8080, MACHINE)).isEqualTo(new HostInfo("127.0.0.1", 8080));
    assertThat(AdvertisedAddress.of("127.0.0.2", "", "", 9000, MACHINE)).isEqualTo(new HostInfo("127.0.0.2", 9000));
    assertThat(AdvertisedAddress.of("localhost", "", null, 8080, MACHINE).host()).startsWith("127.").doesNotContain("example");
  }

  @Test
  void aBindToEveryInterfaceAdvertisesTheMachinesHostName() throws Exception {
    assertThat(AdvertisedAddress.of("0.0.0.0", "", null, 8080, MACHINE)).isEqualTo(new HostInfo("build-host.example.internal", 8080));
  }

  @Test
  void anExplicitAddressWins() throws Exception {
    assertThat(AdvertisedAddress.of("0.0.0.0", "pod-1.segmenter", null, 8080, MACHINE)).isEqualTo(new HostInfo("pod-1.segmenter", 8080));
    assertThat(AdvertisedAddress.of("0.0.0.0", "pod-1.segmenter", "10.1.2.3:9090", 8080, MACHINE))
        .isEqualTo(new HostInfo("10.1.2.3", 9090));
    assertThat(AdvertisedAddress.of("127.0.0.1", "localhost", null, 8080, MACHINE)).isEqualTo(new HostInfo("localhost", 8080));
    assertThat(AdvertisedAddress.of("127.0.0.1", "", "127.0.0.1:9090", 8080, MACHINE)).isEqualTo(new HostInfo("127.0.0.1", 9090));
  }

  @Test
  void aLoopbackBindWithANonLoopbackAdvertisedHostIsRefusedNamingBothSettings() {
    assertThatThrownBy(() -> AdvertisedAddress.of("127.0.0.1", "10.1.2.3", null, 8080, MACHINE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("segmenter.http.host is 127.0.0.1")
        .hasMessageContaining("segmenter.http.advertised.host is 10.1.2.3");
    assertThatThrownBy(() -> AdvertisedAddress.of("127.0.0.1", "", "10.1.2.3:8080", 8080, MACHINE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("segmenter.http.host is 127.0.0.1")
        .hasMessageContaining("application.server is 10.1.2.3:8080")
        .satisfies(e -> System.out.printf("AdvertisedAddressTest: %s%n", e.getMessage()));
  }
}
