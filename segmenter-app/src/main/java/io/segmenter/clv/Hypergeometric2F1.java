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

  private Hypergeometric2F1() { }

  /**
   * @throws IllegalArgumentException for z outside [0, 1) or c a non-positive integer
   */
  public static double value(double a, double b, double c, double z) {
    if (!(z >= 0 && z < 1)) throw new IllegalArgumentException("z must be in [0, 1): " + z);
    if (c <= 0 && c == Math.rint(c)) throw new IllegalArgumentException("c must not be a non-positive integer: " + c);
    double sum = 1;
    double term = 1;
    for (int n = 0; n < MAX_TERMS; n++) {
      term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
      sum += term;
      if (term == 0 || Math.abs(term) <= EPSILON * Math.abs(sum) && n > 2) break;
    }
    return sum;
  }
}
