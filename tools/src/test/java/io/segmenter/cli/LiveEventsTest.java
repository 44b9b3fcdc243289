package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LiveEventsTest {
  private static final GeneratorConfig HISTORY = GeneratorConfig.defaults().withCustomers(5).withSpan(Duration.ofDays(3))
      .withSeed(11).withStart(Instant.parse("2026-03-01T00:00:00Z"));

  @Test
  void liveEventsAreForTheHistorysCustomersDatedNowWithFreshIds() {
    SyntheticGenerator history = SyntheticGenerator.create(HISTORY);
    Map<String, io.segmenter.generator.Persona> personas = history.groundTruth();
    Set<String> historyIds = new HashSet<>();
    for (GeneratedEvent e : history) historyIds.add(id(e));
    LiveEvents live = new LiveEvents(HISTORY);
    Set<String> liveIds = new HashSet<>();
    long now = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();
    int orders = 0;
    // Enough events to run through more than one 30-day round of 5 customers.
    for (int i = 0; i < 3_000; i++, now += 50) {
      GeneratedEvent e = live.next(now);
      assertThat(personas).containsEntry(e.customerId(), e.persona());
      assertThat(e.occurredAtMs()).isEqualTo(now);
      if (e.event() instanceof OrderEvent o) {
        orders++;
        assertThat(o.getOccurredAt().toEpochMilli()).isEqualTo(now);
        assertThat(o.getCustomerId()).isEqualTo(e.customerId());
        assertThat(o.getOrderId()).startsWith("live");
        assertThat(o.getCurrency()).isEqualTo("EUR");
      } else {
        ClickEvent c = (ClickEvent) e.event();
        assertThat(c.getOccurredAt().toEpochMilli()).isEqualTo(now);
        assertThat(c.getSessionId()).startsWith("live" + live.round() + "-");
      }
      String id = id(e);
      assertThat(historyIds).as("live ids never repeat the history's").doesNotContain(id);
      if (!(e.event() instanceof OrderEvent o && o.getStatus() != io.segmenter.events.OrderStatus.PLACED)) {
        assertThat(liveIds.add(id)).as("unique id %s", id).isTrue();
      }
    }
    assertThat(live.round()).as("rounds follow one another").isGreaterThan(1);
    assertThat(orders).isPositive();
  }

  private static String id(GeneratedEvent e) {
    return e.event() instanceof OrderEvent o ? o.getOrderId() + ":" + o.getStatus() : ((ClickEvent) e.event()).getEventId();
  }
}
