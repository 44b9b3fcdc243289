package io.segmenter.topology;

import io.segmenter.clv.BgNbdParameters;
import io.segmenter.clv.ClvModel;
import io.segmenter.clv.CustomerSummary;
import io.segmenter.clv.GammaGammaParameters;
import io.segmenter.internal.CentreStatistics;
import io.segmenter.internal.ClvParameters;
import io.segmenter.internal.RepeatSummary;
import io.segmenter.internal.FeatureStatistics;
import io.segmenter.internal.ClusterCount;
import io.segmenter.internal.ClusterCountScore;
import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.SegmentEvent;
import io.segmenter.model.ModelNotes;
import io.segmenter.model.SegmentName;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.Centre;
import io.segmenter.model.FeatureScaler;
import io.segmenter.model.Features;
import io.segmenter.model.KMeansModel;
import io.segmenter.model.MiniBatchStatistics;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.RunningMoments;
import io.segmenter.model.PanelPoint;
import io.segmenter.model.TaskDelta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Converts between the pure model types and their Avro contracts (model and model-deltas topics). */
public final class ModelCodec {
  private ModelCodec() { }

  public static ModelVersion toAvro(ModelSnapshot s) {
    List<io.segmenter.internal.Centre> centres = new ArrayList<>();
    for (Centre c : s.kmeans().centres()) {
      centres.add(io.segmenter.internal.Centre.newBuilder()
          .setId(c.id())
          .setName(s.name(c.id()))
          .setVector(boxed(c.position()))
          .setWeight(c.weight())
          .setCreatedInVersion(c.createdInVersion())
          .setLastUpdatedInVersion(c.lastUpdatedInVersion())
          .setReplacesId(c.replacesId())
          .setDescription(s.segmentName(c.id()).map(SegmentName::description).orElse(""))
          .setPanelMembers(s.notes().panelMembers().getOrDefault(c.id(), 0L))
          .build());
    }
    return ModelVersion.newBuilder()
        .setVersion(s.version())
        .setFeatures(Features.NAMES)
        .setFeatureStatistics(statistics(s.scaler()))
        .setCentres(centres)
        .setNextCentreId(s.kmeans().nextCentreId())
        .setDecayFactor(s.kmeans().decayFactor())
        .setCreatedAt(Instant.ofEpochMilli(s.createdAt()))
        .setClv(s.clv() == null ? null : toAvro(s.clv()))
        .setPanelSize(s.notes().panelSize())
        .setPanelCustomers(s.notes().panelCustomers())
        .setSegmentEvents(s.notes().events().stream().map(e -> new SegmentEvent(e.centreId(), e.kind().name(),
            e.fromName(), e.toName(), e.intoCentre())).toList())
        .setClusterCount(toAvro(s.notes().clusterCount()))
        .setExplanation(ExplanationCodec.toAvro(s.notes().explanation(), s.version()))
        .build();
  }

  private static ClusterCount toAvro(ModelNotes.ClusterCount c) {
    if (c == null) return null;
    List<ClusterCountScore> scores = new ArrayList<>();
    c.scores().forEach((k, sc) -> scores.add(new ClusterCountScore(k, sc[0], sc[1])));
    return new ClusterCount(c.k(), c.silhouette(), c.chosenInVersion(), scores);
  }

  private static ModelNotes.ClusterCount fromAvro(ClusterCount c) {
    if (c == null) return null;
    Map<Integer, double[]> scores = new HashMap<>();
    for (ClusterCountScore sc : c.getScores()) scores.put(sc.getK(), new double[] {sc.getSilhouette(), sc.getInertia()});
    return new ModelNotes.ClusterCount(c.getK(), c.getSilhouette(), c.getChosenInVersion(), scores);
  }

  private static ModelNotes notes(ModelVersion v) {
    Map<Integer, Long> members = new HashMap<>();
    for (io.segmenter.internal.Centre c : v.getCentres()) members.put(c.getId(), c.getPanelMembers());
    List<io.segmenter.model.SegmentEvent> events = new ArrayList<>();
    for (SegmentEvent e : v.getSegmentEvents()) {
      events.add(new io.segmenter.model.SegmentEvent(e.getCentreId(),
          io.segmenter.model.SegmentEvent.Kind.valueOf(e.getKind()), e.getFromName(), e.getToName(), e.getIntoCentre()));
    }
    return new ModelNotes(v.getPanelSize(), v.getPanelCustomers(), members, events, fromAvro(v.getClusterCount()),
        ExplanationCodec.fromAvro(v.getExplanation()));
  }

  static ClvParameters toAvro(ClvModel m) {
    return ClvParameters.newBuilder()
        .setR(m.frequency().r()).setAlpha(m.frequency().alpha()).setA(m.frequency().a()).setB(m.frequency().b())
        .setP(m.hasSpend() ? m.spend().p() : null)
        .setQ(m.hasSpend() ? m.spend().q() : null)
        .setGamma(m.hasSpend() ? m.spend().gamma() : null)
        .setSource(m.source().name())
        .setCustomers(m.customers())
        .setLogLikelihood(m.logLikelihood())
        .setFittedAt(Instant.ofEpochMilli(m.fittedAt()))
        .setFittedInVersion(m.fittedInVersion())
        .setHighValue(m.highValue())
        .setTypicalValue(m.typicalValue())
        .build();
  }

  static ClvModel fromAvro(ClvParameters p) {
    boolean spend = p.getP() != null && p.getQ() != null && p.getGamma() != null;
    return new ClvModel(new BgNbdParameters(p.getR(), p.getAlpha(), p.getA(), p.getB()),
        spend ? new GammaGammaParameters(p.getP(), p.getQ(), p.getGamma()) : null,
        ClvModel.Source.valueOf(p.getSource()), p.getCustomers(), p.getLogLikelihood(),
        p.getFittedAt().toEpochMilli(), p.getFittedInVersion(), p.getHighValue(), p.getTypicalValue());
  }

  /**
   * @throws IllegalArgumentException when the model was built on other features than this
   *     version of segmenter computes (a model topic from an incompatible release)
   */
  public static ModelSnapshot fromAvro(ModelVersion v) {
    if (!Features.NAMES.equals(v.getFeatures())) {
      throw new IllegalArgumentException("model version " + v.getVersion() + " uses features " + v.getFeatures()
          + " but this segmenter computes " + Features.NAMES);
    }
    List<Centre> centres = new ArrayList<>();
    Map<Integer, String> names = new HashMap<>();
    for (io.segmenter.internal.Centre c : v.getCentres()) {
      centres.add(new Centre(c.getId(), unboxed(c.getVector()), c.getWeight(), c.getCreatedInVersion(),
          c.getLastUpdatedInVersion(), c.getReplacesId()));
      names.put(c.getId(), c.getName());
    }
    KMeansModel km = new KMeansModel(v.getVersion(), Features.DIMENSION, centres, v.getNextCentreId(), v.getDecayFactor());
    return new ModelSnapshot(km, scaler(v.getFeatureStatistics()), names, v.getCreatedAt().toEpochMilli(),
        v.getClv() == null ? null : fromAvro(v.getClv()), notes(v));
  }

  public static ModelDelta toAvro(TaskDelta d) {
    List<CentreStatistics> stats = new ArrayList<>();
    d.stats().counts().forEach((id, n) -> stats.add(CentreStatistics.newBuilder()
        .setCentreId(id).setCount(n).setSums(boxed(d.stats().sum(id))).build()));
    List<List<Double>> sample = new ArrayList<>();
    for (double[] p : d.sample()) sample.add(boxed(p));
    return ModelDelta.newBuilder()
        .setTaskId(d.taskId())
        .setSequence(d.sequence())
        .setBaseVersion(d.baseVersion())
        .setCentreStatistics(stats)
        .setFeatureStatistics(statistics(d.moments()))
        .setWarmupSample(sample)
        .setMaxEventTime(Instant.ofEpochMilli(Math.max(0, d.maxEventTime()))) // an empty batch has none
        .setRepeatSummaries(d.summaries().stream().map(ModelCodec::toAvro).toList())
        .setPanel(d.panel().stream().map(p -> new io.segmenter.internal.PanelPoint(p.key(), Instant.ofEpochMilli(p.at()),
            boxed(p.raw()))).toList())
        .setForgetKeys(List.copyOf(d.forget()))
        .build();
  }

  public static TaskDelta fromAvro(ModelDelta d) {
    MiniBatchStatistics stats = new MiniBatchStatistics(Features.DIMENSION);
    for (CentreStatistics c : d.getCentreStatistics()) stats.addSum(c.getCentreId(), c.getCount(), unboxed(c.getSums()));
    List<double[]> sample = new ArrayList<>();
    for (List<Double> p : d.getWarmupSample()) sample.add(unboxed(p));
    return new TaskDelta(d.getTaskId(), d.getSequence(), d.getBaseVersion(), stats,
        scaler(d.getFeatureStatistics()), sample, d.getMaxEventTime().toEpochMilli(),
        d.getRepeatSummaries().stream().map(ModelCodec::fromAvro).toList(),
        d.getPanel().stream().map(p -> new PanelPoint(p.getKey(), p.getAt().toEpochMilli(), unboxed(p.getVector()))).toList(),
        d.getForgetKeys());
  }

  static RepeatSummary toAvro(CustomerSummary s) {
    return new RepeatSummary(s.x(), s.tx(), s.T(), s.meanRepeatSpend());
  }

  static CustomerSummary fromAvro(RepeatSummary s) {
    return new CustomerSummary(s.getX(), s.getTx(), s.getT(), s.getMeanRepeatSpend());
  }

  private static List<FeatureStatistics> statistics(FeatureScaler scaler) {
    List<FeatureStatistics> out = new ArrayList<>();
    List<RunningMoments> moments = scaler.moments();
    for (int i = 0; i < moments.size(); i++) {
      RunningMoments m = moments.get(i);
      out.add(FeatureStatistics.newBuilder().setFeature(Features.NAMES.get(i))
          .setWeight(m.weight()).setMean(m.mean()).setM2(m.m2()).build());
    }
    return out;
  }

  private static FeatureScaler scaler(List<FeatureStatistics> stats) {
    if (stats.size() != Features.DIMENSION) {
      throw new IllegalArgumentException("expected " + Features.DIMENSION + " feature statistics, got " + stats.size());
    }
    List<RunningMoments> moments = new ArrayList<>();
    for (FeatureStatistics f : stats) moments.add(new RunningMoments(f.getWeight(), f.getMean(), f.getM2()));
    return new FeatureScaler(moments);
  }

  private static List<Double> boxed(double[] v) {
    List<Double> out = new ArrayList<>(v.length);
    for (double x : v) out.add(x);
    return out;
  }

  private static double[] unboxed(List<Double> v) {
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) out[i] = v.get(i);
    return out;
  }
}
