package io.segmenter.clv;

/**
 * Gamma-Gamma spend parameters: a purchase's value is Gamma(p, nu) given the customer, and nu is
 * Gamma(q, gamma) across customers. The mean spend of the population is p * gamma / (q - 1), finite
 * only for q &gt; 1. Independent of the time unit.
 */
public record GammaGammaParameters(double p, double q, double gamma) {
  public GammaGammaParameters {
    BgNbdParameters.positive("p", p);
    BgNbdParameters.positive("q", q);
    BgNbdParameters.positive("gamma", gamma);
  }
}
