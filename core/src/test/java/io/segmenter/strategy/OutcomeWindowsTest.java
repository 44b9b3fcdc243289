package io.segmenter.strategy;

import static io.segmenter.strategy.OutcomeWindows.WINDOW_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.strategy.OutcomeWindows.ClosedWindow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeWindowsTest {
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  /** A grid boundary: 2026-07-06T00:00Z, 688 windows after the epoch. */
  private static final long B = 688 * WINDOW_MS;
  private static final Map<String, Integer> HELD = Map.of("default", 3, "true-k", 682_000_001);

  @Test
  void theGridIsSharedAndABoundaryIsNeverTheMomentItself() {
    assertThat(OutcomeWindows.boundaryAtOrBefore(B + 5)).isEqualTo(B);
    assertThat(OutcomeWindows.boundaryAtOrBefore(B)).isEqualTo(B);
    assertThat(OutcomeWindows.boundaryAfter(B)).isEqualTo(B + WINDOW_MS);
    assertThat(OutcomeWindows.boundaryAfter(B - 1)).isEqualTo(B);
    assertThat(OutcomeWindows.boundaryAtOrBefore(-1)).as("before the epoch").isEqualTo(-WINDOW_MS);
  }

  @Test
  void aCustomerFirstSeenAtAnOrderIsObservedFromTheNextBoundaryWithoutThatOrder() {
    CustomerStrategies s = new CustomerStrategies();
    long first = B - 10 * DAY;

    assertThat(OutcomeWindows.visit(s, first, Map.of())).isEmpty();
    OutcomeWindows.onOrder(s, first, 50);

    assertThat(s.windowStart()).isEqualTo(B);
    assertThat(s.windowBegun()).isFalse();
    assertThat(s.orders()).as("the order that brought the customer in is before any window").isZero();
  }

  @Test
  void aWindowBeginsWithTheSegmentsHeldAtTheFirstVisitAfterItsStartAndClosesWithWhatFollowed() {
    CustomerStrategies s = new CustomerStrategies();
    OutcomeWindows.visit(s, B - DAY, HELD);

    assertThat(OutcomeWindows.visit(s, B + 2 * DAY, HELD)).isEmpty();
    assertThat(s.windowBegun()).isTrue();
    assertThat(s.segmentsAtStart()).isEqualTo(HELD);
    OutcomeWindows.onOrder(s, B + 2 * DAY, 20);
    // The evaluation then moves the customer: the window keeps the segments of its start.
    Map<String, Integer> moved = Map.of("default", 5, "true-k", 682_000_002);
    OutcomeWindows.visit(s, B + 9 * DAY, moved);
    OutcomeWindows.onOrder(s, B + 9 * DAY, 12.5);
    OutcomeWindows.onQuietChange(s, "true-k");
    OutcomeWindows.onQuietChange(s, "true-k");

    List<ClosedWindow> closed = OutcomeWindows.visit(s, B + WINDOW_MS + HOUR, moved);

    assertThat(closed).containsExactly(new ClosedWindow(B, HELD, true, 2, 32.5, Map.of("true-k", 2)));
    assertThat(closed.get(0).end()).isEqualTo(B + WINDOW_MS);
    assertThat(s.windowStart()).isEqualTo(B + WINDOW_MS);
    assertThat(s.windowBegun()).isTrue();
    assertThat(s.segmentsAtStart()).as("the segments held at the next boundary").isEqualTo(moved);
    assertThat(s.orders()).isZero();
    assertThat(s.revenue()).isZero();
    assertThat(s.quietChanges()).isEmpty();
  }

  @Test
  void aWindowWithoutAVisitInsideBeginsAndClosesAtTheNextVisitAsNotPurchased() {
    CustomerStrategies s = new CustomerStrategies();
    OutcomeWindows.visit(s, B - DAY, HELD);

    List<ClosedWindow> closed = OutcomeWindows.visit(s, B + WINDOW_MS + DAY, HELD);

    assertThat(closed).containsExactly(new ClosedWindow(B, HELD, false, 0, 0, Map.of()));
    assertThat(s.windowStart()).isEqualTo(B + WINDOW_MS);
  }

  @Test
  void withoutSegmentsAtItsStartTheWindowMovesToTheNextBoundary() {
    CustomerStrategies s = new CustomerStrategies();
    OutcomeWindows.visit(s, B - DAY, Map.of());
    Map<String, Integer> none = new HashMap<>();
    none.put("default", CustomerStrategies.NO_SEGMENT);
    none.put("wide", null);

    OutcomeWindows.visit(s, B + DAY, none);
    OutcomeWindows.onOrder(s, B + DAY, 10);
    OutcomeWindows.onQuietChange(s, "default");

    assertThat(s.windowBegun()).isFalse();
    assertThat(s.windowStart()).isEqualTo(B + WINDOW_MS);
    assertThat(s.orders()).isZero();
    assertThat(s.quietChanges()).isEmpty();

    OutcomeWindows.visit(s, B + WINDOW_MS, Map.of("default", 1, "wide", CustomerStrategies.NO_SEGMENT));
    assertThat(s.windowBegun()).as("a visit exactly at the boundary").isTrue();
    assertThat(s.segmentsAtStart()).containsExactly(Map.entry("default", 1));
  }

  @Test
  void anOrderOlderThanTheWindowIsNotCountedInIt() {
    CustomerStrategies s = new CustomerStrategies();
    OutcomeWindows.visit(s, B - DAY, HELD);
    OutcomeWindows.visit(s, B + DAY, HELD);

    OutcomeWindows.onOrder(s, B - HOUR, 99); // arrived late
    OutcomeWindows.onOrder(s, B, 1);

    assertThat(s.orders()).isEqualTo(1);
    assertThat(s.revenue()).isEqualTo(1.0);
    assertThatThrownBy(() -> OutcomeWindows.onOrder(s, B, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not finite");
  }

  @Test
  void aCustomerSilentForYearsClosesThirteenWindowsInOneStepThenTheCurrentOneBegins() {
    CustomerStrategies s = new CustomerStrategies();
    OutcomeWindows.visit(s, B - DAY, HELD);
    OutcomeWindows.visit(s, B, HELD);
    OutcomeWindows.onOrder(s, B, 7);
    long now = B + 40 * WINDOW_MS + 3 * DAY; // about 3.3 years later

    List<ClosedWindow> closed = OutcomeWindows.visit(s, now, Map.of("default", 4));

    assertThat(closed).hasSize(OutcomeWindows.MAX_CLOSED_PER_VISIT);
    assertThat(closed.get(0)).isEqualTo(new ClosedWindow(B, HELD, true, 1, 7, Map.of()));
    for (int i = 1; i < closed.size(); i++) {
      assertThat(closed.get(i)).isEqualTo(new ClosedWindow(B + i * WINDOW_MS, Map.of("default", 4), false, 0, 0, Map.of()));
    }
    assertThat(s.windowStart()).as("the window holding now").isEqualTo(B + 40 * WINDOW_MS);
    assertThat(s.windowBegun()).isTrue();
    assertThat(s.segmentsAtStart()).containsExactly(Map.entry("default", 4));
    assertThat(OutcomeWindows.visit(s, now + DAY, HELD)).isEmpty();
  }

  @Test
  void twelveSilentWindowsAreAllCounted() {
    CustomerStrategies s = new CustomerStrategies();
    OutcomeWindows.visit(s, B - DAY, HELD);
    OutcomeWindows.visit(s, B, HELD);

    List<ClosedWindow> closed = OutcomeWindows.visit(s, B + 13 * WINDOW_MS, HELD);

    assertThat(closed).extracting(ClosedWindow::start).hasSize(13).startsWith(B).endsWith(B + 12 * WINDOW_MS);
    assertThat(s.windowStart()).isEqualTo(B + 13 * WINDOW_MS);
  }

  @Test
  void quietChangesCountPerStrategyOnlyInABegunWindow() {
    CustomerStrategies s = new CustomerStrategies();
    OutcomeWindows.visit(s, B - DAY, HELD);
    OutcomeWindows.onQuietChange(s, "default"); // not begun: not counted
    OutcomeWindows.visit(s, B + DAY, HELD);
    OutcomeWindows.onQuietChange(s, "default");
    OutcomeWindows.onQuietChange(s, "true-k");
    OutcomeWindows.onQuietChange(s, "default");

    assertThat(s.quietChanges()).containsExactly(Map.entry("default", 2), Map.entry("true-k", 1));
  }

  @Test
  void aForgottenStrategyLeavesNoTrace() {
    CustomerStrategies s = CustomerStrategiesCodecTest.busy();
    s.forget("wide");
    assertThat(s.names()).containsExactly("true-k");
    assertThat(s.segmentsAtStart()).doesNotContainKey("wide");
    assertThat(s.quietChanges()).isEmpty();
  }
}
