package io.segmenter.bench;

import io.segmenter.privacy.Pseudonymiser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Cost of pseudonymising one customer id (HMAC-SHA256 with a 48-byte key, base64url, the "p1:"
 * prefix) as the topology does once per input record, against the identity (option off). Ids like
 * the generator's ("cust-000001") and, as a longer case, 36-character UUID strings.
 *
 * <p>Usage: {@code PseudonymiserBenchmark [ids] [rounds]}; prints the best and median thread-CPU
 * ns per id over the rounds (the first rounds warm the JIT up). Compare with the CPU per input
 * event that ThroughputBenchmark prints for segmenter (about 100 us on the shared 2-core machine).
 */
public final class PseudonymiserBenchmark {
  private PseudonymiserBenchmark() { }

  public static void main(String[] args) {
    int ids = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    byte[] key = new byte[48];
    new SecureRandom().nextBytes(key);
    Pseudonymiser hmac = Pseudonymiser.hmac(key);
    String[] shortIds = new String[ids];
    String[] uuids = new String[ids];
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    for (int i = 0; i < ids; i++) {
      shortIds[i] = "cust-" + String.format("%06d", i + 1);
      uuids[i] = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }
    report("pseudonymise, 11-character ids", rounds, shortIds, hmac);
    report("pseudonymise, 36-character UUID ids", rounds, uuids, hmac);
    report("identity (option off), 11-character ids", rounds, shortIds, Pseudonymiser.identity());
  }

  private static void report(String what, int rounds, String[] ids, Pseudonymiser p) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] perId = new double[rounds];
    long sink = 0;
    for (int r = 0; r < rounds; r++) {
      long start = threads.getCurrentThreadCpuTime();
      for (String id : ids) sink += p.pseudonymise(id).length();
      perId[r] = (threads.getCurrentThreadCpuTime() - start) / (double) ids.length;
    }
    double[] sorted = perId.clone();
    Arrays.sort(sorted);
    System.out.printf("%s: best %.0f ns, median %.0f ns thread CPU per id (%d ids, %d rounds; checksum %d)%n",
        what, sorted[0], sorted[rounds / 2], ids.length, rounds, sink);
  }
}
