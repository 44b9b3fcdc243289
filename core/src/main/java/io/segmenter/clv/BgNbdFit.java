package io.segmenter.clv;

/**
 * A maximum-likelihood fit of BG/NBD.
 *
 * @param logLikelihood the summed log-likelihood at the parameters
 * @param evaluations likelihood evaluations the optimiser needed
 * @param customers summaries fitted
 */
public record BgNbdFit(BgNbdParameters parameters, double logLikelihood, int evaluations, long customers) { }
