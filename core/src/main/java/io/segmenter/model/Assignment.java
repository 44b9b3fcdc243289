package io.segmenter.model;

/** Nearest centre of a point; secondBestDistance is NaN when the model has a single centre. */
public record Assignment(int centreId, double distance, double secondBestDistance) { }
