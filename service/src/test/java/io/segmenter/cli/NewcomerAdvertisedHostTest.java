package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 22, item 11: {@code run} bound to loopback but told to advertise an address other instances
 * would reach it by cannot answer forwarded queries; it stops at start-up with exit 2, naming both
 * settings, before it connects to Kafka (the addresses below are closed ports).
 */
class NewcomerAdvertisedHostTest {
  @Test
  void aLoopbackBindWithANonLoopbackAdvertisedHostStopsRunNamingBothSettings() {
    CommandOutcome o = CommandOutcome.service("run", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url",
        "http://127.0.0.1:1", "-s", "segmenter.http.port=0", "-s", "segmenter.http.host=127.0.0.1",
        "-s", "segmenter.http.advertised.host=10.1.2.3");
    System.out.printf("run with a loopback bind and advertised host 10.1.2.3 -> exit %d: %s", o.code(), o.err());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("invalid setting").contains("segmenter.http.host is 127.0.0.1")
        .contains("segmenter.http.advertised.host is 10.1.2.3");
  }
}
