package io.segmenter.clv;

/**
 * A maximum-likelihood fit of Gamma-Gamma.
 *
 * @param customers repeat customers with spend that the fit used (x &gt; 0, mean spend &gt; 0)
 */
public record GammaGammaFit(GammaGammaParameters parameters, double logLikelihood, int evaluations, long customers) { }
