package io.segmenter.generator;

import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Seeded synthetic customers with a known persona each, and their click and order streams.
 *
 * <p>Iteration yields every event of every customer in non-decreasing {@link
 * GeneratedEvent#occurredAtMs()} order, all in [start, end). It is lazy: a min-heap holds one entry
 * per customer (its next event), so memory is O(customers) whatever the span. Each iteration
 * starts afresh, and the same config always yields the same sequence: every random draw comes from a
 * {@link SplittableRandom} seeded from the config seed and the customer index, and ids are derived
 * from the customer index and per-customer counters.
 */
public final class SyntheticGenerator implements Iterable<GeneratedEvent> {
  private final GeneratorConfig config;
  private final Persona[] personas;
  private final Map<String, Persona> groundTruth;

  private SyntheticGenerator(GeneratorConfig config) {
    this.config = config;
    this.personas = drawPersonas(config);
    Map<String, Persona> truth = new LinkedHashMap<>();
    for (int i = 0; i < personas.length; i++) truth.put(Ids.customerId(i), personas[i]);
    this.groundTruth = Collections.unmodifiableMap(truth);
  }

  public static SyntheticGenerator create(GeneratorConfig config) {
    return new SyntheticGenerator(java.util.Objects.requireNonNull(config, "config"));
  }

  public GeneratorConfig config() {
    return config;
  }

  /** Persona of every customer, in customer order ("cust-000001" first). */
  public Map<String, Persona> groundTruth() {
    return groundTruth;
  }

  public Instant start() {
    return config.start();
  }

  /** End of the simulation, exclusive: no event occurs at or after it. */
  public Instant end() {
    return config.end();
  }

  @Override
  public Iterator<GeneratedEvent> iterator() {
    return new Merge();
  }

  /** The events as a sequential stream (same order as iteration). */
  public Stream<GeneratedEvent> stream() {
    return StreamSupport.stream(spliterator(), false);
  }

  /** Package-private for tests: the iterator, which exposes its queue size. */
  Merge merge() {
    return new Merge();
  }

  private static Persona[] drawPersonas(GeneratorConfig config) {
    Persona[] all = Persona.values();
    double[] cumulative = new double[all.length];
    double sum = 0;
    for (int i = 0; i < all.length; i++) {
      sum += config.mix().get(all[i]);
      cumulative[i] = sum;
    }
    SplittableRandom rng = new SplittableRandom(Ids.seed(config.seed(), -1, 0));
    Persona[] drawn = new Persona[config.customers()];
    for (int c = 0; c < drawn.length; c++) {
      double u = rng.nextDouble() * sum;
      int p = 0;
      // Skip zero-weight personas too: u < cumulative[p] can never hold for them.
      while (p < all.length - 1 && !(u < cumulative[p])) p++;
      drawn[c] = all[p];
    }
    return drawn;
  }

  /**
   * K-way merge of the customers' own time-ordered streams over a binary min-heap keyed by (next
   * time, customer index). Hand-rolled rather than a PriorityQueue: after each event the top
   * customer is sifted down once in place, instead of a poll plus an add, about twice as fast.
   */
  final class Merge implements Iterator<GeneratedEvent> {
    private final CustomerStream[] heap;
    private int size;

    private Merge() {
      heap = new CustomerStream[personas.length];
      for (int i = 0; i < personas.length; i++) {
        CustomerStream s = new CustomerStream(i, personas[i], config);
        if (s.nextTime != Long.MAX_VALUE) heap[size++] = s;
      }
      for (int i = size / 2 - 1; i >= 0; i--) siftDown(i);
    }

    @Override
    public boolean hasNext() {
      return size > 0;
    }

    @Override
    public GeneratedEvent next() {
      if (size == 0) throw new NoSuchElementException();
      CustomerStream top = heap[0];
      GeneratedEvent e = top.poll();
      if (top.nextTime == Long.MAX_VALUE) {
        heap[0] = heap[--size];
        heap[size] = null;
      }
      if (size > 0) siftDown(0);
      return e;
    }

    /** Customers still to emit: never more than one entry per customer. */
    int queueSize() {
      return size;
    }

    int capacity() {
      return heap.length;
    }

    private void siftDown(int i) {
      CustomerStream s = heap[i];
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && before(heap[child + 1], heap[child])) child++;
        if (!before(heap[child], s)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = s;
    }

    // Ties broken by customer index: equal times must come out in the same order every run.
    private static boolean before(CustomerStream a, CustomerStream b) {
      return a.nextTime < b.nextTime || (a.nextTime == b.nextTime && a.index < b.index);
    }
  }
}
