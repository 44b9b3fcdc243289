package io.segmenter.bench;

import io.segmenter.clv.BgNbd;
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
 * published CDNOW parameters (in days). Two populations of random summaries: "all ages" (one-time
 * buyers to very frequent ones, x up to 1,000, ages up to 1,000 days) and "young" (first purchase at
 * most 90 days ago, x up to 20, like ThroughputBenchmark's input): young customers have the
 * slowest series (z = t / (alpha + T + t) close to 1 for the one-year horizon).
 *
 * <p>Baseline in the same run: the same curve as 13 separate expectations, one series each (what
 * {@code Predictor} did before it shared the series' coefficients across the horizons).
 *
 * <p>Usage: {@code ScoringBenchmark [customers] [rounds]}; prints the best and median ns per customer
 * over the rounds (the first ones warm the JIT up). Compare with the topology's CPU cost per event
 * that ThroughputBenchmark prints: scoring runs once per evaluated customer with orders.
 */
public final class ScoringBenchmark {
  private ScoringBenchmark() { }

  public static void main(String[] args) {
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    ClvModel model = new ClvModel(new BgNbdParameters(0.243, 4.414, 0.793, 2.426).withTimeUnitDividedBy(7),
        new GammaGammaParameters(6.25, 3.74, 15.44), ClvModel.Source.FILE, 0, Double.NaN, 0, 1, 100, 20);
    Predictor predictor = new Predictor(model, ClvSettings.defaults());
    BgNbd frequency = BgNbd.of(model.frequency());
    for (boolean young : new boolean[] {false, true}) {
      List<CustomerSummary> sample = sample(customers, young);
      String population = young ? "young (T <= 90 d, x <= 20)" : "all ages (T <= 1000 d, x <= 1000)";
      report("scoring, " + population, rounds, customers, () -> {
        double sink = 0;
        for (CustomerSummary s : sample) {
          Prediction p = predictor.score(s);
          sink += p.pAlive() + p.clv() + p.expectedPurchases90d();
        }
        return sink;
      });
      report("baseline, 13 separate expectations, " + population, rounds, customers, () -> {
        double sink = 0;
        for (CustomerSummary s : sample) {
          sink += frequency.probabilityAlive(s.x(), s.tx(), s.T());
          for (int i = 1; i <= 13; i++) sink += frequency.expectedPurchases(s.x(), s.tx(), s.T(), Math.min(30 * i, 365));
        }
        return sink;
      });
    }
  }

  private static List<CustomerSummary> sample(int customers, boolean young) {
    SplittableRandom random = new SplittableRandom(42);
    List<CustomerSummary> sample = new ArrayList<>(customers);
    for (int i = 0; i < customers; i++) {
      double age = random.nextDouble(0.01, young ? 90 : 1_000);
      long x = young ? random.nextLong(0, 21) : random.nextInt(10) == 0 ? random.nextLong(0, 1_001) : random.nextLong(0, 20);
      double tx = x == 0 ? 0 : random.nextDouble(0, age);
      sample.add(new CustomerSummary(x, tx, age, x == 0 ? 0 : random.nextDouble(1, 200)));
    }
    return sample;
  }

  private static void report(String what, int rounds, int customers, java.util.function.DoubleSupplier round) {
    double[] perCustomer = new double[rounds];
    double sink = 0;
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      sink += round.getAsDouble();
      perCustomer[r] = (System.nanoTime() - start) / (double) customers;
    }
    double[] sorted = perCustomer.clone();
    java.util.Arrays.sort(sorted);
    System.out.printf("%s: best %.2f us, median %.2f us per customer (%d customers, %d rounds; checksum %.3e)%n",
        what, sorted[0] / 1000, sorted[rounds / 2] / 1000, customers, rounds, sink);
  }
}
