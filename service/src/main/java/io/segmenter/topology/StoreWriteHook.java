package io.segmenter.topology;

/**
 * Called by the store wrappers before each write (put or delete) to their store. Production runs
 * with {@link #NONE}; fault-injection tests pass one that throws at a chosen write, to prove that a
 * failure at any point of a step leaves nothing half-written (see docs/TOPOLOGY.md, "one step, all
 * or nothing"). One hook per instance, carried by {@link SegmenterRuntime}.
 */
@FunctionalInterface
public interface StoreWriteHook {
  StoreWriteHook NONE = (store, operation) -> { };

  /**
   * @param store the store about to be written ({@link SegmenterTopology}'s store names)
   * @param operation what the wrapper is about to do, e.g. "put", "delete", "book", "cancel"
   */
  void beforeWrite(String store, String operation);
}
