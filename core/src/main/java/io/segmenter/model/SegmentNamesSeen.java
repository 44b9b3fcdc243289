package io.segmenter.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last name each segment id had in the model versions one instance has taken in, so that a
 * segment the newest version no longer has (merged, re-seeded away, dropped by a refresh) is still
 * called by the name its customers had it under: "Loyal (retired)" in the flows and in a customer's
 * history, rather than a bare id. Centre ids are never reused, so an id's last name is its name.
 *
 * <p>In memory, one per instance, bounded ({@link #CAPACITY} ids, the least recently named dropped
 * first): an instance that restarted knows only the names from the version it started with on, and
 * calls older ids "segment N (retired)". Thread-safe (written when a version arrives, read by HTTP).
 */
public final class SegmentNamesSeen {
  public static final int CAPACITY = 4096;

  private final Map<Integer, String> lastName = new LinkedHashMap<>();

  /** Remembers the names of {@code model}'s centres, and those its version retired or merged away. */
  public synchronized void add(ModelSnapshot model) {
    for (SegmentEvent e : model.notes().events()) {
      if (e.fromName() != null && model.kmeans().centre(e.centreId()) == null) remember(e.centreId(), e.fromName());
    }
    for (Centre c : model.kmeans().centres()) remember(c.id(), model.name(c.id()));
  }

  /**
   * The name of segment {@code id} for a reader of the newest version {@code current}: its name there,
   * else its last name seen followed by " (retired)", else "segment {id} (retired)".
   */
  public String name(ModelSnapshot current, int id) {
    if (current != null && current.kmeans().centre(id) != null) return current.name(id);
    String last;
    synchronized (this) {
      last = lastName.get(id);
    }
    return (last != null ? last : "segment " + id) + " (retired)";
  }

  private void remember(int id, String name) {
    lastName.remove(id); // re-inserted last: the most recently named are kept longest
    lastName.put(id, name);
    if (lastName.size() > CAPACITY) lastName.remove(lastName.keySet().iterator().next());
  }
}
