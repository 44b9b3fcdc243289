package io.segmenter.model;

import io.segmenter.clv.ClvFitter;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Merges the mini-batch deltas of all tasks into successive model versions. There is exactly one
 * aggregator (it reads the single-partition model-deltas topic), so every instance ends up
 * assigning with the same version, and the deltas are merged in the topic's order: replaying the
 * same deltas gives bit-identical versions.
 *
 * <p><b>When a version is cut.</b> Before the first model: once the pending sample holds
 * {@code warmupPoints} points with at least k distinct ones, k-means++ on the standardised sample,
 * refined by Lloyd iterations, gives version 1 (or {@code initialVersion} when a model existed on
 * the topic before this aggregator's state). Afterwards: when the pending deltas hold
 * {@code minBatchPoints} points, or when their newest event time is {@code maxIntervalMs} past the
 * current version's, so that a quiet stream still updates. Both rules depend only on the deltas,
 * never on the wall clock.
 *
 * <p><b>Update.</b> Pending raw sums are mapped into the current standardised space, the Sculley
 * update with forgetting moves the centres ({@link KMeansModel#apply}), dead centres are re-seeded
 * from the pending sample, then the standardisation statistics are decayed and merged with the
 * pending moments and the centres are re-expressed in the new standardised space (they keep their
 * raw-space position; only the yardstick changes). Every {@code refreshEvery} versions the centres
 * may be re-anchored on the batch's sample by batch k-means ({@link ModelRefresh}).
 *
 * <p><b>The sample</b> that k-means++, the re-seeds and the refresh see is a uniform sample of the
 * pending points (each task's delta carries a uniform sample of its batch, and
 * {@link TaskDelta#mergedWith} merges them in proportion to their points, with draws seeded from the
 * model's seed and the delta's task and sequence): not the points that happened to arrive first.
 */
public final class ModelAggregator {
  /** Lloyd iterations on the warm-up sample after k-means++. */
  static final int WARMUP_LLOYD_ITERATIONS = 25;
  /** Re-seed candidates kept in pending deltas once a model exists. */
  public static final int CANDIDATE_SAMPLE = 64;

  /** How the model is built; see the class Javadoc for what each setting decides. */
  public record Settings(int k, long seed, double decayFactor, int warmupPoints, long minBatchPoints,
      long maxIntervalMs, long deadAfterVersions, int refreshEvery, int refreshSample, int kMin,
      int panelCapacity) {
    /** A model of the panel's default size. */
    public static final int PANEL_CAPACITY = 5000;

    /** Without periodic refresh ({@link ModelRefresh}). */
    public Settings(int k, long seed, double decayFactor, int warmupPoints, long minBatchPoints,
        long maxIntervalMs, long deadAfterVersions) {
      this(k, seed, decayFactor, warmupPoints, minBatchPoints, maxIntervalMs, deadAfterVersions, 0, CANDIDATE_SAMPLE);
    }

    /** A fixed k (no choice of k), the default panel. */
    public Settings(int k, long seed, double decayFactor, int warmupPoints, long minBatchPoints,
        long maxIntervalMs, long deadAfterVersions, int refreshEvery, int refreshSample) {
      this(k, seed, decayFactor, warmupPoints, minBatchPoints, maxIntervalMs, deadAfterVersions, refreshEvery,
          refreshSample, k, PANEL_CAPACITY);
    }

    /** Whether k is chosen (between {@link #kMin} and {@link #k}) rather than fixed. */
    public boolean choosesK() {
      return kMin < k;
    }

    /** Points a delta carries once a model exists: re-seed candidates, and the refresh sample. */
    public int sampleCap() {
      return refreshEvery > 0 ? Math.max(refreshSample, CANDIDATE_SAMPLE) : CANDIDATE_SAMPLE;
    }

    public Settings {
      if (refreshEvery < 0) throw new IllegalArgumentException("refresh interval must be >= 0 versions: " + refreshEvery);
      if (refreshSample < 1) throw new IllegalArgumentException("refresh sample must be >= 1 point: " + refreshSample);
      if (k < 1) throw new IllegalArgumentException("k must be >= 1: " + k);
      if (kMin < 1 || kMin > k) throw new IllegalArgumentException("smallest k must be in [1, " + k + "]: " + kMin);
      if (panelCapacity < 1) throw new IllegalArgumentException("panel capacity must be >= 1: " + panelCapacity);
      if (!(decayFactor > 0 && decayFactor <= 1)) throw new IllegalArgumentException("decay factor must be in (0,1]: " + decayFactor);
      if (warmupPoints < k) throw new IllegalArgumentException("warm-up points (" + warmupPoints + ") must be >= k (" + k + ")");
      if (minBatchPoints < 1) throw new IllegalArgumentException("min batch points must be >= 1: " + minBatchPoints);
      if (maxIntervalMs < 1) throw new IllegalArgumentException("max interval must be positive: " + maxIntervalMs);
      if (deadAfterVersions < 1) throw new IllegalArgumentException("dead-after versions must be >= 1: " + deadAfterVersions);
    }
  }

  private final Settings settings;
  private final int dimension;
  private ModelSnapshot current;
  private TaskDelta pending;
  private long droppedPoints;
  private final ClvFitter clv;
  private final CustomerPanel panel;
  /** How k was chosen last: carried from version to version until the next refresh chooses again. */
  private ModelNotes.ClusterCount clusterCount;
  private final int firstSegmentId;

  /** Without predictive models. */
  public ModelAggregator(Settings settings, int dimension, ModelSnapshot current, TaskDelta pending) {
    this(settings, dimension, current, pending, null, null);
  }

  public ModelAggregator(Settings settings, int dimension, ModelSnapshot current, TaskDelta pending, ClvFitter clv) {
    this(settings, dimension, current, pending, clv, null);
  }

  /**
   * @param current the newest version (from this aggregator's state or the model topic), or null
   * @param pending deltas merged so far but not yet in a version, or null
   * @param clv decides the predictive parameters of each version (and takes the deltas' summaries),
   *     or null without predictive models
   * @param panel the customer panel restored from the aggregator's state, or null for an empty one
   */
  public ModelAggregator(Settings settings, int dimension, ModelSnapshot current, TaskDelta pending, ClvFitter clv,
      CustomerPanel panel) {
    this(settings, dimension, current, pending, clv, panel, 0);
  }

  /**
   * @param firstSegmentId the id of the first version's first centre (0 for the default strategy; a
   *     challenger strategy's own range, see {@link KMeansModel#renumberedFrom})
   */
  public ModelAggregator(Settings settings, int dimension, ModelSnapshot current, TaskDelta pending, ClvFitter clv,
      CustomerPanel panel, int firstSegmentId) {
    this.firstSegmentId = firstSegmentId;
    this.settings = settings;
    this.dimension = dimension;
    this.current = current;
    this.pending = pending != null ? pending : TaskDelta.empty(dimension);
    this.clv = clv;
    this.panel = panel != null ? panel : new CustomerPanel(settings.panelCapacity());
    this.clusterCount = current != null ? current.notes().clusterCount() : null;
  }

  public ModelSnapshot current() {
    return current;
  }

  public TaskDelta pending() {
    return pending;
  }

  public CustomerPanel panel() {
    return panel;
  }

  /** Points whose centre no longer existed when their delta arrived (re-seeded meanwhile). */
  public long droppedPoints() {
    return droppedPoints;
  }

  /** Merges a delta; returns the new version when this delta completes one. */
  public Optional<ModelSnapshot> accept(TaskDelta delta) {
    merge(delta);
    return due() ? cut() : Optional.empty();
  }

  /**
   * Merges a delta into the pending batch (and the panel and the predictive reservoir): the cheap half
   * of {@link #accept}. When {@link #due()} then says a version is due, {@link #cut()} computes it;
   * until then no other delta may be merged, or the version would not be the one {@code accept} gives.
   */
  public void merge(TaskDelta delta) {
    if (delta.stats().dimension() != dimension) {
      throw new IllegalArgumentException("delta has dimension " + delta.stats().dimension() + ", model " + dimension);
    }
    if (clv != null) clv.offer(delta.summaries());
    panel.offerAll(delta.panel());
    delta.forget().forEach(panel::remove);
    TaskDelta usable = current == null ? delta : withoutUnknownCentres(delta);
    int cap = current == null ? settings.warmupPoints() : settings.sampleCap();
    pending = pending.mergedWith(usable, cap, settings.seed());
  }

  /**
   * Whether the pending batch calls for a version (cheap: the rules of the class comment, on counts and
   * times). The first version can still be refused by {@link #cut()} (too few distinct points); a later
   * one cannot.
   */
  public boolean due() {
    if (current == null) return pending.sample().size() >= settings.warmupPoints();
    long points = pending.points();
    return points >= settings.minBatchPoints()
        || points > 0 && pending.maxEventTime() - current.createdAt() >= settings.maxIntervalMs();
  }

  /**
   * Computes the version the pending batch calls for, and makes it current: the costly half of
   * {@link #accept} (the update, every refresh's batch k-means and choice of k, settling on the panel,
   * names, explanation, the predictive fit). Reads only this aggregator's own state, so it may run on
   * another thread while the caller keeps further deltas back; empty when the batch does not call for
   * a version.
   */
  public Optional<ModelSnapshot> cut() {
    ModelSnapshot next = current == null ? maybeInitialise() : maybeUpdate();
    if (next == null) return Optional.empty();
    if (clv != null) next = next.withClv(clv.forVersion(current == null ? null : current.clv(), next.version(), next.createdAt()));
    current = next;
    pending = TaskDelta.empty(dimension);
    return Optional.of(next);
  }

  private TaskDelta withoutUnknownCentres(TaskDelta d) {
    MiniBatchStatistics kept = new MiniBatchStatistics(dimension);
    d.stats().counts().forEach((id, n) -> {
      if (current.kmeans().centre(id) != null) {
        kept.addSum(id, n, d.stats().sum(id));
      } else {
        droppedPoints += n;
      }
    });
    return new TaskDelta(d.taskId(), d.sequence(), d.baseVersion(), kept, d.moments(), d.sample(), d.maxEventTime());
  }

  private ModelSnapshot maybeInitialise() {
    if (!due()) return null;
    List<double[]> sample = pending.sample();
    FeatureScaler scaler = pending.moments();
    List<double[]> z = new ArrayList<>(sample.size());
    for (double[] p : sample) z.add(scaler.standardise(p));
    if (KMeansModel.distinctPoints(z) < settings.k()) {
      // A full warm-up sample takes no more points, so one made of too few distinct points (brand-new
      // customers: their first page views all give the same features) would block version 1 for
      // ever. Keep one copy of each point, so that later, more varied points can enter.
      pending = new TaskDelta(pending.taskId(), pending.sequence(), pending.baseVersion(), pending.stats(),
          pending.moments(), distinct(sample), pending.maxEventTime());
      return null;
    }
    KMeansModel km = null;
    if (settings.choosesK()) {
      Optional<ClusterCountChoice.Choice> choice = ClusterCountChoice.choose(z, kRange(), settings.seed());
      if (choice.isPresent()) {
        KMeansModel c = choice.get().clustering();
        km = new KMeansModel(1, c.dimension(), c.centres(), c.nextCentreId(), settings.decayFactor());
        clusterCount = summary(choice.get(), 1);
      }
    }
    if (km == null) {
      km = KMeansModel.kMeansPlusPlus(z, settings.k(), settings.seed(), settings.decayFactor())
          .refine(z, WARMUP_LLOYD_ITERATIONS);
    }
    return snapshot(km.renumberedFrom(firstSegmentId), scaler, pending.maxEventTime());
  }

  /** The points in their order, each one once (by value). */
  private static List<double[]> distinct(List<double[]> points) {
    java.util.Set<java.nio.DoubleBuffer> seen = new java.util.HashSet<>();
    List<double[]> out = new ArrayList<>();
    for (double[] p : points) {
      // DoubleBuffer compares by content, which is what "the same point" means here.
      if (seen.add(java.nio.DoubleBuffer.wrap(p))) out.add(p);
    }
    return out;
  }

  private ModelSnapshot maybeUpdate() {
    if (!due()) return null;
    FeatureScaler scaler = current.scaler();
    MiniBatchStatistics zStats = new MiniBatchStatistics(dimension);
    pending.stats().counts().forEach((id, n) -> zStats.addSum(id, n, standardiseSum(scaler, pending.stats().sum(id), n)));
    List<double[]> candidates = new ArrayList<>();
    for (double[] p : pending.sample()) candidates.add(scaler.standardise(p));
    ModelUpdate update = current.kmeans().apply(zStats, candidates, settings.deadAfterVersions());
    KMeansModel updated = update.model();
    if (settings.refreshEvery() > 0 && updated.version() % settings.refreshEvery() == 0) {
      updated = refresh(updated, scaler, candidates);
    }
    if (settings.refreshEvery() > 0 && panel.size() >= MIN_PANEL) updated = settle(updated, standardised(panel.points(), scaler));
    FeatureScaler nextScaler = scaler.decay(settings.decayFactor()).merge(pending.moments());
    KMeansModel moved = updated.withPositions(c -> restandardise(c, scaler, nextScaler));
    return snapshot(moved, nextScaler, Math.max(current.createdAt(), pending.maxEventTime()));
  }

  /**
   * The periodic refresh: batch k-means on the customer panel (on the batch's sample while the panel
   * is too small), with k chosen again when it is not fixed. A chosen k's solution is adopted when it
   * is tighter on the panel than the online centres, or has another k; a fixed k's (always the
   * configured k, whatever the model has kept) when it is at least {@link ModelRefresh#MIN_GAIN}
   * tighter and has no fewer centres than the model, and always when the model has more centres than
   * k (k lowered in the settings). Before either is compared, centres that would have to merge for
   * want of distinct names are merged, so that a refresh does not create a centre only for it to merge
   * away again: a fixed k's solution after it is matched to the existing ids and named with their
   * current names (close to how the version will be named: that is after settling, with the next
   * scaler), a chosen k's before the matching and without names (its k may differ from the model's).
   */
  private KMeansModel refresh(KMeansModel model, FeatureScaler scaler, List<double[]> batchSample) {
    List<double[]> sample = panel.size() >= MIN_PANEL ? standardised(panel.points(), scaler) : batchSample;
    long seed = settings.seed() ^ model.version();
    if (!settings.choosesK()) {
      // The configured k, not the centres the model has now: the naming merges centres too alike for
      // two names (early data, when the personas still look alike), and a refresh with the model's
      // own count would never split them again; a k = 6 model could serve 3 segments for good.
      // The trial naming has the current names, as the version's will: the hysteresis of a name kept
      // (SegmentNamer.KEEP_MAX_COST) applies to it too.
      return ModelRefresh.improve(model, sample, settings.k(), seed,
          fresh -> SegmentNames.of(fresh, scaler, current.names(), new LinkedHashMap<>()).model()).orElse(model);
    }
    // The model's seed alone, not the version's: which version a refresh falls on depends on how the
    // deltas were cut (the wall clock), and the same panel must give the same clustering whatever it.
    Optional<ClusterCountChoice.Choice> choice = ClusterCountChoice.choose(sample, kRange(), settings.seed());
    if (choice.isEmpty()) return model;
    clusterCount = summary(choice.get(), model.version());
    KMeansModel fresh = mergedByNames(choice.get().clustering(), scaler);
    boolean tighter = fresh.inertia(sample) < model.inertia(sample);
    if (!tighter && fresh.centres().size() == model.centres().size()) return model;
    List<double[]> positions = new ArrayList<>();
    for (Centre c : fresh.centres()) positions.add(c.position());
    return ModelRefresh.reanchor(model, positions);
  }

  /** A batch solution after the merges its naming would ask for (no history: fresh ids). */
  private static KMeansModel mergedByNames(KMeansModel fresh, FeatureScaler scaler) {
    return SegmentNames.of(fresh, scaler, Map.of(), new LinkedHashMap<>()).model();
  }

  /** Below this many customers the panel is not a better refresh sample than the batch's. */
  static final int MIN_PANEL = 200;
  /** Lloyd iterations that settle each version's centres on the panel. */
  static final int SETTLE_ITERATIONS = 20;

  /**
   * Settles the centres on the customer panel: Lloyd iterations from where the mini-batch update
   * left them, so that every version is a k-means solution of the customers' current points (which
   * the panel is), not only of the recent batches, and two runs whose batches fell differently end
   * in the same place. Weights and lineage stay (the learning rate of the next mini-batch update is
   * the online one); a centre without panel customers stays where it is.
   */
  private static KMeansModel settle(KMeansModel model, List<double[]> panelPoints) {
    KMeansModel refined = model.refine(panelPoints, SETTLE_ITERATIONS);
    return model.withCentres(refined);
  }

  private ClusterCountChoice.Settings kRange() {
    return ClusterCountChoice.Settings.range(settings.kMin(), settings.k());
  }

  private static ModelNotes.ClusterCount summary(ClusterCountChoice.Choice r, long version) {
    Map<Integer, double[]> scores = new java.util.TreeMap<>();
    r.scores().forEach((k, sc) -> scores.put(k, new double[] {sc.silhouette(), sc.inertia()}));
    return new ModelNotes.ClusterCount(r.k(), r.silhouette(), version, scores);
  }

  private static List<double[]> standardised(List<PanelPoint> points, FeatureScaler scaler) {
    List<double[]> z = new ArrayList<>(points.size());
    for (PanelPoint p : points) z.add(scaler.standardise(p.raw()));
    return z;
  }

  /** Sum of n standardised points from the sum of the raw points: sum(z) = (sum(x) - n*mean) / sd. */
  private static double[] standardiseSum(FeatureScaler scaler, double[] rawSum, long n) {
    double[] out = new double[rawSum.length];
    for (int i = 0; i < rawSum.length; i++) {
      double zero = scaler.unstandardise(i, 0);
      double unit = scaler.unstandardise(i, 1) - zero;
      out[i] = (rawSum[i] - n * zero) / unit;
    }
    return out;
  }

  private static double[] restandardise(double[] z, FeatureScaler from, FeatureScaler to) {
    double[] raw = new double[z.length];
    for (int i = 0; i < z.length; i++) raw[i] = from.unstandardise(i, z[i]);
    return to.standardise(raw);
  }

  /**
   * The version: names chosen jointly (merging centres too close for two names), what happened to
   * each segment since the previous version, the panel's populations and the explanation.
   */
  private ModelSnapshot snapshot(KMeansModel km, FeatureScaler scaler, long createdAt) {
    Map<Integer, Integer> merges = new LinkedHashMap<>();
    SegmentNames.Named named = SegmentNames.of(km, scaler, current == null ? Map.of() : current.names(), merges);
    KMeansModel model = named.model();
    List<SegmentEvent> events = SegmentHistory.events(current, model, named.names(), merges, scaler);
    ModelSnapshot snapshot = new ModelSnapshot(model, scaler, named.names(), createdAt);
    return snapshot.withNotes(PanelView.notes(snapshot, panel, events, clusterCount));
  }
}
