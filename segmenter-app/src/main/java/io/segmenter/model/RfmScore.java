package io.segmenter.model;

/** Recency, frequency and monetary quintile scores, each 1..5 where 5 is best. */
public record RfmScore(int r, int f, int m) {

  public RfmScore {
    requireScore("r", r);
    requireScore("f", f);
    requireScore("m", m);
  }

  /**
   * round((f + m) / 2) with halves rounded up: the combined frequency-monetary score the rule table
   * uses. Integer arithmetic, so there is no floating-point tie to get wrong.
   */
  public int fm() {
    return (f + m + 1) / 2;
  }

  private static void requireScore(String name, int value) {
    if (value < 1 || value > 5) {
      throw new IllegalArgumentException(name + " must be in 1..5: " + value);
    }
  }
}
