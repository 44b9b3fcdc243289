package io.segmenter.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.segmenter.strategy.StrategyComparison.Leaders;
import io.segmenter.strategy.StrategyScore.SegmentRow;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StrategyComparisonTest {

  private static OutcomeTally tally(long windows, long purchasing) {
    return new OutcomeTally(windows, purchasing, 0, 0, 0);
  }

  @Test
  void segmentsBuyingAtNinetyAndTenPercentGiveAClearLiftAndTheirRows() {
    Map<Integer, OutcomeTally> segments = Map.of(
        1, new OutcomeTally(100, 90, 150, 4_500.0, 12),
        2, new OutcomeTally(100, 10, 10, 200.0, 48));

    StrategyScore score = StrategyComparison.score("true-k", segments, Separation.NONE, 20);

    // By hand: smoothed rates 91/102 and 11/102 against 0.5; mean log-loss 0.32540 against ln 2 = 0.69315.
    assertThat(score.lift()).isCloseTo(0.53053, within(1e-5));
    assertThat(score.windows()).isEqualTo(200);
    assertThat(score.purchaseRate()).isEqualTo(0.5);
    assertThat(score.spread()).isCloseTo(0.8, within(1e-12));
    assertThat(score.stability()).as("60 quiet changes in 200 windows of 30 days").isCloseTo(0.01, within(1e-12));
    assertThat(score.separation()).isNaN();
    assertThat(score.segments()).containsExactly(
        new SegmentRow(1, 100, 0.9, 45.0, 1.5, 1 - 0.9),
        new SegmentRow(2, 100, 0.1, 2.0, 0.1, 1 - 0.1));
  }

  @Test
  void segmentsUnrelatedToPurchaseGiveNoLift() {
    assertThat(StrategyComparison.lift(List.of(tally(500, 250), tally(500, 250)))).isCloseTo(0, within(1e-12));
    // Unequal sizes, equal rates: only the smoothing's small cost remains.
    double lift = StrategyComparison.lift(List.of(tally(900, 270), tally(100, 30), tally(40, 12)));
    assertThat(lift).isBetween(-0.01, 0.0);
  }

  @Test
  void theFinerSegmentationThatSeparatesBuyersLeadsOnLift() {
    // "k3" merges the 0.9 and 0.5 buyers that "true-k" keeps apart.
    double fine = StrategyComparison.lift(List.of(tally(100, 90), tally(100, 10), tally(100, 50)));
    double coarse = StrategyComparison.lift(List.of(tally(200, 140), tally(100, 10)));
    assertThat(fine).isCloseTo(0.35369, within(1e-5));
    assertThat(coarse).isCloseTo(0.25597, within(1e-5));
  }

  @Test
  void nothingToPredictGivesZeroLiftAndNoWindowsGiveNaNRates() {
    assertThat(StrategyComparison.lift(List.of())).isZero();
    assertThat(StrategyComparison.lift(List.of(tally(50, 0), tally(30, 0)))).as("no one bought").isZero();
    assertThat(StrategyComparison.lift(List.of(tally(50, 50), tally(30, 30)))).as("everyone bought").isZero();

    StrategyScore empty = StrategyComparison.score("wide", Map.of(), new Separation(1.5, 3), 20);
    assertThat(empty.windows()).isZero();
    assertThat(empty.purchaseRate()).isNaN();
    assertThat(empty.stability()).isNaN();
    assertThat(empty.spread()).isNaN();
    assertThat(empty.separation()).isEqualTo(0.5);
    assertThatThrownBy(() -> StrategyComparison.score("wide", Map.of(), Separation.NONE, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minWindows");
  }

  @Test
  void theSpreadLeavesOutSegmentsWithTooFewWindows() {
    Map<Integer, OutcomeTally> segments = Map.of(1, tally(40, 20), 2, tally(25, 5), 3, tally(3, 3));
    assertThat(StrategyComparison.score("x", segments, Separation.NONE, 20).spread()).isCloseTo(0.3, within(1e-12));
    assertThat(StrategyComparison.score("x", Map.of(1, tally(40, 20)), Separation.NONE, 20).spread()).isZero();
    assertThat(StrategyComparison.score("x", Map.of(1, tally(4, 2)), Separation.NONE, 20).spread()).isNaN();
  }

  @Test
  void theTableListsTheBaseFirstAndTheLeadersAreTheBestOnEachFigure() {
    Map<String, Map<Integer, OutcomeTally>> outcomes = Map.of(
        "wide", Map.of(733_000_000, tally(100, 50), 733_000_001, tally(100, 50)),
        StrategySpec.DEFAULT, Map.of(0, tally(100, 70), 1, tally(100, 30)),
        "true-k", Map.of(682_000_000, tally(100, 90), 682_000_001, tally(100, 10)));
    Map<String, Separation> separations = Map.of(
        StrategySpec.DEFAULT, new Separation(30, 100), "true-k", new Separation(25, 100), "only-sampled", new Separation(10, 20));

    List<StrategyScore> table = StrategyComparison.compare(outcomes, separations, StrategyComparison.MIN_WINDOWS);

    assertThat(table).extracting(StrategyScore::strategy).containsExactly("default", "only-sampled", "true-k", "wide");
    assertThat(table.get(3).separation()).isNaN();
    Leaders leaders = StrategyComparison.leaders(table, StrategySpec.DEFAULT);
    assertThat(leaders.onLift()).contains("true-k");
    assertThat(leaders.onSeparation()).contains("only-sampled");

    assertThat(StrategyComparison.leaders(List.of(), "default")).isEqualTo(new Leaders(Optional.empty(), Optional.empty()));
  }

  @Test
  void aTieGoesToTheChampion() {
    Map<String, Map<Integer, OutcomeTally>> same = Map.of(
        "default", Map.of(0, tally(100, 90), 1, tally(100, 10)),
        "twin", Map.of(5_000_000, tally(100, 90), 5_000_001, tally(100, 10)));
    Map<String, Separation> separations = Map.of("default", new Separation(40, 100), "twin", new Separation(40, 100));
    List<StrategyScore> table = StrategyComparison.compare(same, separations, 20);

    assertThat(StrategyComparison.leaders(table, "twin")).isEqualTo(new Leaders(Optional.of("twin"), Optional.of("twin")));
    assertThat(StrategyComparison.leaders(table, "default"))
        .isEqualTo(new Leaders(Optional.of("default"), Optional.of("default")));
  }
}
