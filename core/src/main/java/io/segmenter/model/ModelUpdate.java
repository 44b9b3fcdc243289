package io.segmenter.model;

import java.util.List;

/** Result of applying a mini-batch: the new model and the re-seeds it performed. */
public record ModelUpdate(KMeansModel model, List<Reseed> reseeds) {
  public ModelUpdate {
    reseeds = List.copyOf(reseeds);
  }
}
