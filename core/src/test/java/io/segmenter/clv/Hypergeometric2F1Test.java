package io.segmenter.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Hypergeometric2F1Test {
  @Test
  void closedFormsHold() {
    for (double z : new double[] {0, 0.1, 0.5, 0.9, 0.99}) {
      // 2F1(1, 1; 2; z) = -ln(1-z)/z
      double log = z == 0 ? 1 : -Math.log1p(-z) / z;
      assertEquals(log, Hypergeometric2F1.value(1, 1, 2, z), 1e-10 * log);
      // 2F1(a, b; b; z) = (1-z)^-a
      double power = Math.pow(1 - z, -0.7);
      assertEquals(power, Hypergeometric2F1.value(0.7, 2.3, 2.3, z), 1e-10 * power);
      // 2F1(1/2, 1; 3/2; z^2) = artanh(z)/z
      double atanh = z == 0 ? 1 : 0.5 * Math.log((1 + z) / (1 - z)) / z;
      assertEquals(atanh, Hypergeometric2F1.value(0.5, 1, 1.5, z * z), 1e-10 * atanh);
    }
  }

  @Test
  void parametersOfTheTransformedBgNbdSeriesConverge() {
    // a+b-r-1, a-1 small, c = a+b+x-1 large (x = 1000): a handful of terms, close to 1.
    double v = Hypergeometric2F1.value(2.976, -0.207, 1002.219, 0.9);
    assertEquals(1, v, 1e-3);
    // A negative integer parameter ends the series: a polynomial.
    assertEquals(1 - 0.5 / 3 * 0.4, Hypergeometric2F1.value(-1, 0.5, 3, 0.4), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric2F1.value(1, 1, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric2F1.value(1, 1, -2, 0.5));
  }

  @Test
  void severalArgumentsAtOnceGiveTheSameSumsAsOneAtATime() {
    double[][] parameters = {{0.7, 2.3, 2.3}, {0.5, 1, 1.5}, {2.976, -0.207, 1.219}, {2.976, -0.207, 1002.219}, {-1, 0.5, 3}};
    double[] z = {0, 1e-9, 0.1, 0.5, 0.9, 0.99, 0.9999};
    for (double[] p : parameters) {
      double[] out = new double[z.length];
      Hypergeometric2F1.values(p[0], p[1], p[2], z, out);
      for (int i = 0; i < z.length; i++) {
        double one = Hypergeometric2F1.value(p[0], p[1], p[2], z[i]);
        assertEquals(one, out[i], 1e-13 * Math.abs(one), java.util.Arrays.toString(p) + " at z = " + z[i]);
      }
      // Decreasing arguments (no argument can leave the loop early) give the same sums.
      double[] reversed = new double[z.length];
      double[] outReversed = new double[z.length];
      for (int i = 0; i < z.length; i++) reversed[i] = z[z.length - 1 - i];
      Hypergeometric2F1.values(p[0], p[1], p[2], reversed, outReversed);
      for (int i = 0; i < z.length; i++) {
        assertEquals(out[z.length - 1 - i], outReversed[i], 1e-13 * Math.abs(out[z.length - 1 - i]));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric2F1.values(1, 1, 2, new double[] {0.5, 1}, new double[2]));
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric2F1.values(1, 1, -2, new double[] {0.5}, new double[1]));
  }
}
