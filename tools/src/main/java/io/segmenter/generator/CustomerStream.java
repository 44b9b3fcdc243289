package io.segmenter.generator;

import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The time-ordered events of one customer, produced on demand. Two renewal clocks (next buying
 * session, next browsing session) pick the next session; sessions never overlap. Returns and
 * re-sent duplicates, which come later than the event that causes them, wait in a small side queue.
 */
final class CustomerStream {
  private static final double RETURN_RATE = 0.03;
  private static final long SESSION_GAP = 30 * CustomerPlan.MINUTE;
  private static final Comparator<Pending> PENDING_ORDER =
      Comparator.comparingLong((Pending p) -> p.event.occurredAtMs()).thenComparingLong(p -> p.seq);

  private record Pending(GeneratedEvent event, long seq) {
  }

  final int index;
  private final String customerId;
  private final Persona persona;
  private final CustomerPlan plan;
  private final SplittableRandom rng;
  // Duplicates draw from their own stream so that duplicateRate leaves the original events unchanged.
  private final SplittableRandom duplicateRng;
  private final double duplicateRate;
  private final Session session;

  private long nextOrderAt = Long.MAX_VALUE;
  private long nextBrowseAt;
  private int ordersStarted;
  private boolean inSession;
  private GeneratedEvent sessionHead;
  private PriorityQueue<Pending> side;
  private long sideSeq;
  /** Time of the next event, Long.MAX_VALUE when exhausted; fixed while the stream waits in a queue. */
  long nextTime;

  CustomerStream(int index, Persona persona, GeneratorConfig config) {
    this.index = index;
    this.customerId = Ids.customerId(index);
    this.persona = persona;
    this.rng = new SplittableRandom(Ids.seed(config.seed(), index, 1));
    this.duplicateRng = new SplittableRandom(Ids.seed(config.seed(), index, 2));
    this.duplicateRate = config.duplicateRate();
    this.plan = CustomerPlan.draw(persona, rng, config.start().toEpochMilli(), config.end().toEpochMilli());
    this.session = new Session(index, customerId, persona, plan, rng, config.currency());
    startClocks();
    advanceSession();
    nextTime = peekTime();
  }

  /** Hands out the next event; only valid while nextTime != Long.MAX_VALUE. */
  GeneratedEvent poll() {
    Pending pending = side == null ? null : side.peek();
    GeneratedEvent out;
    if (sessionHead != null && (pending == null || sessionHead.occurredAtMs() <= pending.event.occurredAtMs())) {
      out = sessionHead;
      advanceSession();
    } else {
      out = side.poll().event;
    }
    if (duplicateRate > 0 && !out.isDuplicate() && duplicateRng.nextDouble() < duplicateRate) {
      long at = out.occurredAtMs() + 2_000 + duplicateRng.nextLong(5 * CustomerPlan.MINUTE);
      if (at < plan.activeTo) addSide(out.resentAt(at));
    }
    nextTime = peekTime();
    return out;
  }

  int sideQueueSize() {
    return side == null ? 0 : side.size();
  }

  private void startClocks() {
    long from = plan.activeFrom;
    if (plan.firstVisitBuys) {
      nextOrderAt = from;
      nextBrowseAt = from + exponential(plan.browseEveryMs);
    } else {
      // A random phase, so that customers do not all start on the first day.
      if (plan.buys()) nextOrderAt = from + (long) (plan.orderEveryMs * rng.nextDouble());
      nextBrowseAt = from + (long) (plan.browseEveryMs * rng.nextDouble());
    }
    if (Math.min(nextOrderAt, nextBrowseAt) >= plan.activeTo - CustomerPlan.HOUR) {
      // Short spans: every customer must still show up at least once.
      nextBrowseAt = from + (long) ((plan.activeTo - from) / 2.0 * rng.nextDouble());
    }
  }

  private void advanceSession() {
    while (true) {
      if (inSession) {
        GeneratedEvent next = session.next();
        // The active window cuts a session short: a lapsing customer goes silent mid-session.
        if (next != null && next.occurredAtMs() < plan.activeTo) {
          if (next.isOrder()) maybeReturn((OrderEvent) next.event());
          sessionHead = next;
          return;
        }
        inSession = false;
        long free = session.lastAt() + SESSION_GAP;
        nextOrderAt = Math.max(nextOrderAt, free);
        nextBrowseAt = Math.max(nextBrowseAt, free);
      }
      long at = Math.min(nextOrderAt, nextBrowseAt);
      if (at >= plan.activeTo) {
        sessionHead = null;
        return;
      }
      boolean buying = nextOrderAt <= nextBrowseAt;
      if (buying) {
        ordersStarted++;
        nextOrderAt = nextOrderAfter(at);
      } else {
        nextBrowseAt = at + exponential(plan.browseEveryMs);
      }
      session.start(at, buying);
      inSession = true;
    }
  }

  private long nextOrderAfter(long at) {
    if (ordersStarted >= plan.maxOrders) return Long.MAX_VALUE;
    long next = at + exponential(plan.orderEveryMs);
    long recentFrom = plan.activeTo - plan.recentOrderMs;
    if (plan.recentOrderMs > 0 && next >= plan.activeTo && at < recentFrom) {
      // A recent order defines a champion, yet an exponential gap skips the last days now and then.
      next = recentFrom + (long) (plan.recentOrderMs * 0.5 * rng.nextDouble());
    }
    return next;
  }

  private void maybeReturn(OrderEvent placed) {
    if (rng.nextDouble() >= RETURN_RATE) return;
    long at = placed.getOccurredAt().toEpochMilli() + (long) (plan.uniform(3, 20) * CustomerPlan.DAY);
    if (at >= plan.activeTo) return;
    // Not OrderEvent.newBuilder(placed): it deep-copies through Avro's class-trust check, which
    // throws unless the caller has set org.apache.avro.SERIALIZABLE_PACKAGES.
    OrderEvent returned = new OrderEvent(placed.getOrderId(), placed.getCustomerId(), OrderStatus.RETURNED,
        placed.getAmount(), placed.getCurrency(), placed.getItemCount(), placed.getCategories(),
        Instant.ofEpochMilli(at));
    addSide(new GeneratedEvent(customerId, persona, returned, at));
  }

  private void addSide(GeneratedEvent event) {
    if (side == null) side = new PriorityQueue<>(4, PENDING_ORDER);
    side.add(new Pending(event, sideSeq++));
  }

  private long peekTime() {
    long t = sessionHead == null ? Long.MAX_VALUE : sessionHead.occurredAtMs();
    if (side != null && !side.isEmpty()) t = Math.min(t, side.peek().event.occurredAtMs());
    return t;
  }

  private long exponential(double mean) {
    return (long) (-mean * Math.log(1 - rng.nextDouble()));
  }
}
