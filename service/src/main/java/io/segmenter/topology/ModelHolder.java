package io.segmenter.topology;

import io.segmenter.model.ModelSnapshot;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The newest model version this instance knows, shared by its global-store processor (writer) and
 * its stream tasks (readers), so that a task does not decode the model from the store per record.
 * One holder per strategy and topology instance, never static: two instances in one JVM stay
 * independent. {@link #following} gives a read-only view of whichever holder is the champion's, so
 * that what reads "the model" (HTTP answers, metrics) follows a promotion.
 */
public final class ModelHolder {
  private final AtomicReference<ModelSnapshot> current = new AtomicReference<>();
  private final Supplier<ModelHolder> target;

  public ModelHolder() {
    this.target = null;
  }

  private ModelHolder(Supplier<ModelHolder> target) {
    this.target = target;
  }

  /** A view that reads (and offers to) the holder {@code target} gives at each call. */
  public static ModelHolder following(Supplier<ModelHolder> target) {
    return new ModelHolder(target);
  }

  /** The newest model, or null before the first version exists. */
  public ModelSnapshot current() {
    return target != null ? target.get().current() : current.get();
  }

  /**
   * Keeps {@code candidate} if it is newer than what is held (versions only move forward); a view
   * hands it to the holder it follows now.
   */
  public void offer(ModelSnapshot candidate) {
    if (target != null) {
      target.get().offer(candidate);
      return;
    }
    current.accumulateAndGet(candidate, (held, offered) ->
        held == null || offered.version() > held.version() ? offered : held);
  }
}
