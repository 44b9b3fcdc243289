package io.segmenter.topology;

import io.segmenter.evaluation.MemberLists;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many customers each segment holds in the tasks this instance runs now. Summed over the
 * instances (HTTP /segments, or Prometheus' sum()) it is the population of the segment.
 *
 * <p>Each segmenting task keeps its own counts ({@link Task}): built at the task's start from one
 * scan of its segment-members store, then moved by one on each change, and dropped when the task
 * closes (so a task that migrates to another instance is counted there, not here). Stream threads
 * write, HTTP and metrics threads read: every count is atomic, the set of live tasks concurrent. A
 * read during a rebalance may miss a task that is moving; it never counts one twice on one instance.
 */
public final class LocalPopulations {
  private final Set<Task> live = ConcurrentHashMap.newKeySet();

  /** Segment id to customers, over the tasks this instance runs; ids absent have none. */
  public Map<Integer, Long> snapshot() {
    Map<Integer, Long> out = new TreeMap<>();
    for (Task t : live) {
      t.counts.forEach((id, n) -> {
        if (MemberLists.isCentre(id)) out.merge(id, n.get(), Long::sum);
      });
    }
    out.values().removeIf(n -> n == 0);
    return Collections.unmodifiableMap(out);
  }

  /** Customers in segment {@code segmentId} over the tasks this instance runs. */
  public long population(int segmentId) {
    long sum = 0;
    for (Task t : live) {
      AtomicLong n = t.counts.get(segmentId);
      if (n != null) sum += n.get();
    }
    return sum;
  }

  /** Customers seen before the first model version and not assigned yet, in this instance's tasks. */
  public long unassigned() {
    return population(MemberLists.UNASSIGNED);
  }

  /** Customers in a predictive segment over the tasks this instance runs. */
  public long population(io.segmenter.clv.PredictiveSegment segment) {
    return population(MemberLists.predictive(segment));
  }

  /** Number of tasks counted now. */
  public int tasks() {
    return live.size();
  }

  /**
   * Starts counting a task with the counts found in its store; the task is visible to readers only
   * once they are all in.
   */
  Task open(Map<Integer, Long> initial) {
    Task t = new Task();
    initial.forEach((id, n) -> t.counts.put(id, new AtomicLong(n)));
    live.add(t);
    return t;
  }

  /** The counts of one task; written by its stream thread only. */
  final class Task {
    private final Map<Integer, AtomicLong> counts = new ConcurrentHashMap<>();

    /** A customer left {@code from} and joined {@code to} (negative: no list). */
    void move(int from, int to) {
      if (from >= 0) add(from, -1);
      if (to >= 0) add(to, 1);
    }

    void add(int segmentId, long delta) {
      AtomicLong n = counts.get(segmentId);
      if (n == null) n = counts.computeIfAbsent(segmentId, k -> new AtomicLong());
      n.addAndGet(delta);
    }

    /** The lists (segment ids, pseudo ids) that hold at least one of this task's customers. */
    java.util.Set<Integer> nonEmpty() {
      java.util.Set<Integer> out = new java.util.TreeSet<>();
      counts.forEach((id, n) -> {
        if (n.get() > 0) out.add(id);
      });
      return out;
    }

    /** The task closed or migrated: its customers are no longer this instance's. */
    void close() {
      live.remove(this);
    }
  }
}
