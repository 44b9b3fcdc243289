package io.segmenter.clv;

import java.util.SplittableRandom;

/**
 * The slot rule of a seeded, deterministic reservoir sample (Vitter's algorithm R; Vitter, "Random
 * sampling with a reservoir", ACM TOMS 11(1), 1985). Offered the i-th item of a stream (counting
 * from 0) once the reservoir is full, algorithm R draws j uniformly from [0, i] and, when j is below
 * the capacity, puts the item in slot j. Here j is a pure function of (seed, i) rather than the next
 * output of one generator, so that the sample does not depend on a generator's state: a reservoir
 * rebuilt by offering the same items in the same order, or restored from its slots and its count,
 * continues exactly where the original stopped. Every reservoir in the service (the aggregator's
 * customer summaries, each task's mini-batch sample) uses this one rule.
 *
 * <p>Uniformity needs the j of different i to behave as independent draws: they come from distinct
 * SplittableRandom seeds, whose first outputs go through a 64-bit finaliser, which is ample for this
 * (an adversary who knows the seed could of course order a stream against it).
 */
public final class ReservoirSlots {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private ReservoirSlots() { }

  /**
   * The slot algorithm R draws for the i-th item: uniform in [0, i]. The item is kept, in that slot,
   * when the result is below the reservoir's capacity.
   *
   * @param i index of the item in its stream, from 0
   */
  public static long slot(long seed, long i) {
    if (i < 0) throw new IllegalArgumentException("item index must be >= 0: " + i);
    return new SplittableRandom(seed ^ (i * GOLDEN_GAMMA)).nextLong(i + 1);
  }
}
