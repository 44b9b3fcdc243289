package io.segmenter.bench;

import io.segmenter.clv.BgNbdParameters;
import io.segmenter.clv.ClvModel;
import io.segmenter.clv.ClvSettings;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.GammaGammaParameters;
import io.segmenter.clv.Prediction;
import io.segmenter.clv.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Cost of scoring one customer as the topology does at every evaluation: P(alive), expected
 * purchases in 30 and 90 days and over the CLV horizon (13 points of the cumulative curve with the
 * default 365 days), expected spend and the discounted CLV, with the default settings and the
 * published CDNOW parameters (in days). The customers are random summaries from one-time buyers to
 * very frequent ones (x up to 1,000), young and old.
 *
 * <p>Usage: {@code ScoringBenchmark [customers] [rounds]}; prints ns per customer for each round
 * (the first ones warm the JIT up) and the best and median. Compare with the topology's CPU cost per
 * event that ThroughputBenchmark prints: scoring runs once per evaluated customer with orders.
 */
public final class ScoringBenchmark {
  private ScoringBenchmark() { }

  public static void main(String[] args) {
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    ClvModel model = new ClvModel(new BgNbdParameters(0.243, 4.414, 0.793, 2.426).withTimeUnitDividedBy(7),
        new GammaGammaParameters(6.25, 3.74, 15.44), ClvModel.Source.FILE, 0, Double.NaN, 0, 1, 100, 20);
    Predictor predictor = new Predictor(model, ClvSettings.defaults());
    SplittableRandom random = new SplittableRandom(42);
    List<CustomerSummary> sample = new ArrayList<>(customers);
    for (int i = 0; i < customers; i++) {
      double age = random.nextDouble(0.01, 1_000);
      long x = random.nextInt(10) == 0 ? random.nextLong(0, 1_001) : random.nextLong(0, 20);
      double tx = x == 0 ? 0 : random.nextDouble(0, age);
      sample.add(new CustomerSummary(x, tx, age, x == 0 ? 0 : random.nextDouble(1, 200)));
    }
    double[] perCustomer = new double[rounds];
    double sink = 0;
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      for (CustomerSummary s : sample) {
        Prediction p = predictor.score(s);
        sink += p.pAlive() + p.clv() + p.expectedPurchases90d();
      }
      perCustomer[r] = (System.nanoTime() - start) / (double) customers;
      System.out.printf("round %2d: %.0f ns per customer%n", r + 1, perCustomer[r]);
    }
    double[] sorted = perCustomer.clone();
    java.util.Arrays.sort(sorted);
    System.out.printf("scoring (P(alive) + expected purchases 30/90 d + CLV 365 d): best %.2f us, median %.2f us per customer"
        + " (%d customers, %d rounds; checksum %.3e)%n", sorted[0] / 1000, sorted[rounds / 2] / 1000, customers, rounds, sink);
  }
}
