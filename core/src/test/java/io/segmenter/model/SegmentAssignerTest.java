package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentAssignerTest {
  private static final KMeansModel TWO = new KMeansModel(3, 1, List.of(
      new Centre(0, new double[] {0}, 1, 1, 1, null),
      new Centre(1, new double[] {10}, 1, 1, 1, null)), 2, 1.0);

  @Test
  void aCustomerWithoutSegmentGetsTheNearest() {
    SegmentAssigner.Decision d = SegmentAssigner.decide(-1, new double[] {6}, TWO, 0.2);
    assertThat(d.segmentId()).isEqualTo(1);
    assertThat(d.changed()).isTrue();
  }

  @Test
  void aCustomerJustPastTheMidpointStaysWhereTheyAre() {
    // d(new) = 4.5, d(current) = 5.5: 4.5 < 0.8 * 5.5 = 4.4 is false -> stay.
    SegmentAssigner.Decision d = SegmentAssigner.decide(0, new double[] {5.5}, TWO, 0.2);
    assertThat(d.segmentId()).isZero();
    assertThat(d.changed()).isFalse();
    assertThat(d.nearestId()).as("the model still learns from the plain nearest centre").isEqualTo(1);
    assertThat(d.distance()).isEqualTo(5.5);
  }

  @Test
  void aCustomerClearlyCloserToAnotherCentreMoves() {
    // d(new) = 4, d(current) = 6: 4 < 4.8 -> move.
    SegmentAssigner.Decision d = SegmentAssigner.decide(0, new double[] {6}, TWO, 0.2);
    assertThat(d.segmentId()).isEqualTo(1);
    assertThat(d.changed()).isTrue();
  }

  @Test
  void withoutMarginTheNearestAlwaysWins() {
    assertThat(SegmentAssigner.decide(0, new double[] {5.01}, TWO, 0).segmentId()).isEqualTo(1);
  }

  @Test
  void aCustomerWhoseCentreWasReseededAwayMovesUnconditionally() {
    SegmentAssigner.Decision d = SegmentAssigner.decide(7, new double[] {0.1}, TWO, 0.5);
    assertThat(d.segmentId()).isZero();
    assertThat(d.changed()).isTrue();
  }

  @Test
  void anIneligibleCentreIsSkippedAndLeftWithoutHysteresis() {
    // Nearest is 0, but 0 is closed to this customer: they go to 1, and the model still sees 0.
    SegmentAssigner.Decision d = SegmentAssigner.decide(-1, new double[] {1}, TWO, 0.2, java.util.Set.of(0));
    assertThat(d.segmentId()).isEqualTo(1);
    assertThat(d.nearestId()).isZero();
    // A customer sitting in a centre that became ineligible leaves it even though it is nearest.
    SegmentAssigner.Decision leave = SegmentAssigner.decide(0, new double[] {1}, TWO, 0.5, java.util.Set.of(0));
    assertThat(leave.segmentId()).isEqualTo(1);
    assertThat(leave.changed()).isTrue();
    // Every centre ineligible: the rule cannot be met, geometry decides.
    assertThat(SegmentAssigner.decide(-1, new double[] {1}, TWO, 0.2, java.util.Set.of(0, 1)).segmentId()).isZero();
  }
}
