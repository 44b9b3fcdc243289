package io.segmenter.topology;

import io.segmenter.model.ModelSnapshot;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The newest model version this instance knows, shared by its global-store processor (writer) and
 * its stream tasks (readers), so that a task does not decode the model from the store per record.
 * One holder per topology instance, never static: two instances in one JVM stay independent.
 */
public final class ModelHolder {
  private final AtomicReference<ModelSnapshot> current = new AtomicReference<>();

  /** The newest model, or null before the first version exists. */
  public ModelSnapshot current() {
    return current.get();
  }

  /** Keeps {@code candidate} if it is newer than what is held (versions only move forward). */
  public void offer(ModelSnapshot candidate) {
    current.accumulateAndGet(candidate, (held, offered) ->
        held == null || offered.version() > held.version() ? offered : held);
  }
}
