package io.segmenter.ops;

import static io.segmenter.profile.ProfileEvents.DAY;
import static io.segmenter.profile.ProfileEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, outputs that explain themselves: the HTTP JSON's numbers are rounded to what they mean
 * (money to cents with its currency beside it, whole counts as integers, no float noise such as
 * {@code 3.33e-15} or {@code 9.000000000000002}), and a feature's value says its scale.
 */
class NewcomerJsonNumbersTest {
  private static final ProfileConfig CFG = ProfileConfig.defaults();
  private static final long NOW = T0 + 10 * DAY;
  /** Any number in exponent notation, or with more decimals than any rounding rule keeps (4). */
  private static final Pattern NOISE = Pattern.compile("[0-9]\\.?[0-9]*[eE][-+]?[0-9]+|\\.[0-9]{5,}");

  /** Nine sessions (expm1(log1p(9)) is 9.000000000000002) and three orders of 30.01 EUR in all. */
  private static CustomerProfile profile() {
    List<Object> events = new ArrayList<>();
    for (int s = 1; s <= 9; s++) events.add(ProfileEvents.click("s" + s, ClickType.PAGE_VIEW, T0 + s * 3_600_000L, "books"));
    events.add(ProfileEvents.order("o1", OrderStatus.PLACED, "10.00", T0, "books"));
    events.add(ProfileEvents.order("o2", OrderStatus.PLACED, "10.00", T0 + DAY, "books"));
    events.add(ProfileEvents.order("o3", OrderStatus.PLACED, "10.01", T0 + 2 * DAY, "books"));
    CustomerProfile p = ProfileEvents.profileOf(events, CFG);
    p.setSegmentId(1);
    return p;
  }

  /**
   * Centre 1 of the model holds the round trip's leftovers the issue saw on /segments: 3.33e-15
   * orders, -1.1e-14 of average order value, 9.000000000000002 sessions.
   */
  private static ModelSnapshot noisyModel() {
    double[] raw = new double[Features.DIMENSION];
    raw[Features.ORDERS] = 3.33e-15;
    raw[Features.AVERAGE_ORDER_VALUE] = -1.1e-14;
    raw[Features.SESSIONS] = Math.log1p(9);
    raw[Features.NET_SPEND] = Math.log1p(1234.5678);
    raw[Features.RECENT_ORDERS] = Math.log1p(1.0 / 3);
    return TestModels.model(7, TestModels.standardise(raw), T0);
  }

  private static String customerJson(String currency) throws Exception {
    EvaluatorSettings settings = new EvaluatorSettings(CFG, 0.1, 90 * DAY, DAY, DAY, 100, 64, null);
    CustomerProfile p = profile();
    ModelSnapshot model = noisyModel();
    Assessment a = new CustomerEvaluator(settings).assess(p, model, NOW);
    return text(JsonViews.customer("c", p, model, NOW, a, CFG, currency, null));
  }

  @Test
  void segmentsCarryNoFloatNoiseAndSayTheirCurrency() throws Exception {
    String text = text(JsonViews.segments(noisyModel(), new io.segmenter.model.SegmentNamesSeen(), Map.of(1, 3L), false, 1, 1, "EUR"));
    System.out.printf("/segments: %s%n", text);
    JsonNode json = new ObjectMapper().readTree(text);
    JsonNode centre = json.at("/segments/1/centre");

    assertThat(json.get("currency").asText()).isEqualTo("EUR");
    assertThat(json.at("/centreUnits/net_spend").asText()).isEqualTo("EUR");
    assertThat(json.at("/centreUnits/recency_days").asText()).isEqualTo("days");
    assertThat(centre.get("orders").asDouble()).isZero();
    assertThat(centre.get("average_order_value").decimalValue()).isEqualByComparingTo("0");
    assertThat(centre.get("sessions").asDouble()).isEqualTo(9.0);
    assertThat(centre.get("net_spend").toString()).isEqualTo("1234.57");
    assertThat(centre.get("recent_orders").asDouble()).isEqualTo(0.33);
    assertThat(noise(text)).as("numbers with float noise").isEmpty();
  }

  @Test
  void aCustomersCountsAreIntegersAndMoneyIsInCents() throws Exception {
    String text = customerJson("EUR");
    System.out.printf("/customers/{id}: %s%n", text);
    JsonNode json = new ObjectMapper().readTree(text);

    JsonNode sessions = json.at("/features/sessions/original");
    assertThat(sessions.isIntegralNumber()).as("sessions: " + sessions).isTrue();
    assertThat(sessions.asLong()).isEqualTo(9);
    assertThat(json.at("/features/orders/original").isIntegralNumber()).isTrue();
    assertThat(json.at("/profile/currency").asText()).isEqualTo("EUR");
    assertThat(json.at("/profile/netSpend").toString()).isEqualTo("30.01");
    // Money keeps its cents in the text even when they are zero (a parser may read 10.00 as 10.0).
    assertThat(text).contains("\"averageOrderValue\":10.00");
    assertThat(json.at("/features/net_spend/original").toString()).isEqualTo("30.01");
    assertThat(json.at("/features/net_spend/unit").asText()).isEqualTo("EUR");
    assertThat(json.at("/features/average_order_value/unit").asText()).isEqualTo("EUR");
    // A decayed count is not whole by nature: two decimals.
    assertThat(json.at("/profile/recentOrders").asDouble() * 100).isEqualTo(Math.rint(json.at("/profile/recentOrders").asDouble() * 100));
    assertThat(json.at("/features/recent_orders/unit").asText()).isEqualTo("decayed count");
    for (JsonNode f : json.at("/why/topFeatures")) assertThat(f.has("unit")).isTrue();
    // Only the model-space numbers (log values, standardised values, distances) keep their precision.
    assertThat(noise(text)).noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT).contains("e"));
  }

  @Test
  void moneyFollowsTheCurrencysMinorUnit() throws Exception {
    JsonNode json = new ObjectMapper().readTree(customerJson("JPY"));
    assertThat(json.at("/profile/netSpend").toString()).isEqualTo("30");
    assertThat(json.at("/profile/currency").asText()).isEqualTo("JPY");
  }

  @Test
  void aFeaturesValueSaysItsScale() throws Exception {
    JsonNode json = new ObjectMapper().readTree(customerJson("EUR"));
    for (int i = 0; i < Features.DIMENSION; i++) {
      JsonNode f = json.at("/features/" + Features.NAMES.get(i));
      assertThat(f.get("scale").asText()).as(Features.NAMES.get(i)).isEqualTo(Features.isLogTransformed(i) ? "log1p" : "linear");
      assertThat(f.get("unit").asText()).as(Features.NAMES.get(i)).isNotBlank();
    }
    assertThat(json.at("/features/sessions/value").asDouble()).isEqualTo(Math.log1p(9));
    assertThat(json.at("/features/refund_rate/scale").asText()).isEqualTo("linear");
  }

  /** The numbers in the text that are noise: exponent notation, or five decimals and more. */
  private static List<String> noise(String text) {
    List<String> found = new ArrayList<>();
    Matcher m = NOISE.matcher(text);
    while (m.find()) found.add(m.group());
    return found;
  }

  private static String text(ObjectNode node) {
    return new String(OpsResponse.json(200, node).body(), StandardCharsets.UTF_8);
  }
}
