package io.segmenter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The REES46 reader on the shared file (see its README for the figures). */
class Rees46ClicksTest {
  @Test
  void everyRowBecomesAnEventOfItsType() {
    List<ClickEvent> events = Rees46Clicks.read(Rees46Clicks.defaultLocation(), Rees46Clicks.Options.defaults());
    assertThat(events).hasSize(17_434);
    Map<ClickType, Long> types = events.stream().collect(Collectors.groupingBy(ClickEvent::getType, Collectors.counting()));
    assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of(
        ClickType.PRODUCT_VIEW, 17_055L, ClickType.ADD_TO_CART, 165L, ClickType.CHECKOUT_START, 214L));
    assertThat(events.get(0).getOccurredAt()).isEqualTo(Rees46Clicks.FIRST_EVENT);
    assertThat(events.stream().map(ClickEvent::getCustomerId).distinct().count()).isEqualTo(4_504);
    assertThat(Rees46Clicks.userIds(Rees46Clicks.defaultLocation())).hasSize(4_504);
    Set<String> ids = new HashSet<>();
    for (ClickEvent e : events) {
      assertThat(ids.add(e.getEventId())).as("event id %s unique", e.getEventId()).isTrue();
      assertThat(e.getSessionId()).isNotBlank();
      assertThat(e.getPrice() == null || e.getPrice().signum() >= 0).isTrue();
      if (e.getPrice() != null) assertThat(e.getPrice().scale()).isEqualTo(4);
    }
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).getOccurredAt()).isAfterOrEqualTo(events.get(i - 1).getOccurredAt());
    }
  }

  @Test
  void datesMoveAndIdsMapAndPurchasesCanBeLeftOut() {
    Instant start = Instant.parse("2015-03-01T00:00:00Z");
    Function<String, String> ids = user -> "c-" + user;
    List<ClickEvent> events = Rees46Clicks.read(Rees46Clicks.defaultLocation(),
        new Rees46Clicks.Options(java.time.Duration.ZERO, ids, true).startingAt(start));
    assertThat(events).hasSize(17_434 - 214).noneMatch(e -> e.getType() == ClickType.CHECKOUT_START);
    assertThat(events.get(0).getOccurredAt()).isEqualTo(start);
    assertThat(events.get(events.size() - 1).getOccurredAt()).isBefore(start.plusSeconds(3 * 3600));
    assertThat(events).allMatch(e -> e.getCustomerId().startsWith("c-"));
    // The file's first row: view of 44600062 (shiseido, 35.79) by user 541312140.
    ClickEvent first = events.get(0);
    assertThat(first.getCustomerId()).isEqualTo("c-541312140");
    assertThat(first.getEventId()).isEqualTo("rees46-1");
    assertThat(first.getProductId()).isEqualTo("44600062");
    assertThat(first.getCategory()).isNull();
    assertThat(first.getPrice()).isEqualByComparingTo(new BigDecimal("35.79"));
  }
}
