package io.segmenter.bench;

import io.segmenter.clv.ClvFitter;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.SummaryReservoir;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.evaluation.CustomerEvaluator;
import io.segmenter.evaluation.Decision;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import io.segmenter.model.CustomerKey;
import io.segmenter.model.CustomerPanel;
import io.segmenter.model.Features;
import io.segmenter.model.MiniBatchAccumulator;
import io.segmenter.model.ModelAggregator;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.PanelPoint;
import io.segmenter.model.TaskDelta;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.topology.InternalCodec;
import io.segmenter.topology.ModelCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the single model aggregator can take: deltas merged per second, time per model version,
 * bytes per delta, and from those the largest deployment one aggregator serves before it lags.
 * Not JMH: a plain {@code main} that prints best and median over several rounds, so that a loaded
 * machine shows as a spread rather than as one misleading figure.
 *
 * <p><b>Realistic deltas.</b> The training points are the ones the service would produce: the
 * synthetic generator's customers (the same as {@code ThroughputBenchmark}'s) run through the pure
 * {@link CustomerEvaluator} at the default settings, which keeps at most one point per customer per
 * {@code segmenter.model.sample.interval.ms}, with the re-evaluations of quiet customers that the
 * inactivity punctuator makes (approximated: once per re-check interval), which also give the
 * repeat-purchase summaries. Tasks build deltas as {@code MiniBatchBuffer} does, with a
 * {@link MiniBatchAccumulator}: {@code segmenter.model.delta.points} (500) points each, the centre a
 * point was assigned to (nearest centre of the newest version, as a task with a fresh model would),
 * the sample cap of the time (warm-up, then the refresh sample), the customer's panel key, and up to
 * {@code segmenter.clv.summaries.per.delta} summaries. Tasks take turns, so the aggregator sees the
 * interleaving of a real topic. When the stream needs more points than the harvest gave, the harvest
 * is used again (same customers, later points). Point times are re-stamped one second apart (see
 * {@link #POINT_SPACING_MS}), so that versions are cut by the batch size, as in a loaded deployment.
 *
 * <p><b>What one delta costs</b> is measured as {@code ModelAggregatorProcessor.process} spends it,
 * with the store and Kafka taken away: decode the delta's bytes (InternalCodec + ModelCodec), merge
 * it ({@link ModelAggregator#accept}, which also cuts a version when one is due), encode the pending
 * deltas as the processor writes them to its store on every delta, encode the panel entries and
 * reservoir slots that changed, and, when a version is cut, encode it. <b>Not included</b>: the
 * RocksDB puts and their changelog sends, the consumer fetch, the transaction commit, the catalog
 * entries of a version, and {@code InternalRecordCheck}'s range checks (a loop over the decoded
 * numbers). Their bytes are printed instead, since they load the broker rather than the thread.
 *
 * <p>Usage: {@code AggregatorBenchmark [customers] [days] [deltas] [rounds] [smallPoints]}; settings
 * {@code -Dsegmenter.model.*=...} and {@code -Dsegmenter.clv.*=...} override the defaults.
 */
public final class AggregatorBenchmark {
  private static final int TASKS = 4;
  /**
   * Event time between two training points of the stream. The harvest's own times come from a few
   * thousand customers, whose 2,000 points span more than the 6-hour max interval, so every delta
   * would cut a version; a deployment that loads its aggregator has many more customers and cuts
   * versions by the batch size. The points keep their features; their times are re-stamped on this
   * clock (2,000 points in 33 minutes of event time), in the harvest's order.
   */
  private static final long POINT_SPACING_MS = 1000;
  /** How often (stream time) the harvest looks for customers due a re-evaluation, as the punctuator does. */
  private static final long SWEEP_MS = Duration.ofHours(1).toMillis();

  private AggregatorBenchmark() { }

  /** A training point as the segmenting task hands it to its batch. */
  private record Point(double[] raw, long time, long panelKey) { }

  /** The deltas of one stream, encoded as on the model-deltas topic. */
  private record Stream(String name, int pointsPerDelta, List<byte[]> deltas) { }

  /** Per-delta CPU times (ns) of one round, by what the delta did. */
  private static final class Round {
    final List<Long> merge = new ArrayList<>();
    final List<Long> plainVersion = new ArrayList<>();
    final List<Long> refreshVersion = new ArrayList<>();
    long firstVersion = -1;
    long total;
    long decode;
    long acceptMerge;
    long encodePending;
    long encodeOther;
    long pendingBytes;
    long panelEntries;
    long panelBytes;
    long reservoirBytes;
    long versionBytes;
    int versions;
    ModelSnapshot last;
  }

  public static void main(String[] args) throws Exception {
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int deltaCount = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int smallPoints = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    SegmenterConfig config = config();
    ModelAggregator.Settings settings = config.modelSettings();
    int deltaPoints = config.getInt(SegmenterConfig.MODEL_DELTA_POINTS);
    long deltaIntervalMs = config.getLong(SegmenterConfig.MODEL_DELTA_INTERVAL_MS);
    int summariesPerDelta = config.clvEnabled() ? config.clvSettings().summariesPerDelta() : 0;
    System.out.printf("AggregatorBenchmark: %d available processors, %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.printf("settings: k %d..%d, min.batch.points %d, refresh every %d versions (sample %d), panel %d, "
            + "delta.points %d, delta.interval.ms %d, summaries per delta %d, predictive models %s%n",
        settings.kMin(), settings.k(), settings.minBatchPoints(), settings.refreshEvery(), settings.refreshSample(),
        settings.panelCapacity(), deltaPoints, deltaIntervalMs, summariesPerDelta, config.clvEnabled() ? "on" : "off");

    List<Point> points = new ArrayList<>();
    List<CustomerSummary> summaries = new ArrayList<>();
    long events = harvest(config, customers, days, points, summaries);
    double pointsPerEvent = (double) points.size() / events;

    // The full-size stream, from no model: it warms the model up, then cuts versions at the default pace.
    Builder full = new Builder(config, settings, points, summaries, summariesPerDelta);
    Stream big = full.stream("full deltas (" + deltaPoints + " points)", deltaPoints, deltaCount);
    // Small deltas, as a quiet task sends every delta interval, merged into the model the big stream ended with.
    Builder quiet = full.continued();
    Stream small = quiet.stream("small deltas (" + smallPoints + " points)", smallPoints, deltaCount);
    ModelSnapshot bigEnd = full.aggregator.current();

    List<Round> bigRounds = new ArrayList<>();
    List<Round> smallRounds = new ArrayList<>();
    for (int r = 0; r <= rounds; r++) {
      Round b = measure(config, settings, big, null, null);
      Round s = measure(config, settings, small, bigEnd, full.aggregator.panel().points());
      if (r == 0) continue; // warms the JIT up
      bigRounds.add(b);
      smallRounds.add(s);
    }
    Report report = new Report(settings, deltaPoints, deltaIntervalMs, smallPoints, pointsPerEvent);
    report.stream(big, bigRounds);
    report.stream(small, smallRounds);
    report.capacity(big, bigRounds, smallRounds);
  }

  private static SegmenterConfig config() {
    Map<String, Object> p = new HashMap<>();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-aggregator");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(SegmenterConfig.SCHEMA_REGISTRY_URL, "http://unused:8081");
    System.getProperties().stringPropertyNames().stream()
        .filter(n -> n.startsWith("segmenter.") && SegmenterConfig.CONFIG.names().contains(n))
        .forEach(n -> p.put(n, System.getProperty(n)));
    return new SegmenterConfig(p);
  }

  /**
   * The training points and summaries the segmenting tasks would produce from the generator's events,
   * in event order (one stream clock, as one task per partition sees its own customers in order).
   *
   * @return the number of events
   */
  private static long harvest(SegmenterConfig config, int customers, int days, List<Point> points,
      List<CustomerSummary> summaries) {
    long t0 = System.nanoTime();
    CustomerEvaluator evaluator = new CustomerEvaluator(config.evaluatorSettings());
    long seed = config.modelSettings().seed();
    Map<String, CustomerProfile> profiles = new HashMap<>();
    SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
        .withCustomers(customers).withSpan(Duration.ofDays(days)).withSeed(42));
    long recheck = config.getLong(SegmenterConfig.INACTIVITY_RECHECK_MS);
    Map<String, Long> evaluatedAt = new HashMap<>();
    long events = 0;
    long ticks = 0;
    long now = Long.MIN_VALUE;
    long nextSweep = Long.MIN_VALUE;
    for (GeneratedEvent e : generator) {
      events++;
      now = Math.max(now, e.occurredAtMs());
      if (nextSweep == Long.MIN_VALUE) nextSweep = now + SWEEP_MS;
      if (now >= nextSweep) {
        ticks += recheck(evaluator, profiles, evaluatedAt, now, recheck, seed, points, summaries);
        nextSweep = now + SWEEP_MS;
      }
      Decision d = evaluator.onEvent(profiles.get(e.customerId()), e.event(), e.occurredAtMs(), null, now);
      profiles.put(e.customerId(), d.profile());
      evaluatedAt.put(e.customerId(), d.now());
      if (d.point() != null) points.add(new Point(d.point().raw(), d.point().time(), CustomerKey.of(seed, e.customerId())));
    }
    System.out.printf("harvest: %,d customers x %d days = %,d events and %,d re-evaluations -> %,d training points "
            + "(%.3f per event), %,d repeat-purchase summaries, in %.1f s%n",
        customers, days, events, ticks, points.size(), (double) points.size() / events, summaries.size(),
        (System.nanoTime() - t0) / 1e9);
    return events;
  }

  /**
   * The inactivity punctuator's work, approximated: every customer not evaluated for the re-check
   * interval is re-evaluated (the service books some sooner, when a rule turns by the clock).
   * Re-evaluations give training points too, and the repeat-purchase summaries.
   *
   * @return the number of re-evaluations
   */
  private static long recheck(CustomerEvaluator evaluator, Map<String, CustomerProfile> profiles,
      Map<String, Long> evaluatedAt, long now, long recheck, long seed, List<Point> points,
      List<CustomerSummary> summaries) {
    long n = 0;
    for (Map.Entry<String, Long> c : evaluatedAt.entrySet()) {
      if (now - c.getValue() < recheck) continue;
      Decision d = evaluator.onTick(profiles.get(c.getKey()), now, null, now);
      profiles.put(c.getKey(), d.profile());
      c.setValue(now);
      n++;
      if (d.point() != null) points.add(new Point(d.point().raw(), d.point().time(), CustomerKey.of(seed, c.getKey())));
      if (d.summary() != null) summaries.add(d.summary());
    }
    return n;
  }

  /** Builds deltas the way the tasks do, feeding them to an aggregator so that points carry real centre ids. */
  private static final class Builder {
    final SegmenterConfig config;
    final ModelAggregator.Settings settings;
    final List<Point> points;
    final List<CustomerSummary> summaries;
    final int summariesPerDelta;
    final ModelAggregator aggregator;
    final long[] sequence = new long[TASKS];
    int nextPoint;
    int nextSummary;
    long pointsTaken;

    Builder(SegmenterConfig config, ModelAggregator.Settings settings, List<Point> points,
        List<CustomerSummary> summaries, int summariesPerDelta) {
      this(config, settings, points, summaries, summariesPerDelta,
          new ModelAggregator(settings, Features.DIMENSION, null, null, clv(config, settings), null));
    }

    private Builder(SegmenterConfig config, ModelAggregator.Settings settings, List<Point> points,
        List<CustomerSummary> summaries, int summariesPerDelta, ModelAggregator aggregator) {
      this.config = config;
      this.settings = settings;
      this.points = points;
      this.summaries = summaries;
      this.summariesPerDelta = summariesPerDelta;
      this.aggregator = aggregator;
    }

    /** Goes on from where this builder's stream ended (the model, the panel, the points), on a copy of the aggregator. */
    Builder continued() {
      ModelAggregator copy = new ModelAggregator(settings, Features.DIMENSION, aggregator.current(), null,
          clv(config, settings), panelOf(settings, aggregator.panel().points()));
      Builder b = new Builder(config, settings, points, summaries, summariesPerDelta, copy);
      b.nextPoint = nextPoint;
      b.nextSummary = nextSummary;
      b.pointsTaken = pointsTaken;
      System.arraycopy(sequence, 0, b.sequence, 0, TASKS);
      return b;
    }

    Stream stream(String name, int pointsPerDelta, int count) {
      List<byte[]> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int task = i % TASKS;
        TaskDelta delta = next(task, pointsPerDelta);
        byte[] bytes = InternalCodec.encode(ModelCodec.toAvro(delta));
        out.add(bytes);
        aggregator.accept(delta);
      }
      ModelSnapshot m = aggregator.current();
      System.out.printf("stream %s: %,d deltas from %d tasks, ends at model version %d with %d segments%n",
          name, count, TASKS, m == null ? -1 : m.version(), m == null ? 0 : m.kmeans().centres().size());
      return new Stream(name, pointsPerDelta, out);
    }

    private TaskDelta next(int task, int pointsPerDelta) {
      ModelSnapshot model = aggregator.current();
      MiniBatchAccumulator batch = new MiniBatchAccumulator(Features.DIMENSION, MiniBatchAccumulator.DEFAULT_SEED ^ task);
      int cap = model == null ? settings.warmupPoints() : settings.sampleCap();
      for (int i = 0; i < pointsPerDelta; i++) {
        if (nextPoint == points.size()) nextPoint = 0;
        Point p = points.get(nextPoint++);
        int centre = model == null ? -1 : model.kmeans().nearest(model.standardise(p.raw())).centreId();
        batch.add(p.raw(), centre, points.get(0).time() + POINT_SPACING_MS * pointsTaken++, cap, p.panelKey());
      }
      for (int i = 0; i < summariesPerDelta && !summaries.isEmpty(); i++) {
        batch.addSummary(summaries.get(nextSummary++ % summaries.size()));
      }
      return batch.drain(Integer.toString(0) + "_" + task, ++sequence[task], model == null ? -1 : model.version());
    }
  }

  private static ClvFitter clv(SegmenterConfig config, ModelAggregator.Settings settings) {
    return config.clvEnabled()
        ? new ClvFitter(config.clvSettings(), null, new SummaryReservoir(config.clvSettings().reservoirSize(), settings.seed()))
        : null;
  }

  private static CustomerPanel panelOf(ModelAggregator.Settings settings, List<PanelPoint> points) {
    if (points == null) return null;
    CustomerPanel panel = new CustomerPanel(settings.panelCapacity());
    points.forEach(panel::restore);
    return panel;
  }

  /**
   * One pass of a stream through a fresh aggregator, as ModelAggregatorProcessor.process does it minus
   * the store and Kafka (see the class comment); CPU time of this thread per delta.
   */
  private static Round measure(SegmenterConfig config, ModelAggregator.Settings settings, Stream stream,
      ModelSnapshot start, List<PanelPoint> panel) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ClvFitter clv = clv(config, settings);
    ModelAggregator aggregator = new ModelAggregator(settings, Features.DIMENSION, start, null, clv,
        panelOf(settings, panel));
    Round round = new Round();
    for (byte[] bytes : stream.deltas()) {
      long t0 = threads.getCurrentThreadCpuTime();
      TaskDelta delta = ModelCodec.fromAvro(InternalCodec.decodeDelta(bytes));
      long t1 = threads.getCurrentThreadCpuTime();
      Optional<ModelSnapshot> next = aggregator.accept(delta);
      long t2 = threads.getCurrentThreadCpuTime();
      round.pendingBytes += InternalCodec.encode(ModelCodec.toAvro(aggregator.pending())).length;
      long t3 = threads.getCurrentThreadCpuTime();
      for (long key : aggregator.panel().drainChanged()) {
        String storeKey = "panel:" + String.format("%016x", key);
        PanelPoint p = aggregator.panel().get(key);
        round.panelEntries++;
        if (p == null) {
          round.panelBytes += storeKey.length();
          continue;
        }
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * p.raw().length).putLong(p.at());
        for (double x : p.raw()) b.putDouble(x);
        round.panelBytes += storeKey.length() + b.array().length;
      }
      if (clv != null) round.reservoirBytes += 8 + 40L * clv.reservoir().drainChanged().length;
      next.ifPresent(v -> round.versionBytes += InternalCodec.encode(ModelCodec.toAvro(v)).length);
      long t4 = threads.getCurrentThreadCpuTime();
      round.decode += t1 - t0;
      round.encodePending += t3 - t2;
      round.encodeOther += t4 - t3;
      round.total += t4 - t0;
      if (next.isEmpty()) {
        round.merge.add(t2 - t1);
        round.acceptMerge += t2 - t1;
        continue;
      }
      long version = next.get().version();
      round.versions++;
      round.last = next.get();
      if (start == null && version == 1) round.firstVersion = t2 - t1;
      else if (settings.refreshEvery() > 0 && version % settings.refreshEvery() == 0) round.refreshVersion.add(t2 - t1);
      else round.plainVersion.add(t2 - t1);
    }
    return round;
  }

  /** Prints the figures and the capacity they imply. */
  private static final class Report {
    final ModelAggregator.Settings settings;
    final int deltaPoints;
    final long deltaIntervalMs;
    final int smallPoints;
    final double pointsPerEvent;

    Report(ModelAggregator.Settings settings, int deltaPoints, long deltaIntervalMs, int smallPoints,
        double pointsPerEvent) {
      this.settings = settings;
      this.deltaPoints = deltaPoints;
      this.deltaIntervalMs = deltaIntervalMs;
      this.smallPoints = smallPoints;
      this.pointsPerEvent = pointsPerEvent;
    }

    void stream(Stream s, List<Round> rounds) {
      int n = s.deltas().size();
      double bytes = s.deltas().stream().mapToLong(b -> b.length).average().orElse(0);
      Round any = rounds.get(0);
      System.out.printf("%n%s, %d measured rounds (CPU time of the thread; best / median of the rounds):%n", s.name(), rounds.size());
      System.out.printf("  bytes per delta on model-deltas (InternalCodec): %,.0f (%,.0f per point)%n", bytes, bytes / s.pointsPerDelta());
      System.out.printf("  merge alone (accept without a version): %s us per delta -> %s deltas/s%n",
          fmt(rounds, r -> micros(median(r.merge))), rate(rounds, r -> 1e9 / median(r.merge)));
      System.out.printf("  whole processor step (decode, accept, store encodes) averaged over all deltas, versions included: "
          + "%s us per delta -> %s deltas/s%n", fmt(rounds, r -> micros((double) r.total / n)), rate(rounds, r -> 1e9 * n / r.total));
      System.out.printf("    of which decode %s us, accept without versions %s us, encode of the pending record %s us, "
              + "panel/reservoir/version encodes %s us%n",
          fmt(rounds, r -> micros((double) r.decode / n)), fmt(rounds, r -> micros((double) r.acceptMerge / r.merge.size())),
          fmt(rounds, r -> micros((double) r.encodePending / n)), fmt(rounds, r -> micros((double) r.encodeOther / n)));
      if (any.firstVersion >= 0) System.out.printf("  version 1 (warm-up, choice of k): %s ms%n", fmt(rounds, r -> r.firstVersion / 1e6));
      if (!any.plainVersion.isEmpty()) {
        System.out.printf("  a version (%d per round: update, settle on the panel, names, explanation; the merge of its last delta included): %s ms%n",
            any.plainVersion.size(), fmt(rounds, r -> median(r.plainVersion) / 1e6));
      }
      if (!any.refreshVersion.isEmpty()) {
        System.out.printf("  a refresh version (%d per round: every %d versions, k chosen again; the predictive fit falls on these too): %s ms%n",
            any.refreshVersion.size(), settings.refreshEvery(), fmt(rounds, r -> median(r.refreshVersion) / 1e6));
      }
      System.out.printf("  aggregator store writes per delta (each one a changelog record): pending record %,.0f bytes, "
              + "%.1f panel entries (%,.0f bytes), reservoir %,.0f bytes; per version: %,.0f bytes on the model topic%n",
          (double) any.pendingBytes / n, (double) any.panelEntries / n, (double) any.panelBytes / n,
          (double) any.reservoirBytes / n, any.versions == 0 ? 0.0 : (double) any.versionBytes / any.versions);
      System.out.printf("  ends at version %d, %d segments%n", any.last == null ? -1 : any.last.version(),
          any.last == null ? 0 : any.last.kmeans().centres().size());
    }

    /**
     * The model of the aggregator's load, from the medians: a delta of p points costs a + b*p (decode,
     * merge, encodes), and every min.batch.points points cost one version, a refresh one in
     * refresh.every. A deployment of T tasks with P training points/s sends D = P/deltaPoints + T/interval
     * deltas/s at most (a full delta per deltaPoints points, and one per interval from a task that has
     * any point). It lags when load(P, T) = a*D + b*P + v*P/minBatch reaches one second per second.
     */
    void capacity(Stream fullStream, List<Round> big, List<Round> small) {
      double full = medianOf(big, r -> perDeltaWithoutVersions(r));
      double quiet = medianOf(small, r -> perDeltaWithoutVersions(r));
      double b = Math.max(0, (full - quiet) / (deltaPoints - smallPoints));
      double a = Math.max(0, quiet - b * smallPoints);
      double plain = medianOf(big, r -> median(r.plainVersion)) / 1e9;
      double refresh = big.get(0).refreshVersion.isEmpty() ? plain : medianOf(big, r -> median(r.refreshVersion)) / 1e9;
      int every = Math.max(1, settings.refreshEvery());
      double version = ((every - 1) * plain + refresh) / every;
      double perPoint = a / deltaPoints + b + version / settings.minBatchPoints();
      System.out.printf("%nCapacity (medians; one aggregator = one task on one stream thread, at most one core):%n");
      System.out.printf("  a delta costs a + b*points (decode, merge, store encodes): a = %.0f us, b = %.2f us per point "
          + "(from the two streams; a is mostly the pending record's encode, which follows the pending sample)%n", a * 1e6, b * 1e6);
      System.out.printf("  a version costs %.1f ms, a refresh version %.1f ms: %.1f ms per version on average (1 refresh in %d)%n",
          plain * 1e3, refresh * 1e3, version * 1e3, every);
      System.out.printf("  deltas/s merged, full deltas, versions included: %,.0f (= %,.0f training points/s)%n",
          1 / (a + b * deltaPoints + version * deltaPoints / settings.minBatchPoints()), 1 / perPoint);
      System.out.printf("  deltas/s merged, small deltas of %d points, versions included: %,.0f%n", smallPoints,
          1 / (a + b * smallPoints + version * smallPoints / settings.minBatchPoints()));
      System.out.printf("  formula: load = a*(P/%d + T/%.0f s) + b*P + %.1f ms*P/%d  < 1 s per s, so%n",
          deltaPoints, deltaIntervalMs / 1e3, version * 1e3, settings.minBatchPoints());
      System.out.printf("           P_max(T) = (1 - a*T/%.0f s) / (a/%d + b + v/%d) training points/s; events/s = P / (points per event)%n",
          deltaIntervalMs / 1e3, deltaPoints, settings.minBatchPoints());
      System.out.printf("  points per event: %.3f in this harvest (re-evaluations' points included). A customer gives at most one "
          + "point per sample interval (1 day) of event time and is re-evaluated every re-check interval (1 day), so P is "
          + "about (customers known) / 86,400 s per second of event time: live, that is all; a replay multiplies it by its speed-up%n",
          pointsPerEvent);
      System.out.printf("  %8s  %16s  %24s  %26s%n", "tasks T", "P_max points/s", "events/s at that mix", "instances at 20,000 ev/s");
      // T = input partitions (one segmenting task each): 6 by default, 12 in the Kubernetes overlay.
      for (int t : new int[] {6, 12, 48, 192, 768, 3072}) {
        double p = (1 - a * t * 1000.0 / deltaIntervalMs) / perPoint;
        if (p <= 0) {
          System.out.printf("  %8d  %16s  %24s  %26s%n", t, "0 (idle deltas alone fill it)", "-", "-");
          continue;
        }
        double e = p / pointsPerEvent;
        System.out.printf("  %8d  %,16.0f  %,24.0f  %,26.1f%n", t, p, e, e / 20_000);
      }
      double p12 = (1 - a * 12 * 1000.0 / deltaIntervalMs) / perPoint;
      double deltaBytesPerPoint = fullStream.deltas().stream().mapToLong(x -> x.length).sum()
          / (double) (fullStream.deltas().size() * (long) deltaPoints);
      Round any = big.get(0);
      double storeBytesPerDelta = (double) (any.pendingBytes + any.panelBytes + any.reservoirBytes) / fullStream.deltas().size();
      System.out.printf("  at P_max(T=12): %,.1f MB/s onto the one model-deltas partition, %,.1f MB/s of aggregator-store "
              + "changelog (pending record, panel, reservoir; the panel share falls as customers outnumber the panel)%n",
          p12 * deltaBytesPerPoint / 1e6, p12 / deltaPoints * storeBytesPerDelta / 1e6);
      System.out.printf("  live traffic: P_max(T=12) * 86,400 s = %,.0f customers (x replay speed-up) before the aggregator lags%n",
          p12 * 86_400);
    }

    private double perDeltaWithoutVersions(Round r) {
      // Decode and encodes averaged over all deltas (the version's own encode, a few KB once per
      // version, is a negligible part of them), plus the median merge.
      int n = r.merge.size() + r.plainVersion.size() + r.refreshVersion.size() + (r.firstVersion >= 0 ? 1 : 0);
      return ((double) (r.decode + r.encodePending + r.encodeOther) / n + median(r.merge)) / 1e9;
    }
  }

  private interface Figure {
    double of(Round r);
  }

  /** Best / median over the rounds of a time (best = least). */
  private static String fmt(List<Round> rounds, Figure f) {
    double[] xs = rounds.stream().mapToDouble(f::of).toArray();
    return String.format("best %,.1f, median %,.1f", Arrays.stream(xs).min().orElse(Double.NaN), medianOf(xs));
  }

  /** Best / median over the rounds of a rate (best = most). */
  private static String rate(List<Round> rounds, Figure f) {
    double[] xs = rounds.stream().mapToDouble(f::of).toArray();
    return String.format("best %,.0f, median %,.0f", Arrays.stream(xs).max().orElse(Double.NaN), medianOf(xs));
  }

  private static double medianOf(List<Round> rounds, Figure f) {
    return medianOf(rounds.stream().mapToDouble(f::of).toArray());
  }

  private static double medianOf(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length == 0 ? Double.NaN : s[s.length / 2];
  }

  private static double median(List<Long> xs) {
    return medianOf(xs.stream().mapToDouble(Long::doubleValue).toArray());
  }

  private static double micros(double nanos) {
    return nanos / 1e3;
  }
}
