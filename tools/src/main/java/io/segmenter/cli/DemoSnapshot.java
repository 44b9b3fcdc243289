package io.segmenter.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the demo shows at one moment: everything {@link DemoView} needs, and nothing it has to look
 * up. Built by {@link DemoRun} once per refresh.
 *
 * @param uptime time since the demo started
 * @param remaining time until {@code --duration} ends it, null when it runs until Ctrl-C
 * @param endpoints where to attach
 * @param input what was produced and what segmenter has processed
 * @param model the newest model version and its segments, null before the first version
 * @param changesTotal segment changes read so far
 * @param lastChanges the newest segment changes, newest last
 */
record DemoSnapshot(Duration uptime, Duration remaining, Endpoints endpoints, Input input, Model model,
    long changesTotal, List<ChangeRow> lastChanges) {

  DemoSnapshot {
    lastChanges = List.copyOf(lastChanges);
  }

  /** Addresses printed for the user; log is null when logs go elsewhere. */
  record Endpoints(String bootstrapServers, String registryUrl, String httpBase, String logFile) { }

  /**
   * @param historyProduced history events acknowledged by the broker
   * @param historyTotal events of the whole generated history
   * @param historySeconds how long producing the history took, null while it runs
   * @param liveProduced live events acknowledged
   * @param inRate events per second produced (history or live) since the previous refresh
   * @param processed input records segmenter has processed and committed, -1 when not known
   * @param inputEnd input records in the topics (end offsets), -1 when not known
   * @param processRate processed records per second since the previous refresh
   */
  record Input(long historyProduced, long historyTotal, Double historySeconds, long liveProduced, double inRate,
      long processed, long inputEnd, double processRate) { }

  /**
   * @param version model version
   * @param currency currency of the spend column
   * @param segments one row per centre, in centre id order
   */
  record Model(long version, String currency, List<SegmentRow> segments) {
    Model {
      segments = List.copyOf(segments);
    }
  }

  /** A centre with its population; R, F, M are the centre's own values in original units. */
  record SegmentRow(int id, String name, long customers, double recencyDays, double orders, double netSpend) { }

  /**
   * One segment change; from/to are segment names, predictiveFrom/predictiveTo the predictive
   * segment's readable labels before and after (null for none). A PREDICTIVE change keeps the
   * segment (from equals to) and moves only the predictive one, so the view needs both to say what changed.
   */
  record ChangeRow(Instant at, String customerId, String from, String to, String reason, String predictiveFrom,
      String predictiveTo) {
    /** A change without predictive segments (scoring off). */
    ChangeRow(Instant at, String customerId, String from, String to, String reason) {
      this(at, customerId, from, to, reason, null, null);
    }

    /** Whether the predictive segment moved (including into or out of none). */
    boolean predictiveChanged() {
      return !java.util.Objects.equals(predictiveFrom, predictiveTo);
    }
  }
}
