package io.segmenter.evaluation;

import io.segmenter.model.Assignment;

/**
 * A customer as a reader sees them at one moment (see {@link CustomerEvaluator#assess}).
 *
 * @param raw the feature vector (log-transformed where {@code Features} says so)
 * @param standardised the vector in the model's space, or null without a model
 * @param distanceToSegment distance to the centre of the segment the customer holds (NaN: none)
 * @param nearest the plain nearest centre now, or null without a model
 * @param scored the predictive scores now, and the segment the rules give now; null when not scored
 */
public record Assessment(double[] raw, double[] standardised, double distanceToSegment, Assignment nearest,
    Scored scored) { }
