package io.segmenter.topology;

import io.segmenter.internal.CentreStatistics;
import io.segmenter.internal.ClvParameters;
import io.segmenter.internal.FeatureStatistics;
import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import io.segmenter.internal.RepeatSummary;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.TaskDelta;
import io.segmenter.topology.RejectedRecord.Reason;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that a decoded internal record can be true before anything uses it: no NaN or infinite
 * number where the model computes, the right number of features and centres, unique centre ids. A
 * record that passes converts to the model's own types ({@link ModelCodec}) without surprises; one
 * that fails is a {@link RejectedRecord}, so that the last good model stays in force.
 */
final class InternalRecordCheck {
  /** The most centres a model may have (segmenter.model.k's upper bound). */
  static final int MAX_CENTRES = 64;

  private InternalRecordCheck() { }

  /** Bytes to a model version that may be used; {@code held} is the version in force (-1: none). */
  static ModelSnapshot modelVersion(byte[] bytes, long held) throws RejectedRecord {
    ModelVersion v = InternalCodec.decodeVersion(bytes);
    check(v);
    if (v.getVersion() <= held) {
      throw new RejectedRecord(Reason.NOT_NEWER, "model version " + v.getVersion() + " is not newer than version "
          + held + " in force");
    }
    return snapshot(v);
  }

  /** Bytes to a delta the aggregator may merge. */
  static TaskDelta delta(byte[] bytes) throws RejectedRecord {
    ModelDelta d = InternalCodec.decodeDelta(bytes);
    check(d);
    try {
      return ModelCodec.fromAvro(d);
    } catch (RuntimeException e) {
      throw new RejectedRecord(Reason.WRONG_SHAPE, "delta of task " + d.getTaskId() + " does not convert: " + e.getMessage(), e);
    }
  }

  static void check(ModelVersion v) throws RejectedRecord {
    String what = "model version " + v.getVersion();
    if (v.getVersion() < 1) throw new RejectedRecord(Reason.WRONG_SHAPE, what + ": versions start at 1");
    if (!Features.NAMES.equals(v.getFeatures())) {
      throw new RejectedRecord(Reason.WRONG_SHAPE, what + " uses features " + v.getFeatures()
          + " but this segmenter computes " + Features.NAMES);
    }
    statistics(what, v.getFeatureStatistics());
    int k = v.getCentres().size();
    if (k < 1 || k > MAX_CENTRES) throw new RejectedRecord(Reason.WRONG_SHAPE, what + " has " + k + " centres (1 to 64)");
    Set<Integer> ids = new HashSet<>();
    for (io.segmenter.internal.Centre c : v.getCentres()) {
      if (c.getId() < 0 || c.getId() >= v.getNextCentreId() || !ids.add(c.getId())) {
        throw new RejectedRecord(Reason.WRONG_SHAPE, what + ": centre id " + c.getId() + " is negative, repeated or not "
            + "below the next centre id " + v.getNextCentreId());
      }
      vector(what + ", centre " + c.getId(), c.getVector());
      finite(what + ", centre " + c.getId() + " weight", c.getWeight());
    }
    if (!(v.getDecayFactor() > 0 && v.getDecayFactor() <= 1)) {
      throw new RejectedRecord(Double.isFinite(v.getDecayFactor()) ? Reason.WRONG_SHAPE : Reason.NOT_FINITE,
          what + ": decay factor " + v.getDecayFactor() + " outside (0, 1]");
    }
    if (v.getClv() != null) clv(what, v.getClv());
  }

  static void check(ModelDelta d) throws RejectedRecord {
    String what = "delta " + d.getSequence() + " of task " + d.getTaskId();
    statistics(what, d.getFeatureStatistics());
    for (CentreStatistics c : d.getCentreStatistics()) {
      if (c.getCentreId() < 0 || c.getCount() < 0) {
        throw new RejectedRecord(Reason.WRONG_SHAPE, what + ": centre " + c.getCentreId() + " count " + c.getCount());
      }
      vector(what + ", centre " + c.getCentreId() + " sums", c.getSums());
    }
    for (List<Double> p : d.getWarmupSample()) vector(what + ", sample point", p);
    for (io.segmenter.internal.PanelPoint p : d.getPanel()) {
      if (p.getKey() < 0) throw new RejectedRecord(Reason.WRONG_SHAPE, what + ": negative panel key " + p.getKey());
      vector(what + ", panel point", p.getVector());
    }
    for (long key : d.getForgetKeys()) {
      if (key < 0) throw new RejectedRecord(Reason.WRONG_SHAPE, what + ": negative panel key " + key);
    }
    for (RepeatSummary s : d.getRepeatSummaries()) {
      finite(what + ", summary", s.getTx(), s.getT(), s.getMeanRepeatSpend());
      if (s.getX() < 0 || s.getTx() < 0 || s.getT() < s.getTx()) {
        throw new RejectedRecord(Reason.WRONG_SHAPE, what + ": impossible summary x=" + s.getX() + " t_x=" + s.getTx()
            + " T=" + s.getT());
      }
    }
  }

  private static ModelSnapshot snapshot(ModelVersion v) throws RejectedRecord {
    try {
      return ModelCodec.fromAvro(v);
    } catch (RuntimeException e) {
      throw new RejectedRecord(Reason.WRONG_SHAPE, "model version " + v.getVersion() + " does not convert: "
          + e.getMessage(), e);
    }
  }

  private static void statistics(String what, List<FeatureStatistics> stats) throws RejectedRecord {
    if (stats.size() != Features.DIMENSION) {
      throw new RejectedRecord(Reason.WRONG_SHAPE, what + " has " + stats.size() + " feature statistics, not "
          + Features.DIMENSION);
    }
    for (FeatureStatistics f : stats) {
      finite(what + ", statistics of " + f.getFeature(), f.getWeight(), f.getMean(), f.getM2());
      if (f.getWeight() < 0 || f.getM2() < 0) {
        throw new RejectedRecord(Reason.WRONG_SHAPE, what + ": negative weight or m2 for " + f.getFeature());
      }
    }
  }

  private static void vector(String what, List<Double> v) throws RejectedRecord {
    if (v.size() != Features.DIMENSION) {
      throw new RejectedRecord(Reason.WRONG_SHAPE, what + " has " + v.size() + " values, not " + Features.DIMENSION);
    }
    for (Double x : v) finite(what, x);
  }

  private static void clv(String what, ClvParameters p) throws RejectedRecord {
    finite(what + ", predictive parameters", p.getR(), p.getAlpha(), p.getA(), p.getB());
    for (Double x : new Double[] {p.getP(), p.getQ(), p.getGamma()}) {
      if (x != null) finite(what + ", spend parameters", x);
    }
    // +Infinity is a legitimate threshold (no sample yet); NaN never is.
    if (Double.isNaN(p.getHighValue()) || Double.isNaN(p.getTypicalValue())) {
      throw new RejectedRecord(Reason.NOT_FINITE, what + ": NaN value threshold");
    }
  }

  private static void finite(String what, double... values) throws RejectedRecord {
    for (double x : values) {
      if (!Double.isFinite(x)) throw new RejectedRecord(Reason.NOT_FINITE, what + ": " + x);
    }
  }
}
