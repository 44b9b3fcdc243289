package io.segmenter.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {
  private static final GeneratorConfig SMALL = GeneratorConfig.defaults().withCustomers(300).withSpan(Duration.ofDays(60));

  @Test
  void sameConfigGivesTheSameSequenceAndADifferentSeedAnotherOne() {
    SyntheticGenerator a = SyntheticGenerator.create(SMALL);
    SyntheticGenerator b = SyntheticGenerator.create(SMALL);
    List<String> first = head(a, 5_000);
    assertThat(first).hasSize(5_000);
    assertThat(head(b, 5_000)).isEqualTo(first);
    assertThat(head(a, 5_000)).as("a second iteration of the same generator").isEqualTo(first);
    assertThat(fingerprint(a)).isEqualTo(fingerprint(b));
    assertThat(b.groundTruth()).isEqualTo(a.groundTruth());

    SyntheticGenerator other = SyntheticGenerator.create(SMALL.withSeed(43));
    assertThat(head(other, 5_000)).isNotEqualTo(first);
    assertThat(fingerprint(other)).isNotEqualTo(fingerprint(a));
    assertThat(other.groundTruth()).isNotEqualTo(a.groundTruth());
  }

  @Test
  void eventsAreInTimeOrderWithinTheSpanWithMillisecondInstants() {
    SyntheticGenerator g = SyntheticGenerator.create(SMALL);
    long start = g.start().toEpochMilli();
    long end = g.end().toEpochMilli();
    long previous = Long.MIN_VALUE;
    long n = 0;
    for (GeneratedEvent e : g) {
      assertThat(e.occurredAtMs()).isGreaterThanOrEqualTo(previous).isGreaterThanOrEqualTo(start).isLessThan(end);
      Instant at = occurredAt(e.event());
      assertThat(at.getNano() % 1_000_000).isZero();
      // Without duplicates the stream time is the record's own event time.
      assertThat(at.toEpochMilli()).isEqualTo(e.occurredAtMs());
      assertThat(e.isDuplicate()).isFalse();
      previous = e.occurredAtMs();
      n++;
    }
    assertThat(n).isGreaterThan(10_000);
  }

  @Test
  void everyCustomerEmitsAndTheMixIsRespected() {
    SyntheticGenerator g = SyntheticGenerator.create(GeneratorConfig.defaults().withCustomers(600));
    assertThat(g.groundTruth()).hasSize(600);
    assertThat(g.groundTruth().keySet().iterator().next()).isEqualTo("cust-000001");
    Map<Persona, Integer> counts = new EnumMap<>(Persona.class);
    g.groundTruth().values().forEach(p -> counts.merge(p, 1, Integer::sum));
    for (Persona p : Persona.values()) assertThat(counts.getOrDefault(p, 0)).as(p.name()).isBetween(65, 135);

    Set<String> seen = new HashSet<>();
    for (GeneratedEvent e : g) {
      seen.add(e.customerId());
      assertThat(e.persona()).isEqualTo(g.groundTruth().get(e.customerId()));
      assertThat(customerOf(e.event())).isEqualTo(e.customerId());
    }
    assertThat(seen).isEqualTo(g.groundTruth().keySet());
  }

  @Test
  void aZeroWeightPersonaNeverAppearsAndEveryCustomerEmitsEvenOnAOneDaySpan() {
    Map<Persona, Double> mix = new EnumMap<>(Persona.class);
    mix.put(Persona.LAPSING, 1.0);
    mix.put(Persona.NEW, 1.0);
    SyntheticGenerator g = SyntheticGenerator.create(
        GeneratorConfig.defaults().withCustomers(200).withSpan(Duration.ofDays(1)).withMix(mix));
    assertThat(new HashSet<>(g.groundTruth().values())).containsExactlyInAnyOrder(Persona.LAPSING, Persona.NEW);
    Set<String> seen = new HashSet<>();
    g.forEach(e -> seen.add(e.customerId()));
    assertThat(seen).isEqualTo(g.groundTruth().keySet());
  }

  @Test
  void moneyHasScaleFourAndOrdersTheConfiguredCurrency() {
    GeneratorConfig config = new GeneratorConfig(5, 200, SMALL.start(), SMALL.span(), SMALL.mix(), "USD", 0);
    int prices = 0;
    int orders = 0;
    for (GeneratedEvent e : SyntheticGenerator.create(config)) {
      if (e.event() instanceof OrderEvent o) {
        assertThat(o.getAmount().scale()).isEqualTo(4);
        assertThat(o.getAmount()).isGreaterThanOrEqualTo(BigDecimal.ZERO);
        assertThat(o.getCurrency()).isEqualTo("USD");
        assertThat(o.getItemCount()).isPositive();
        assertThat(o.getCategories()).isNotEmpty().doesNotHaveDuplicates();
        orders++;
      } else {
        ClickEvent c = (ClickEvent) e.event();
        assertThat(c.getType().name()).isNotEqualTo("UNKNOWN");
        assertThat(c.getPrice() == null).isEqualTo(c.getProductId() == null);
        if (c.getPrice() != null) {
          assertThat(c.getPrice().scale()).isEqualTo(4);
          assertThat(c.getPrice()).isPositive();
          prices++;
        }
      }
    }
    assertThat(prices).isPositive();
    assertThat(orders).isPositive();
  }

  @Test
  void aProductAlwaysHasTheSamePrice() {
    Map<String, BigDecimal> priceOf = new HashMap<>();
    for (GeneratedEvent e : SyntheticGenerator.create(SMALL)) {
      if (e.event() instanceof ClickEvent c && c.getProductId() != null) {
        BigDecimal known = priceOf.putIfAbsent(c.getProductId(), c.getPrice());
        if (known != null) assertThat(c.getPrice()).as(c.getProductId()).isEqualTo(known);
      }
    }
    assertThat(priceOf).hasSizeGreaterThan(100);
  }

  @Test
  void someOrdersAreReturnedLaterForTheSameAmount() {
    Map<String, OrderEvent> placed = new HashMap<>();
    int returns = 0;
    for (GeneratedEvent e : SyntheticGenerator.create(GeneratorConfig.defaults().withCustomers(600))) {
      if (!(e.event() instanceof OrderEvent o)) continue;
      if (o.getStatus() == OrderStatus.PLACED) {
        assertThat(placed.put(o.getOrderId(), o)).as("order ids are unique").isNull();
      } else {
        assertThat(o.getStatus()).isEqualTo(OrderStatus.RETURNED);
        OrderEvent original = placed.get(o.getOrderId());
        assertThat(original).as("a return follows its order").isNotNull();
        assertThat(o.getAmount()).isEqualTo(original.getAmount());
        Duration after = Duration.between(original.getOccurredAt(), o.getOccurredAt());
        assertThat(after).isBetween(Duration.ofDays(3), Duration.ofDays(20));
        returns++;
      }
    }
    double rate = returns / (double) placed.size();
    assertThat(rate).isBetween(0.015, 0.045);
  }

  @Test
  void duplicatesAreExactCopiesOfEarlierEventsAtTheRequestedRate() {
    GeneratorConfig config = SMALL.withDuplicateRate(0.1);
    Map<String, SpecificRecord> originals = new HashMap<>();
    Map<String, Long> originalAt = new HashMap<>();
    List<String> withoutDuplicates = new ArrayList<>();
    long previous = Long.MIN_VALUE;
    int duplicates = 0;
    int total = 0;
    for (GeneratedEvent e : SyntheticGenerator.create(config)) {
      assertThat(e.occurredAtMs()).isGreaterThanOrEqualTo(previous);
      previous = e.occurredAtMs();
      total++;
      String key = key(e.event());
      if (e.isDuplicate()) {
        duplicates++;
        assertThat(e.event()).as("a retry re-sends the very record").isEqualTo(originals.get(key));
        long delay = e.occurredAtMs() - originalAt.get(key);
        assertThat(delay).isBetween(2_000L, 302_000L);
      } else {
        assertThat(originals.put(key, e.event())).as("ids are unique among originals").isNull();
        originalAt.put(key, e.occurredAtMs());
        withoutDuplicates.add(key + "@" + e.occurredAtMs());
      }
    }
    double rate = duplicates / (double) (total - duplicates);
    assertThat(rate).isBetween(0.09, 0.11);
    // Duplicates draw from their own random stream: the original events are unchanged.
    List<String> plain = new ArrayList<>();
    SyntheticGenerator.create(SMALL).forEach(e -> plain.add(key(e.event()) + "@" + e.occurredAtMs()));
    assertThat(withoutDuplicates).isEqualTo(plain);
  }

  @Test
  void streamsOneHundredThousandCustomersWithOneQueueEntryEach() {
    GeneratorConfig config = GeneratorConfig.defaults().withCustomers(100_000).withSpan(Duration.ofDays(30));
    SyntheticGenerator.Merge events = SyntheticGenerator.create(config).merge();
    // One slot per customer, fixed up front: only each customer's next event is ever held.
    assertThat(events.capacity()).isEqualTo(100_000);
    assertThat(events.queueSize()).isLessThanOrEqualTo(100_000).isGreaterThan(99_000);
    long count = 0;
    long previous = Long.MIN_VALUE;
    while (events.hasNext()) {
      long at = events.next().occurredAtMs();
      assertThat(at >= previous).isTrue();
      previous = at;
      count++;
    }
    assertThat(count).isGreaterThan(1_000_000);
    assertThat(events.queueSize()).isZero();
  }

  private static List<String> head(SyntheticGenerator g, int n) {
    List<String> out = new ArrayList<>(n);
    Iterator<GeneratedEvent> it = g.iterator();
    while (it.hasNext() && out.size() < n) {
      GeneratedEvent e = it.next();
      out.add(key(e.event()) + "@" + e.occurredAtMs());
    }
    return out;
  }

  private static long fingerprint(SyntheticGenerator g) {
    long h = 1;
    for (GeneratedEvent e : g) h = 31 * h + e.event().hashCode() + 17L * e.occurredAtMs();
    return h;
  }

  static String key(SpecificRecord event) {
    if (event instanceof ClickEvent c) return c.getEventId();
    OrderEvent o = (OrderEvent) event;
    return o.getOrderId() + "/" + o.getStatus();
  }

  private static Instant occurredAt(SpecificRecord event) {
    return event instanceof ClickEvent c ? c.getOccurredAt() : ((OrderEvent) event).getOccurredAt();
  }

  private static String customerOf(SpecificRecord event) {
    return event instanceof ClickEvent c ? c.getCustomerId() : ((OrderEvent) event).getCustomerId();
  }
}
