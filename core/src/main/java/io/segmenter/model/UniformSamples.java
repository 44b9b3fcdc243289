package io.segmenter.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pure functions on uniform samples (every subset of the same size equally likely): a uniform subset
 * of a sample, and the uniform merge of two samples of disjoint populations. Randomness comes only
 * from the generator passed in, so callers make results reproducible by seeding it from what a replay
 * sees again (a seed, a delta's task and sequence, a point's index), never from the clock.
 */
final class UniformSamples {
  private UniformSamples() { }

  /**
   * A uniform random subset of {@code n} of the items (partial Fisher-Yates shuffle: the first n
   * positions of a uniformly shuffled copy), in the order drawn. All of them, in their order and
   * without using the generator, when n >= their number.
   */
  static <T> List<T> subset(List<T> items, int n, SplittableRandom random) {
    if (n < 0) throw new IllegalArgumentException("subset size must be >= 0: " + n);
    List<T> copy = new ArrayList<>(items);
    if (n >= copy.size()) return copy;
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(copy.size() - i);
      T t = copy.get(j);
      copy.set(j, copy.get(i));
      copy.set(i, t);
    }
    return new ArrayList<>(copy.subList(0, n));
  }

  /**
   * How many of {@code n} items drawn without replacement from a population of {@code a} "A" items
   * and {@code b} "B" items are A items (hypergeometric), by n sequential draws: each is an A with
   * probability remainingA / (remainingA + remainingB). O(n), which is fine for samples of thousands;
   * an inversion or ratio-of-uniforms sampler would be O(1) but is harder to read and check.
   *
   * @param n draws, at most a + b
   */
  static int hypergeometric(int n, long a, long b, SplittableRandom random) {
    if (n < 0 || a < 0 || b < 0 || n > a + b) {
      throw new IllegalArgumentException("need 0 <= n <= a + b, a, b >= 0: n=" + n + ", a=" + a + ", b=" + b);
    }
    long remainingA = a;
    long remainingB = b;
    int fromA = 0;
    for (int i = 0; i < n; i++) {
      // nextLong(bound) is exact for any bound, where nextDouble() * total would round for totals
      // beyond 2^53 (and it costs nothing more).
      if (random.nextLong(remainingA + remainingB) < remainingA) {
        fromA++;
        remainingA--;
      } else {
        remainingB--;
      }
    }
    return fromA;
  }

  /**
   * A uniform sample of at most {@code cap} points of the union of two disjoint populations, from a
   * uniform sample of each: sample A stands for {@code countA} points, sample B for {@code countB}.
   * How many merged points come from A is drawn hypergeometrically with the populations' counts (as
   * it would be in a uniform sample of the union), then that many are taken uniformly from each
   * sample. The result holds A's draws, then B's.
   *
   * <p>Exact when each sample holds at least what the draw asks of it, which is the case when each
   * holds min(cap, its count) points. A sample can hold fewer: the aggregator collapses a warm-up
   * sample of copies to one point of each (so that new points can enter), a mini-batch whose sample
   * cap grew can only keep what it had, and hand-built deltas may carry a sample without moments.
   * Then the short side gives all it has and the other side fills the rest, so the merged sample
   * keeps min(cap, |A| + |B|) points (the warm-up needs it to grow) at the price of over-representing
   * the fuller side for that merge. A count below its sample's size is raised to the size.
   */
  static <T> List<T> merge(List<T> sampleA, long countA, List<T> sampleB, long countB, int cap,
      SplittableRandom random) {
    if (cap < 0) throw new IllegalArgumentException("sample cap must be >= 0: " + cap);
    long a = Math.max(countA, sampleA.size());
    long b = Math.max(countB, sampleB.size());
    int n = (int) Math.min(cap, (long) sampleA.size() + sampleB.size());
    int fromA = Math.min(hypergeometric(n, a, b, random), sampleA.size());
    int fromB = Math.min(n - fromA, sampleB.size());
    fromA = n - fromB;
    List<T> out = subset(sampleA, fromA, random);
    out.addAll(subset(sampleB, fromB, random));
    return out;
  }

  /** A generator seed from several values (a finaliser per value, so that nearby inputs differ everywhere). */
  static long seed(long... parts) {
    long h = 0x2545F4914F6CDD1DL;
    for (long p : parts) h = mix64(h ^ mix64(p));
    return h;
  }

  /** Stafford's variant 13 of the MurmurHash3 64-bit finaliser (as in SplittableRandom). */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
