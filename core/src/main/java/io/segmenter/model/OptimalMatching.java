package io.segmenter.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * Minimum-cost assignment (the linear assignment problem) by the Hungarian method of Kuhn (1955)
 * and Munkres (1957), in its O(rows^2 * cols) shortest-augmenting-path form with row and column
 * potentials (Burkard, Dell'Amico and Martello, "Assignment Problems", 2009, chapter 4): rows are
 * added one at a time, each by the cheapest augmenting path of reduced costs (Dijkstra on
 * non-negative reduced costs); the potentials keep every reduced cost non-negative and every
 * matched pair's at zero, which proves each intermediate matching optimal for the rows it covers.
 *
 * <p>Input: a rectangular matrix {@code cost[row][col]} with {@code rows <= cols}. Every row gets a
 * distinct column; columns may be left over. {@code +Infinity} marks a forbidden pair. Other
 * non-finite entries (NaN, -Infinity) are rejected.
 *
 * <p><b>No finite assignment.</b> When the finite pairs admit no assignment of every row to a
 * distinct column, the result is empty (not an exception): that is a property of the data, not a
 * programming error. It is detected exactly, without a "big M" stand-in for infinity: a row that
 * cannot be reached by an augmenting path through finite pairs proves, by Berge's theorem, that no
 * matching of all rows so far exists.
 *
 * <p><b>Determinism and ties.</b> The result is a pure function of the matrix (no randomness, no hash
 * order). Among several optimal assignments the one returned is fixed by the search order: rows are
 * added in index order; each takes a shortest augmenting path, and among equally short candidates
 * the search prefers a path that ends at once in a free column, then the lowest column index. A
 * matrix whose entries are all equal gives the identity ({@code row i -> column i}).
 * "Equally short" means equal floating-point reduced costs: assignments whose totals differ only by
 * rounding may be told apart by it.
 */
public final class OptimalMatching {
  private OptimalMatching() { }

  /**
   * @param cost {@code cost[row][col]}, {@code rows <= cols}, all rows of one length; {@code +Infinity}
   *     forbids a pair
   * @return {@code column[row]}: distinct columns minimising the summed cost; empty when no
   *     assignment avoids the forbidden pairs; an empty array for a matrix without rows
   * @throws IllegalArgumentException for ragged rows, more rows than columns, NaN or -Infinity
   */
  public static Optional<int[]> assign(double[][] cost) {
    int n = cost.length;
    if (n == 0) return Optional.of(new int[0]);
    int m = cost[0].length;
    for (int i = 0; i < n; i++) {
      if (cost[i].length != m) throw new IllegalArgumentException("row " + i + " has " + cost[i].length + " columns, row 0 has " + m);
      for (int j = 0; j < m; j++) {
        double c = cost[i][j];
        if (Double.isNaN(c) || c == Double.NEGATIVE_INFINITY) {
          throw new IllegalArgumentException("cost[" + i + "][" + j + "] = " + c + ": only finite costs and +Infinity are allowed");
        }
      }
    }
    if (n > m) throw new IllegalArgumentException(n + " rows > " + m + " columns: transpose the matrix");

    // 1-based in rows and columns; column 0 is the search's virtual root.
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] rowOfColumn = new int[m + 1]; // 0 = free
    int[] way = new int[m + 1];
    double[] minv = new double[m + 1];
    boolean[] used = new boolean[m + 1];
    for (int i = 1; i <= n; i++) {
      rowOfColumn[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = rowOfColumn[j0];
        double[] row = cost[i0 - 1];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = -1;
        for (int j = 1; j <= m; j++) {
          if (used[j]) continue;
          double cur = row[j - 1] - u[i0] - v[j];
          if (cur < minv[j]) {
            minv[j] = cur;
            way[j] = j0;
          }
          // Lowest reduced cost; on a tie a free column (the path ends there), then the lowest index.
          if (minv[j] < delta || (minv[j] == delta && j1 > 0 && rowOfColumn[j] == 0 && rowOfColumn[j1] != 0)) {
            delta = minv[j];
            j1 = j;
          }
        }
        if (delta == Double.POSITIVE_INFINITY) return Optional.empty(); // row i unreachable via finite pairs
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[rowOfColumn[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (rowOfColumn[j0] != 0);
      do { // flip the augmenting path
        int j1 = way[j0];
        rowOfColumn[j0] = rowOfColumn[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] columnOfRow = new int[n];
    for (int j = 1; j <= m; j++) if (rowOfColumn[j] != 0) columnOfRow[rowOfColumn[j] - 1] = j - 1;
    return Optional.of(columnOfRow);
  }

  /** Summed cost of an assignment {@code column[row]} ({@code +Infinity} if it uses a forbidden pair). */
  public static double totalCost(double[][] cost, int[] columnOfRow) {
    double total = 0;
    for (int i = 0; i < columnOfRow.length; i++) total += cost[i][columnOfRow[i]];
    return total;
  }
}
