package io.segmenter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OptimalMatchingTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static int[] assign(double[][] cost) {
    return OptimalMatching.assign(cost).orElseThrow();
  }

  @Test
  void aClassicThreeByThree() {
    double[][] cost = {
        {4, 1, 3},
        {2, 0, 5},
        {3, 2, 2}};
    // The 6 permutations (column of row 0, 1, 2): 012: 4+0+2=6, 021: 4+5+2=11, 102: 1+2+2=5, 120: 1+5+3=9, 201: 3+2+2=7, 210: 3+0+3=6.
    assertThat(assign(cost)).containsExactly(1, 0, 2);
    assertThat(OptimalMatching.totalCost(cost, assign(cost))).isEqualTo(5);
  }

  @Test
  void aFourByFourWhereTheCheapestEntriesDoNotFormTheOptimum() {
    // Row minima are all in column 0; the optimum must spread out.
    double[][] cost = {
        {1, 10, 10, 10},
        {2, 3, 10, 10},
        {3, 10, 4, 10},
        {4, 10, 10, 5}};
    // Every permutation but the identity puts some row on a 10 (rows 1-3 save at most 3 by taking
    // column 0, row 0 then pays 10 instead of 1). Optimum 1+3+4+5 = 13, unique.
    assertThat(assign(cost)).containsExactly(0, 1, 2, 3);
    assertThat(OptimalMatching.totalCost(cost, assign(cost))).isEqualTo(13);
  }

  @Test
  void rectangularLeavesTheWorstColumnsOver() {
    double[][] cost = {
        {7, 3, 9, 1, 8},
        {6, 2, 9, 1, 8}};
    // Both rows like column 3 best (1); the next best is column 1 for both (3 vs 2): the row that
    // loses least by moving is row 1 (2 - 1 = 1 vs row 0's 3 - 1 = 2). Total 1 + 2 = 3.
    assertThat(assign(cost)).containsExactly(3, 1);
    // One row, many columns: the row minimum, the lowest index on a tie.
    assertThat(assign(new double[][] {{5, 2, 9, 2}})).containsExactly(1);
  }

  @Test
  void negativeCostsAreFine() {
    double[][] cost = {{-5, -1}, {-4, -3}};
    // -5 + -3 = -8 beats -1 + -4 = -5.
    assertThat(assign(cost)).containsExactly(0, 1);
  }

  @Test
  void forbiddenPairsAreAvoidedEvenWhenThatIsDear() {
    double[][] cost = {
        {1, INF, 100},
        {INF, 1, INF},
        {1, 1, INF}};
    // Row 1 must take column 1, row 2 then column 0, row 0 column 2.
    assertThat(assign(cost)).containsExactly(2, 1, 0);
    assertThat(OptimalMatching.totalCost(cost, assign(cost))).isEqualTo(102);
  }

  @Test
  void noFiniteAssignmentGivesEmpty() {
    // Both rows can only use column 0.
    assertThat(OptimalMatching.assign(new double[][] {{1, INF}, {2, INF}})).isEmpty();
    // Hall's condition fails for rows {0, 1, 2} over columns {0, 1}, though every row has a finite pair.
    assertThat(OptimalMatching.assign(new double[][] {
        {1, 2, INF, INF},
        {3, 1, INF, INF},
        {2, 2, INF, INF},
        {1, 1, 1, 1}})).isEmpty();
    assertThat(OptimalMatching.assign(new double[][] {{INF, INF, INF}})).isEmpty();
  }

  @Test
  void tiesAreBrokenByTheDocumentedRule() {
    // All equal: the identity (each row, in order, takes the lowest free column).
    double[][] flat = new double[5][7];
    assertThat(assign(flat)).containsExactly(0, 1, 2, 3, 4);
    // Two optimal assignments of cost 2 ({0->0, 1->1} and {0->1, 1->0}): row 0 takes the lowest
    // column, row 1 then the free one.
    assertThat(assign(new double[][] {{1, 1}, {1, 1}})).containsExactly(0, 1);
    // Same matrix, same answer, every time.
    SplittableRandom r = new SplittableRandom(3);
    double[][] ties = new double[6][8];
    for (double[] row : ties) for (int j = 0; j < row.length; j++) row[j] = r.nextInt(3);
    int[] first = assign(ties);
    for (int i = 0; i < 5; i++) assertThat(assign(ties)).containsExactly(first);
  }

  @Test
  void edgeShapes() {
    assertThat(OptimalMatching.assign(new double[0][])).hasValueSatisfying(a -> assertThat(a).isEmpty());
    assertThat(assign(new double[][] {{42}})).containsExactly(0);
  }

  @Test
  void badInputIsRejected() {
    assertThatThrownBy(() -> OptimalMatching.assign(new double[][] {{1}, {2}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows >");
    assertThatThrownBy(() -> OptimalMatching.assign(new double[][] {{1, 2}, {3}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
    assertThatThrownBy(() -> OptimalMatching.assign(new double[][] {{1, Double.NaN}}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OptimalMatching.assign(new double[][] {{1, Double.NEGATIVE_INFINITY}}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Random matrices up to 7 x 9 (seeded): real-valued, small integers (many ties), and with about a
   * quarter of the pairs forbidden; the result is a valid assignment whose cost equals the brute-force
   * optimum, and it is empty exactly when brute force finds no finite assignment.
   */
  @Test
  void matchesBruteForceOnRandomMatrices() {
    SplittableRandom r = new SplittableRandom(20_261_205L);
    int infeasible = 0;
    for (int trial = 0; trial < 600; trial++) {
      int rows = 1 + r.nextInt(7);
      int cols = rows + r.nextInt(10 - rows);
      if (trial < 8) {
        rows = 7;
        cols = 9; // the largest size a few times for sure
      }
      int kind = trial % 3;
      double[][] cost = new double[rows][cols];
      for (double[] row : cost) {
        for (int j = 0; j < cols; j++) {
          row[j] = switch (kind) {
            case 0 -> r.nextDouble(-50, 50);
            case 1 -> r.nextInt(4);
            default -> r.nextInt(4) == 0 ? INF : r.nextDouble(0, 10);
          };
        }
      }
      double best = bruteForce(cost, 0, new boolean[cols]);
      Optional<int[]> got = OptimalMatching.assign(cost);
      if (best == INF) {
        infeasible++;
        assertThat(got).as("trial %d", trial).isEmpty();
        continue;
      }
      int[] a = got.orElseThrow(() -> new AssertionError("empty, but brute force found " + best));
      assertThat(a).hasSize(rows);
      assertThat(java.util.Arrays.stream(a).distinct().count()).isEqualTo(rows);
      for (int c : a) assertThat(c).isBetween(0, cols - 1);
      assertThat(OptimalMatching.totalCost(cost, a)).as("trial %d", trial).isCloseTo(best, within(1e-9));
    }
    assertThat(infeasible).as("some random forbidden patterns have no assignment").isPositive();
  }

  private static double bruteForce(double[][] cost, int row, boolean[] used) {
    if (row == cost.length) return 0;
    double best = INF;
    for (int j = 0; j < used.length; j++) {
      if (used[j] || cost[row][j] == INF) continue;
      used[j] = true;
      best = Math.min(best, cost[row][j] + bruteForce(cost, row + 1, used));
      used[j] = false;
    }
    return best;
  }
}
