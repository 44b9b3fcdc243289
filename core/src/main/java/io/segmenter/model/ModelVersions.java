package io.segmenter.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last model versions one instance has taken in since it started, newest first, with how far
 * their centres moved from the version before: what the page's model panel shows of the model's
 * history. Bounded ({@link #CAPACITY}); kept in memory only, so a restarted instance starts empty.
 * Thread-safe (written when a version arrives, read by HTTP).
 */
public final class ModelVersions {
  public static final int CAPACITY = 100;

  /**
   * One version as this instance saw it arrive.
   *
   * @param createdAt event time of the newest delta merged into it (as {@link ModelSnapshot#createdAt})
   * @param maxDrift largest distance (standardised space) a centre moved since the previous version
   *     this instance saw; NaN for the first version it saw or when no centre survived
   * @param meanDrift the mean of those distances, NaN likewise
   * @param refresh whether this version re-chose k (a refresh: the centres may be new ones)
   */
  public record Entry(long version, long createdAt, int k, double maxDrift, double meanDrift, boolean refresh) { }

  private final Deque<Entry> newestFirst = new ArrayDeque<>();

  /** {@code next} arrived after {@code previous} (null for the first version this instance sees). */
  public static Entry entry(ModelSnapshot previous, ModelSnapshot next) {
    double max = Double.NaN;
    double sum = 0;
    int survivors = 0;
    if (previous != null) {
      for (Centre c : next.kmeans().centres()) {
        Centre old = previous.kmeans().centre(c.id());
        if (old == null) continue;
        double d = KMeansModel.distance(old.position(), c.position());
        max = survivors == 0 ? d : Math.max(max, d);
        sum += d;
        survivors++;
      }
    }
    ModelNotes.ClusterCount choice = next.notes().clusterCount();
    boolean refresh = choice != null && choice.chosenInVersion() == next.version();
    return new Entry(next.version(), next.createdAt(), next.kmeans().centres().size(), max,
        survivors == 0 ? Double.NaN : sum / survivors, refresh);
  }

  public synchronized void add(Entry e) {
    newestFirst.addFirst(e);
    while (newestFirst.size() > CAPACITY) newestFirst.removeLast();
  }

  /** The versions kept, newest first. */
  public synchronized List<Entry> newestFirst() {
    return new ArrayList<>(newestFirst);
  }
}
