package io.segmenter.ops;

import static io.segmenter.profile.ProfileEvents.DAY;
import static io.segmenter.profile.ProfileEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmenter.evaluation.Assessment;
import io.segmenter.evaluation.CustomerEvaluator;
import io.segmenter.evaluation.EvaluatorSettings;
import io.segmenter.events.ClickType;
import io.segmenter.events.OrderStatus;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileConfig;
import io.segmenter.profile.ProfileEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonViewsTest {
  private static final ProfileConfig CFG = ProfileConfig.defaults();
  private static final long NOW = T0 + 10 * DAY;

  /** Two placed orders (50 + 30 EUR, days 0 and 4), one returned (day 5), a session with a cart add. */
  private static CustomerProfile profile() {
    return ProfileEvents.profileOf(List.of(
        ProfileEvents.order("o1", OrderStatus.PLACED, "50.00", T0, "books"),
        ProfileEvents.order("o2", OrderStatus.PLACED, "30.00", T0 + 4 * DAY, "toys"),
        ProfileEvents.order("o2", OrderStatus.RETURNED, "30.00", T0 + 5 * DAY),
        ProfileEvents.click("s1", ClickType.PRODUCT_VIEW, T0 + 6 * DAY, "toys"),
        ProfileEvents.click("s1", ClickType.ADD_TO_CART, T0 + 6 * DAY + 1000, "toys")), CFG);
  }

  /** The view as /customers renders it: the evaluator's assessment at NOW, without predictive settings. */
  private static ObjectNode customerView(String id, CustomerProfile p, ModelSnapshot model) {
    EvaluatorSettings settings = new EvaluatorSettings(CFG, 0.1, 90 * DAY, DAY, DAY, 100, 64, null);
    Assessment a = new CustomerEvaluator(settings).assess(p, model, NOW);
    return JsonViews.customer(id, p, model, NOW, a, CFG, "EUR", null);
  }

  @Test
  void customerViewPlacesTheCustomerAgainstTheModel() throws Exception {
    CustomerProfile p = profile();
    p.setSegmentId(1);
    p.setSegmentSince(T0 + 4 * DAY);
    p.setChangeSequence(2);
    p.setAssignedModelVersion(7);
    double[] raw = Features.of(p, NOW, CFG);
    // Centre 1 sits exactly on the customer (standardised), so it is the nearest at distance 0.
    ModelSnapshot model = TestModels.model(9, TestModels.standardise(raw), T0);

    ObjectNode view = customerView("customer-42", p, model);
    JsonNode json = roundTrip(view);

    assertThat(json.get("customerId").asText()).isEqualTo("customer-42");
    assertThat(json.at("/segment/id").asInt()).isEqualTo(1);
    assertThat(json.at("/segment/name").asText()).isEqualTo("Loyal");
    assertThat(json.at("/segment/since").asText()).isEqualTo(Instant.ofEpochMilli(T0 + 4 * DAY).toString());
    assertThat(json.at("/segment/changeSequence").asLong()).isEqualTo(2);
    assertThat(json.at("/segment/assignedByModelVersion").asLong()).isEqualTo(7);
    assertThat(json.get("modelVersion").asLong()).isEqualTo(9);
    assertThat(json.get("featuresAt").asText()).isEqualTo(Instant.ofEpochMilli(NOW).toString());
    assertThat(json.get("distance").asDouble()).isCloseTo(0.0, within(1e-9));
    assertThat(json.at("/nearest/id").asInt()).isEqualTo(1);
    assertThat(json.at("/nearest/name").asText()).isEqualTo("Loyal");

    assertThat(json.get("features").size()).isEqualTo(Features.DIMENSION);
    assertThat(json.at("/features/orders/original").asDouble()).isCloseTo(2.0, within(1e-9));
    assertThat(json.at("/features/orders/value").asDouble()).isCloseTo(Math.log1p(2), within(1e-12));
    assertThat(json.at("/features/orders/standardised").asDouble())
        .isCloseTo((Math.log1p(2) - TestModels.MEAN) / TestModels.SD, within(1e-12));
    assertThat(json.at("/features/net_spend/original").asDouble()).isCloseTo(50.0, within(1e-9));
    assertThat(json.at("/features/recency_days/original").asDouble()).isCloseTo(6.0, within(1e-9));
    assertThat(json.at("/features/days_since_visit/original").asDouble()).isCloseTo(4.0, within(1e-4));
    assertThat(json.at("/features/refund_rate/value").asDouble()).isCloseTo(0.5, within(1e-12));

    assertThat(json.at("/profile/orders").asLong()).isEqualTo(2);
    assertThat(json.at("/profile/returns").asLong()).isEqualTo(1);
    assertThat(json.at("/profile/netSpend").decimalValue()).isEqualByComparingTo("50");
    assertThat(json.at("/profile/currency").asText()).isEqualTo("EUR");
    assertThat(json.at("/profile/averageOrderValue").asDouble()).isCloseTo(25.0, within(1e-9));
    assertThat(json.at("/profile/lastOrderAt").asText()).isEqualTo(Instant.ofEpochMilli(T0 + 4 * DAY).toString());
    assertThat(json.at("/profile/sessions").asLong()).isEqualTo(1);
    assertThat(json.at("/profile/cartAdds").asLong()).isEqualTo(1);
    assertThat(json.at("/profile/firstSeenAt").asText()).isEqualTo(Instant.ofEpochMilli(T0).toString());
  }

  @Test
  void distanceIsToTheAssignedCentreEvenWhenAnotherIsNearer() throws Exception {
    CustomerProfile p = profile();
    p.setSegmentId(4); // the origin, held by hysteresis; centre 1 is on the customer
    double[] z = TestModels.standardise(Features.of(p, NOW, CFG));
    ModelSnapshot model = TestModels.model(3, z, T0);

    JsonNode json = roundTrip(customerView("c", p, model));

    assertThat(json.at("/segment/name").asText()).isEqualTo("New Customers");
    assertThat(json.get("distance").asDouble()).isCloseTo(io.segmenter.model.KMeansModel.distance(z, new double[z.length]),
        within(1e-9)).isGreaterThan(0.1);
    assertThat(json.at("/nearest/id").asInt()).isEqualTo(1);
    assertThat(json.at("/segment/assignedByModelVersion").isNull()).isTrue();
  }

  @Test
  void customerWithoutModelOrSegmentHasNullsNotNumbers() throws Exception {
    CustomerProfile p = profile();
    JsonNode json = roundTrip(customerView("c", p, null));

    assertThat(json.get("segment").isNull()).isTrue();
    assertThat(json.get("modelVersion").isNull()).isTrue();
    assertThat(json.get("distance").isNull()).isTrue();
    assertThat(json.get("nearest").isNull()).isTrue();
    assertThat(json.at("/features/orders/original").asDouble()).isCloseTo(2.0, within(1e-9));
    assertThat(json.at("/features/orders").has("standardised")).isFalse();
  }

  @Test
  void customerWhoseCentreWasReseededAwayHasNoDistance() throws Exception {
    CustomerProfile p = profile();
    p.setSegmentId(2); // no centre 2 in this version (4 replaced it)
    JsonNode json = roundTrip(customerView("c", p, TestModels.model(5, new double[Features.DIMENSION], T0)));
    assertThat(json.at("/segment/id").asInt()).isEqualTo(2);
    assertThat(json.at("/segment/name").asText()).isEqualTo("Segment 2");
    assertThat(json.get("distance").isNull()).isTrue();
    assertThat(json.at("/nearest/id").isInt()).isTrue();
  }

  @Test
  void modelViewListsCentresAndFeatureStatistics() throws Exception {
    ModelSnapshot model = TestModels.model(12, new double[Features.DIMENSION], T0 + DAY);
    JsonNode json = roundTrip(JsonViews.model(model, "EUR"));

    assertThat(json.get("version").asLong()).isEqualTo(12);
    assertThat(json.get("k").asInt()).isEqualTo(3);
    assertThat(json.get("createdAt").asText()).isEqualTo(Instant.ofEpochMilli(T0 + DAY).toString());
    assertThat(json.get("centres").findValuesAsText("name")).containsExactly("Hibernating", "Loyal", "New Customers");
    assertThat(json.at("/centres/2/id").asInt()).isEqualTo(4);
    assertThat(json.at("/centres/2/replacesId").asInt()).isEqualTo(2);
    assertThat(json.at("/centres/0/replacesId").isNull()).isTrue();
    assertThat(json.at("/centres/1/weight").asDouble()).isEqualTo(60.0);
    assertThat(json.get("features").size()).isEqualTo(Features.DIMENSION);
    assertThat(json.at("/features/orders/mean").asDouble()).isCloseTo(TestModels.MEAN, within(1e-12));
    assertThat(json.at("/features/orders/standardDeviation").asDouble()).isCloseTo(TestModels.SD, within(1e-12));
    assertThat(json.at("/features/orders/weight").asDouble()).isEqualTo(TestModels.WEIGHT);
    assertThat(json.at("/features/orders/transform").asText()).isEqualTo("log1p");
    assertThat(json.at("/features/refund_rate/transform").asText()).isEqualTo("none");
  }

  @Test
  void segmentsViewJoinsCentresAndPopulations() throws Exception {
    CustomerProfile p = profile();
    double[] z = TestModels.standardise(Features.of(p, NOW, CFG));
    ModelSnapshot model = TestModels.model(4, z, T0);
    Map<Integer, Long> populations = Map.of(0, 5L, 1, 7L, 9, 3L);

    JsonNode json = roundTrip(JsonViews.segments(model, new io.segmenter.model.SegmentNamesSeen(), populations, true, 3, 2, "EUR"));

    assertThat(json.get("modelVersion").asLong()).isEqualTo(4);
    assertThat(json.get("customers").asLong()).isEqualTo(15);
    assertThat(json.get("partial").asBoolean()).isTrue();
    assertThat(json.get("instances").asInt()).isEqualTo(3);
    assertThat(json.get("instancesAnswered").asInt()).isEqualTo(2);
    JsonNode segments = json.get("segments");
    assertThat(segments.findValues("id")).extracting(JsonNode::asInt).containsExactly(0, 1, 4, 9);
    assertThat(segments.findValues("population")).extracting(JsonNode::asLong).containsExactly(5L, 7L, 0L, 3L);
    assertThat(segments.get(1).get("name").asText()).isEqualTo("Loyal");
    assertThat(segments.get(1).get("share").asDouble()).isCloseTo(7.0 / 15, within(5e-4));
    // Centre 1 is this customer's own feature vector: in original units it has 2 orders, 50 EUR spend.
    assertThat(segments.get(1).at("/centre/orders").asDouble()).isCloseTo(2.0, within(1e-9));
    assertThat(segments.get(1).at("/centre/net_spend").asDouble()).isCloseTo(50.0, within(1e-9));
    assertThat(segments.get(1).get("centre").size()).isEqualTo(Features.DIMENSION);
    assertThat(segments.get(3).get("inModel").asBoolean()).isFalse();
    assertThat(segments.get(3).get("centre").isNull()).isTrue();
    assertThat(segments.get(3).get("name").asText()).as("never seen by this instance").isEqualTo("segment 9 (retired)");
  }

  @Test
  void aSegmentThatStillHoldsCustomersButLeftTheModelKeepsItsLastName() throws Exception {
    ModelSnapshot model = TestModels.model(4, new double[Features.DIMENSION], T0); // centres 0, 1 (Loyal), 4
    io.segmenter.model.SegmentNamesSeen older = new io.segmenter.model.SegmentNamesSeen();
    older.add(TestModels.model(3, new double[Features.DIMENSION], T0));
    ModelSnapshot withoutLoyal = new ModelSnapshot(new io.segmenter.model.KMeansModel(5, Features.DIMENSION,
        java.util.List.of(model.kmeans().centre(0)), 5, 0.95), TestModels.scaler(), Map.of(0, "Hibernating"), T0);
    JsonNode later = roundTrip(JsonViews.segments(withoutLoyal, older, Map.of(0, 1L, 1, 2L), false, 1, 1, "EUR"));
    assertThat(later.at("/segments/1/name").asText()).isEqualTo("Loyal (retired)");
    assertThat(later.at("/segments/1/inModel").asBoolean()).isFalse();
  }

  @Test
  void segmentsViewBeforeTheFirstModelListsPopulationsOnly() throws Exception {
    JsonNode json = roundTrip(JsonViews.segments(null, new io.segmenter.model.SegmentNamesSeen(), Map.of(-1, 4L), false, 1, 1, "EUR"));
    assertThat(json.get("modelVersion").isNull()).isTrue();
    assertThat(json.get("partial").asBoolean()).isFalse();
    assertThat(json.get("segments")).hasSize(1);
    assertThat(json.at("/segments/0/population").asLong()).isEqualTo(4);
    assertThat(json.at("/segments/0/inModel").asBoolean()).isFalse();
  }

  /** Through bytes, as a client sees it: also proves the document is valid JSON (no NaN). */
  /**
   * The explanation on all three views: descriptions and rules on /segments, the choice of k and the
   * fidelity on /model, and on /customers the rule that places the customer and the features that
   * weigh most. The tree is fitted to points around the model's centres, labelled by the nearest.
   */
  @Test
  void theViewsCarryTheExplanationAndTheChoiceOfK() throws Exception {
    CustomerProfile p = profile();
    p.setSegmentId(1);
    p.setAssignedModelVersion(9);
    double[] raw = Features.of(p, NOW, CFG);
    ModelSnapshot base = TestModels.model(9, TestModels.standardise(raw), T0);
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    int n = 300;
    double[][] x = new double[n][];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      io.segmenter.model.Centre c = base.kmeans().centres().get(i % 3);
      double[] point = new double[Features.DIMENSION];
      for (int f = 0; f < point.length; f++) point[f] = TestModels.MEAN + TestModels.SD * (c.position()[f] + 0.2 * r.nextGaussian());
      labels[i] = base.kmeans().nearest(base.standardise(point)).centreId();
      x[i] = io.segmenter.model.FeatureLabels.readable(point);
    }
    io.segmenter.explain.Explanation explanation =
        io.segmenter.explain.SegmentRules.explain(x, labels, io.segmenter.model.FeatureLabels.ALL, 4);
    ModelSnapshot model = base.withNotes(new io.segmenter.model.ModelNotes(n, n, Map.of(0, 100L, 1, 100L, 4, 100L),
        List.of(), new io.segmenter.model.ModelNotes.ClusterCount(5, 0.41, 9,
            Map.of(5, new double[] {0.41, 120.0}, 6, new double[] {0.38, 110.0})), explanation));

    JsonNode segments = roundTrip(JsonViews.segments(model, new io.segmenter.model.SegmentNamesSeen(), Map.of(1, 3L), false, 1, 1, "EUR"));
    JsonNode loyal = segments.get("segments").get(1);
    assertThat(loyal.get("name").asText()).isEqualTo("Loyal");
    assertThat(loyal.get("description").asText()).isEqualTo(io.segmenter.model.SegmentName.LOYAL.description());
    assertThat(loyal.get("rules").size()).isEqualTo(explanation.rulesFor(1).size()).isPositive();
    assertThat(loyal.get("rules").get(0).get("rule").asText()).isEqualTo(explanation.rulesFor(1).get(0).text());
    assertThat(segments.get("explanation").get("fidelity").asDouble()).isCloseTo(explanation.fidelity(), within(5e-4));

    JsonNode m = roundTrip(JsonViews.model(model, "EUR"));
    assertThat(m.get("clusterCount").get("k").asInt()).isEqualTo(5);
    assertThat(m.get("clusterCount").get("tried").size()).isEqualTo(2);
    assertThat(m.get("explanation").get("sample").asInt()).isEqualTo(n);
    assertThat(m.get("centres").get(1).get("description").asText()).isNotBlank();

    JsonNode why = roundTrip(customerView("c", p, model)).get("why");
    assertThat(why.get("rule").get("text").asText())
        .isEqualTo(explanation.ruleFor(io.segmenter.model.FeatureLabels.readable(raw)).text());
    assertThat(why.get("topFeatures").size()).isEqualTo(3);
    for (JsonNode f : why.get("topFeatures")) assertThat(Features.NAMES).contains(f.get("feature").asText());
    // Without an explanation (a model of an older release): no rule, and still the features.
    JsonNode plain = roundTrip(customerView("c", p, base)).get("why");
    assertThat(plain.get("rule").isNull()).isTrue();
    assertThat(plain.get("topFeatures").size()).isEqualTo(3);
  }

  private static JsonNode roundTrip(ObjectNode node) throws Exception {
    byte[] bytes = OpsResponse.json(200, node).body();
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .readTree(bytes);
  }
}
