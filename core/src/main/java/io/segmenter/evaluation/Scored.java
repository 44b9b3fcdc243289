package io.segmenter.evaluation;

import io.segmenter.clv.ClvModel;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.Prediction;
import io.segmenter.clv.PredictiveSegment;

/** A customer's predictive scores at one moment, and the predictive segment they give. */
public record Scored(CustomerSummary summary, Prediction prediction, PredictiveSegment segment, ClvModel parameters) { }
