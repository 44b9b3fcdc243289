package io.segmenter.model;

/** A dead centre replaced by a fresh one, reported so the topology can emit an event. */
public record Reseed(int deadId, int newId, long version) { }
