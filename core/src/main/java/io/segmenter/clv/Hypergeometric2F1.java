package io.segmenter.clv;

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and 0 &lt;= z &lt; 1, by its
 * power series. The BG/NBD expectations call it only through {@link BgNbd}, after Euler's
 * transformation (1-z)^A 2F1(A, B; C; z) = (1-z)^(C-B) 2F1(C-A, C-B; C; z): with A = r + x and
 * C = a + b + x - 1 the transformed series has parameters that do not grow with x while C does, so
 * its terms shrink at once even for x = 1000 (the untransformed one would first grow like a
 * thousandth power and overflow). Its terms decay like z^n n^(a-r-2-x): a few dozen terms for the
 * usual z, a few thousand at most for z very close to 1 (a long horizon for a customer far younger
 * than alpha), with a hard cap instead of an endless loop.
 */
public final class Hypergeometric2F1 {
  /** Term cap: beyond it the series is cut with the error of the last term (z &gt;= 0.9999 only). */
  static final int MAX_TERMS = 100_000;
  private static final double EPSILON = 1e-15;
  /** Terms summed between two convergence tests in {@link #values}. */
  private static final int CHECK_EVERY = 8;

  private Hypergeometric2F1() { }

  /**
   * @throws IllegalArgumentException for z outside [0, 1) or c a non-positive integer
   */
  public static double value(double a, double b, double c, double z) {
    checkArgument(z);
    checkParameters(c);
    double sum = 1;
    double term = 1;
    for (int n = 0; n < MAX_TERMS; n++) {
      term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
      sum += term;
      if (term == 0 || Math.abs(term) <= EPSILON * Math.abs(sum) && n > 2) break;
    }
    return sum;
  }

  /**
   * 2F1(a, b; c; z[i]) for several arguments of one parameter set, into {@code out[i]}: the series'
   * coefficients depend on the parameters only, so they are computed once (one division per term)
   * for all the arguments, instead of once per argument. This is what makes a customer's whole
   * expected-purchases curve (13 points) cost a fraction of 13 series. Each sum stops with the
   * criterion of {@link #value}, tested every few terms (arguments in any order give the same sums to
   * rounding; increasing order is the fastest).
   *
   * @throws IllegalArgumentException for an argument outside [0, 1) or c a non-positive integer
   */
  public static void values(double a, double b, double c, double[] z, double[] out) {
    checkParameters(c);
    int m = z.length;
    double[] power = new double[m];
    for (int i = 0; i < m; i++) {
      checkArgument(z[i]);
      power[i] = 1;
      out[i] = 1;
    }
    double coefficient = 1;
    // Blocks of CHECK_EVERY terms without a convergence test, then the test: at most a few terms more
    // than needed. An argument leaves the loop once it and the ones before it have converged; a
    // curve's arguments come in increasing order, which is also the order they converge in (the
    // smallest z first), so the long tail of the series is summed for the slowest ones only.
    int first = 0;
    for (int n = 0; n < MAX_TERMS && first < m; ) {
      for (int end = n + CHECK_EVERY; n < end; n++) {
        coefficient *= (a + n) * (b + n) / ((c + n) * (n + 1));
        for (int i = first; i < m; i++) {
          power[i] *= z[i];
          out[i] += coefficient * power[i];
        }
      }
      if (coefficient == 0) break;
      while (first < m) {
        double term = coefficient * power[first];
        if (term != 0 && Math.abs(term) > EPSILON * Math.abs(out[first])) break;
        first++;
      }
    }
  }

  private static void checkParameters(double c) {
    if (c <= 0 && c == Math.rint(c)) throw new IllegalArgumentException("c must not be a non-positive integer: " + c);
  }

  private static void checkArgument(double z) {
    if (!(z >= 0 && z < 1)) throw new IllegalArgumentException("z must be in [0, 1): " + z);
  }
}
