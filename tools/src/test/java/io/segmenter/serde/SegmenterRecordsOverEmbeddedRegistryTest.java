package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.testing.EmbeddedRegistryFixture;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * segmenter's input events, as the generator makes them, through the serde and segmenter's embedded
 * registry over HTTP, as the demo uses them; and click events written before channel and device
 * existed still read. The serde itself is tested in its module, on its own schemas and a registry
 * double; the records the service writes (segment changes, model versions) cross the same serde and
 * registry in the topology tests (TopologyHarness) and the integration tests.
 */
@Timeout(60)
class SegmenterRecordsOverEmbeddedRegistryTest {
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final List<SpecificRecord> EVENTS = SyntheticGenerator.create(GeneratorConfig.defaults()
      .withCustomers(20)).stream().limit(2_000).map(e -> e.event()).toList();

  @Test
  void generatedClicksAndOrdersComeBackEqual() {
    List<ClickEvent> clicks = ofType(ClickEvent.class);
    List<OrderEvent> orders = ofType(OrderEvent.class);
    assertThat(clicks).as("clicks among the generated events").hasSizeGreaterThan(100);
    assertThat(orders).as("orders among the generated events").isNotEmpty();

    for (ClickEvent click : clicks) {
      assertThat(SerdeChecks.roundTrip(REGISTRY, ClickEvent.class, "gen-clicks", click)).isEqualTo(click);
    }
    for (OrderEvent order : orders) {
      assertThat(SerdeChecks.roundTrip(REGISTRY, OrderEvent.class, "gen-orders", order)).isEqualTo(order);
    }
  }

  @Test
  void clickEventsFromBeforeChannelAndDeviceReadIntoTodaysClass() {
    ClickEvent click = ofType(ClickEvent.class).get(7);

    ClickEvent read = SerdeChecks.writtenByAnOlderVersion(REGISTRY, ClickEvent.class, "old-clicks", click,
        "channel", "device");

    assertThat(read.getChannel()).isNull();
    assertThat(read.getDevice()).isNull();
    assertThat(read.getEventId()).isEqualTo(click.getEventId());
    assertThat(read.getCustomerId()).isEqualTo(click.getCustomerId());
    assertThat(read.getOccurredAt()).isEqualTo(click.getOccurredAt());
  }

  private static <T> List<T> ofType(Class<T> type) {
    return EVENTS.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
