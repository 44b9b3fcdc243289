package io.segmenter.clv;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximises a log-likelihood over positive parameters with Commons Math's Nelder-Mead simplex, on
 * the logs of the parameters (so positivity needs no constraint), restarted from its own result
 * until a restart no longer improves: a simplex can stall on the long, curved ridges these
 * likelihoods have (r against alpha), and a fresh simplex walks on. Deterministic.
 */
final class MaximumLikelihood {
  private static final int MAX_EVALUATIONS = 20_000;
  private static final int MAX_RESTARTS = 8;

  /** The arg max and what it took. */
  record Result(double[] parameters, double logLikelihood, int evaluations) { }

  private MaximumLikelihood() { }

  /**
   * @param logLikelihood of the (positive) parameters; non-finite values count as impossible
   * @param start positive starting parameters
   */
  static Result maximise(ToDoubleFunction<double[]> logLikelihood, double[] start) {
    ObjectiveFunction negative = new ObjectiveFunction(logs -> {
      double[] params = new double[logs.length];
      for (int i = 0; i < logs.length; i++) params[i] = Math.exp(logs[i]);
      double ll = logLikelihood.applyAsDouble(params);
      return Double.isFinite(ll) ? -ll : Double.MAX_VALUE;
    });
    double[] point = new double[start.length];
    for (int i = 0; i < start.length; i++) point[i] = Math.log(start[i]);
    double best = Double.MAX_VALUE;
    int evaluations = 0;
    for (int restart = 0; restart < MAX_RESTARTS; restart++) {
      SimplexOptimizer optimizer = new SimplexOptimizer(new SimpleValueChecker(1e-13, 1e-13));
      PointValuePair found = optimizer.optimize(new MaxEval(MAX_EVALUATIONS), negative, GoalType.MINIMIZE,
          new InitialGuess(point), new NelderMeadSimplex(start.length, 0.5));
      evaluations += optimizer.getEvaluations();
      boolean improved = found.getValue() < best - 1e-9;
      if (found.getValue() < best) {
        best = found.getValue();
        point = found.getPoint();
      }
      if (!improved && restart > 0) break;
    }
    if (best == Double.MAX_VALUE) throw new IllegalStateException("no finite log-likelihood near the starting point");
    double[] params = new double[point.length];
    for (int i = 0; i < point.length; i++) params[i] = Math.exp(point[i]);
    return new Result(params, -best, evaluations);
  }
}
