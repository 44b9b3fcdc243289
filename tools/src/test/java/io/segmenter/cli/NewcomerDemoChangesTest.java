package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ChangeReason;
import io.segmenter.events.PredictiveScores;
import io.segmenter.events.PredictiveSegment;
import io.segmenter.events.SegmentChange;
import io.segmenter.events.SegmentRef;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, outputs that explain themselves: a change of the predictive segment alone used to show
 * as "Champions -> Champions (PREDICTIVE)", a third of the demo's lines saying nothing. The line
 * now says what moved: the predictive segment, from and to.
 */
class NewcomerDemoChangesTest {
  private static final Instant AT = Instant.parse("2026-11-23T17:01:02Z");

  private static SegmentChange change(String from, String to, ChangeReason reason, PredictiveSegment predictiveFrom,
      PredictiveSegment predictiveTo) {
    SegmentChange.Builder b = SegmentChange.newBuilder()
        .setCustomerId("cust-000394")
        .setSequence(4)
        .setPreviousSegment(from == null ? null : new SegmentRef(1, from))
        .setNewSegment(new SegmentRef(2, to))
        .setReason(reason)
        .setModelVersion(34)
        .setEventTime(AT)
        .setProcessingTime(AT)
        .setPreviousPredictiveSegment(predictiveFrom);
    if (predictiveTo != null) {
      b.setPredictiveScores(PredictiveScores.newBuilder().setSegment(predictiveTo).setSince(AT).setPAlive(0.2)
          .setExpectedPurchases30d(0.1).setExpectedPurchases90d(0.3).setParametersFittedAt(AT).build());
    }
    return b.build();
  }

  private static String line(SegmentChange c) {
    DemoSnapshot s = new DemoSnapshot(Duration.ofSeconds(60), null,
        new DemoSnapshot.Endpoints("localhost:9092", "http://127.0.0.1:8081", "http://localhost:8080", null),
        new DemoSnapshot.Input(10, 10, 1.0, 0, 0, 10, 10, 0), null, 1, List.of(ChangeFeed.row(c)));
    List<String> lines = new DemoView(ZoneOffset.UTC).lines(s);
    String last = lines.get(lines.size() - 1);
    System.out.printf("demo change line: %s%n", last);
    return last;
  }

  @Test
  void aPredictiveChangeSaysWhichPredictiveSegmentsItMovedBetween() {
    String line = line(change("Champions", "Champions", ChangeReason.PREDICTIVE, PredictiveSegment.REGULAR,
        PredictiveSegment.HIGH_CHURN_RISK));
    assertThat(line).isEqualTo("  17:01:02  cust-000394  Champions; predictive: Regular -> High churn risk  (PREDICTIVE)");
    assertThat(line).doesNotContain("Champions -> Champions");
  }

  @Test
  void aChangeOfBothSaysBoth() {
    assertThat(line(change("Loyal", "At Risk", ChangeReason.EVENT, PredictiveSegment.HIGH_VALUE_STABLE,
        PredictiveSegment.REGULAR)))
        .isEqualTo("  17:01:02  cust-000394  Loyal -> At Risk; predictive: High value, stable -> Regular  (EVENT)");
  }

  @Test
  void aFirstPredictiveSegmentComesFromNone() {
    assertThat(line(change(null, "New Customers", ChangeReason.EVENT, null, PredictiveSegment.NEW_WITH_POTENTIAL)))
        .isEqualTo("  17:01:02  cust-000394  (none) -> New Customers; predictive: (none) -> New, with potential  (EVENT)");
  }

  @Test
  void anUnchangedPredictiveSegmentIsNotRepeated() {
    assertThat(line(change("Loyal", "At Risk", ChangeReason.INACTIVITY, PredictiveSegment.REGULAR,
        PredictiveSegment.REGULAR))).isEqualTo("  17:01:02  cust-000394  Loyal -> At Risk  (INACTIVITY)");
  }
}
