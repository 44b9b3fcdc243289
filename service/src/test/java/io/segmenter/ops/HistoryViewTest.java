package io.segmenter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.events.ChangeReason;
import io.segmenter.model.Centre;
import io.segmenter.model.Features;
import io.segmenter.model.KMeansModel;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentNamesSeen;
import io.segmenter.profile.ChangeHistory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "history" of GET /customers/{id} as JSON: names from the current model, ISO times, nulls for "none". */
class HistoryViewTest {
  private static final long T = Instant.parse("2026-12-05T16:59:01Z").toEpochMilli();

  @Test
  void eachChangeShowsItsSegmentsByTheirCurrentNamesAndRetiredOnesAsSuch() throws Exception {
    ModelSnapshot model = TestModels.model(72, new double[Features.DIMENSION], T); // centres 0, 1 (Loyal), 4
    ChangeHistory history = new ChangeHistory(List.of(
        new ChangeHistory.Entry(3, T, T - 2_000, 1, 1, ChangeReason.PREDICTIVE, 72, 3, 0),
        new ChangeHistory.Entry(2, T - 60_000, T - 61_000, 7, 1, ChangeReason.MODEL, 71, ChangeHistory.NONE, 3),
        new ChangeHistory.Entry(1, T - 120_000, T - 121_000, ChangeHistory.NONE, 7, ChangeReason.EVENT, 70,
            ChangeHistory.NONE, ChangeHistory.NONE)));

    JsonNode json = new ObjectMapper().readTree(OpsResponse.json(200, JsonViews.history(history, model, new SegmentNamesSeen())).body());

    assertThat(json).hasSize(3);
    JsonNode newest = json.get(0);
    assertThat(newest.get("sequence").asLong()).isEqualTo(3);
    assertThat(newest.get("at").asText()).isEqualTo("2026-12-05T16:59:01Z");
    assertThat(newest.get("eventTime").asText()).isEqualTo("2026-12-05T16:58:59Z");
    assertThat(newest.at("/from/name").asText()).isEqualTo("Loyal");
    assertThat(newest.at("/to/id").asInt()).isEqualTo(1);
    assertThat(newest.get("reason").asText()).isEqualTo("PREDICTIVE");
    assertThat(newest.get("modelVersion").asLong()).isEqualTo(72);
    assertThat(newest.at("/predictive/from").asText()).isEqualTo("REGULAR");
    assertThat(newest.at("/predictive/to").asText()).isEqualTo("HIGH_CHURN_RISK");
    assertThat(json.get(1).at("/from/name").asText()).as("an id the model no longer has").isEqualTo("segment 7 (retired)");
    assertThat(json.get(1).at("/predictive/from").isNull()).isTrue();
    assertThat(json.get(2).get("from").isNull()).as("a first assignment leaves no segment").isTrue();
    assertThat(json.get(2).at("/to/id").asInt()).isEqualTo(7);
  }

  @Test
  void aRetiredSegmentKeepsTheNameThisInstanceLastSawItUnder() throws Exception {
    ModelSnapshot older = TestModels.model(70, new double[Features.DIMENSION], T - 120_000); // 0, 1 (Loyal), 4
    // The newest version has dropped centre 1 and never had centre 7.
    KMeansModel kmeans = new KMeansModel(72, Features.DIMENSION, List.of(
        new Centre(0, new double[Features.DIMENSION], 40.0, 1, 72, null)), 5, 0.95);
    ModelSnapshot newest = new ModelSnapshot(kmeans, TestModels.scaler(), Map.of(0, "Hibernating"), T);
    SegmentNamesSeen seen = new SegmentNamesSeen();
    seen.add(older);
    seen.add(newest);
    ChangeHistory history = new ChangeHistory(List.of(
        new ChangeHistory.Entry(2, T, T, 1, 0, ChangeReason.MODEL, 72, ChangeHistory.NONE, ChangeHistory.NONE),
        new ChangeHistory.Entry(1, T - 1, T - 1, 7, 1, ChangeReason.EVENT, 70, ChangeHistory.NONE, ChangeHistory.NONE)));

    JsonNode json = new ObjectMapper().readTree(OpsResponse.json(200, JsonViews.history(history, newest, seen)).body());

    assertThat(json.get(0).at("/from/name").asText()).isEqualTo("Loyal (retired)");
    assertThat(json.get(0).at("/to/name").asText()).isEqualTo("Hibernating");
    assertThat(json.get(1).at("/from/name").asText()).as("never seen here").isEqualTo("segment 7 (retired)");
  }
}
