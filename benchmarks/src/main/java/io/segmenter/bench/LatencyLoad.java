package io.segmenter.bench;

import io.segmenter.cli.EventSender;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;

/**
 * The sending side of {@link LatencyBenchmark}: live events (occurredAt = now) at a fixed rate, on a
 * schedule (event i is due at start + i / rate), so that a slow consumer cannot slow the producer
 * down, as it would in a closed loop; if the producer itself cannot keep the schedule, the rate it
 * achieved says so.
 *
 * <p>The mix: a share of the events are the first event of a customer never seen before. Once a
 * model exists such an event always yields a change (from no segment to the nearest eligible
 * centre, {@code CustomerEvaluator}/{@code SegmentAssigner}), so those are the changes every level
 * is sure to measure. The others are clicks (and one in five an order) of customers already known
 * (the warm-up's and the earlier levels'): the profile reads and writes of ordinary traffic; when
 * one of them moves its customer, that change is measured too.
 */
final class LatencyLoad {
  /** What one level did: events sent, of which first events of new customers, and the time it took. */
  record Sent(long events, long firstEvents, double seconds, long maxBehindNanos) {
    double rate() {
      return events / seconds;
    }
  }

  private static final BigDecimal PRICE = new BigDecimal("24.9900");
  private static final BigDecimal AMOUNT = new BigDecimal("59.9000");

  private final EventSender sender;
  private final LatencyProbe probe;
  private final double newShare;
  private final String idPrefix;
  private final SplittableRandom random = new SplittableRandom(7);
  /** Customers who may send a repeat event; only customers whose first event was sent (and sent earlier). */
  private final List<String> known;
  /** Each customer's last occurredAt, so that no customer sends twice in one millisecond (the probe's match key). */
  private final Map<String, Long> lastSent = new HashMap<>();
  private long customers;
  private long events;

  LatencyLoad(EventSender sender, LatencyProbe probe, double newShare, String idPrefix, List<String> warmupCustomers) {
    this.sender = sender;
    this.probe = probe;
    this.newShare = newShare;
    this.idPrefix = idPrefix;
    this.known = new ArrayList<>(warmupCustomers);
  }

  /** Sends at {@code rate} events/s for {@code seconds}; every send is registered with the probe first. */
  Sent run(LatencyProbe.Level level, int rate, int seconds) {
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long sent = 0;
    long first = 0;
    long maxBehind = 0;
    long now;
    while ((now = System.nanoTime()) < end) {
      long due = start + sent * interval;
      if (now < due) {
        LockSupport.parkNanos(due - now);
        continue;
      }
      maxBehind = Math.max(maxBehind, now - due);
      if (sendOne(level)) first++;
      sent++;
    }
    sender.flush();
    return new Sent(sent, first, (System.nanoTime() - start) / 1e9, maxBehind);
  }

  /** One event; true when it was a new customer's first. */
  private boolean sendOne(LatencyProbe.Level level) {
    long nowMs = System.currentTimeMillis();
    String customer = random.nextDouble() < newShare || known.isEmpty() ? null
        : known.get(random.nextInt(known.size()));
    if (customer != null && lastSent.getOrDefault(customer, Long.MIN_VALUE) >= nowMs) customer = null;
    boolean fresh = customer == null;
    if (fresh) customer = idPrefix + (customers++);
    SpecificRecord event = !fresh && random.nextInt(5) == 0 ? order(customer, nowMs) : click(customer, nowMs);
    probe.sending(customer, nowMs, new LatencyProbe.Sent(System.nanoTime(), nowMs, fresh, level));
    sender.send(customer, event);
    lastSent.put(customer, nowMs);
    if (fresh) known.add(customer);
    return fresh;
  }

  private ClickEvent click(String customer, long nowMs) {
    long n = events++;
    return ClickEvent.newBuilder().setEventId(idPrefix + "c" + n).setCustomerId(customer)
        .setSessionId(customer + "-s").setType(ClickType.PRODUCT_VIEW).setProductId("sku-" + (n % 500))
        .setCategory("electronics.accessories").setPrice(PRICE).setChannel("web").setDevice("mobile")
        .setOccurredAt(Instant.ofEpochMilli(nowMs)).build();
  }

  private OrderEvent order(String customer, long nowMs) {
    long n = events++;
    return OrderEvent.newBuilder().setOrderId(idPrefix + "o" + n).setCustomerId(customer)
        .setStatus(OrderStatus.PLACED).setAmount(AMOUNT).setCurrency("EUR").setItemCount(2)
        .setCategories(List.of("electronics.accessories")).setOccurredAt(Instant.ofEpochMilli(nowMs)).build();
  }
}
