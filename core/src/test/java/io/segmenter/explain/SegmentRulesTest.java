package io.segmenter.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SegmentRulesTest {
  private static final List<FeatureLabel> IRIS_FEATURES = List.of(FeatureLabel.number("sepal length", 1),
      FeatureLabel.number("sepal width", 1), FeatureLabel.number("petal length", 1),
      FeatureLabel.number("petal width", 1));

  @Test
  void irisAtDepth2GivesOneRulePerSpeciesWithSupportPrecisionAndFidelity() {
    Iris iris = Iris.load();
    Explanation e = SegmentRules.explain(iris.x, iris.y, IRIS_FEATURES, 2, 1);

    assertThat(e.rulesFor(0)).singleElement().satisfies(r -> {
      assertThat(r.text()).isEqualTo("petal length < 2.5");
      assertThat(r.support()).isEqualTo(50);
      assertThat(r.precision()).isEqualTo(1.0);
    });
    assertThat(e.rulesFor(1)).singleElement().satisfies(r -> {
      assertThat(r.text()).isEqualTo("petal length ≥ 2.5 and petal width < 1.8");
      assertThat(r.support()).isEqualTo(54);
      assertThat(r.hits()).isEqualTo(49);
      assertThat(r.precision()).isCloseTo(49.0 / 54, within(1e-12));
    });
    assertThat(e.rulesFor(2)).singleElement().satisfies(r -> {
      assertThat(r.text()).isEqualTo("petal length ≥ 2.5 and petal width ≥ 1.8");
      assertThat(r.support()).isEqualTo(46);
      assertThat(r.hits()).isEqualTo(45);
    });
    assertThat(e.fidelity()).isEqualTo(0.96);
    assertThat(e.sampleSize()).isEqualTo(150);
    assertThat(e.describe()).isEqualTo("""
        0: petal length < 2.5 (50 in the leaf, 100 % of them)
        1: petal length ≥ 2.5 and petal width < 1.8 (54 in the leaf, 91 % of them)
        2: petal length ≥ 2.5 and petal width ≥ 1.8 (46 in the leaf, 98 % of them)
        fidelity 96.0 % of 150
        """.replace("\n", System.lineSeparator()));
  }

  @Test
  void siblingLeavesOfTheSameLabelAreOneRuleAndConditionsOnAFeatureOneInterval() {
    // At depth 3, "petal length ≤ 4.85" parts two leaves that are both virginica: one rule, and
    // "petal length > 2.45 and > 4.95" is one bound.
    Iris iris = Iris.load();
    Explanation e = SegmentRules.explain(iris.x, iris.y, IRIS_FEATURES, 3, 1);

    assertThat(e.rulesFor(2)).extracting(Rule::text, Rule::support, Rule::hits).containsExactly(
        org.assertj.core.groups.Tuple.tuple("petal length ≥ 2.5 and petal width ≥ 1.8", 46, 45),
        org.assertj.core.groups.Tuple.tuple("petal length ≥ 5.0 and petal width < 1.8", 6, 4));
    assertThat(e.rulesFor(1)).extracting(Rule::text)
        .containsExactly("2.5 ≤ petal length < 5.0 and petal width < 1.8");
    assertThat(e.rulesFor(2).get(1).conditions()).extracting(Condition::feature)
        .containsExactly(Iris.PETAL_LENGTH, Iris.PETAL_WIDTH);
    assertThat(e.fidelity()).isCloseTo(146.0 / 150, within(1e-12));
    assertThat(e.tree().leaves()).hasSize(5);
  }

  @Test
  void countsInAnIntervalPrintAsWholeNumbers() {
    // Orders 1 to 12, the segment is 4 to 9 orders.
    double[][] x = new double[12][];
    int[] labels = new int[12];
    for (int i = 0; i < 12; i++) {
      x[i] = new double[] {i + 1};
      labels[i] = i + 1 >= 4 && i + 1 <= 9 ? 1 : 0;
    }
    Explanation e = SegmentRules.explain(x, labels, List.of(FeatureLabel.count("orders")), 2, 1);

    assertThat(e.rulesFor(1)).extracting(Rule::text).containsExactly("4 ≤ orders ≤ 9");
    assertThat(e.rulesFor(0)).extracting(Rule::text).containsExactly("orders ≤ 3", "orders ≥ 10");
    assertThat(e.fidelity()).isEqualTo(1.0);
  }

  @Test
  void everyBoundOnAFeatureAlongAPathIsMergedIntoTheTightestInterval() {
    List<DecisionTree.Step> path = List.of(new DecisionTree.Step(0, 9.5, true), new DecisionTree.Step(1, 30.5, true),
        new DecisionTree.Step(0, 3.5, false), new DecisionTree.Step(0, 6.5, true),
        new DecisionTree.Step(0, 1.5, false));
    DecisionTree.Leaf leaf = new DecisionTree.Leaf(3, 20, new java.util.TreeMap<>(java.util.Map.of(3, 15, 4, 5)));
    Rule rule = SegmentRules.ruleOf(leaf, path,
        List.of(FeatureLabel.count("orders"), FeatureLabel.days("days since last order")));

    assertThat(rule.text()).isEqualTo("4 ≤ orders ≤ 6 and days since last order ≤ 30");
    assertThat(rule.conditions()).containsExactly(new Condition(0, 3.5, 6.5, "4 ≤ orders ≤ 6"),
        new Condition(1, Double.NEGATIVE_INFINITY, 30.5, "days since last order ≤ 30"));
    assertThat(rule.label()).isEqualTo(3);
    assertThat(rule.precision()).isEqualTo(0.75);
    assertThat(rule.matches(new double[] {4, 30})).isTrue();
    assertThat(rule.matches(new double[] {7, 30})).isFalse();
    assertThat(rule.matches(new double[] {3, 30})).isFalse();
    assertThat(rule.matches(new double[] {5, 31})).isFalse();
  }

  @Test
  void aSegmentOfFrequentRecentBuyersReadsAsOrdersAndDays() {
    // Every pair of orders 1..8 and days since the last order among six values; the segment is
    // "4 or more orders, the last one 21 days ago or less". The tree tests days first (that split
    // alone lowers the impurity most), so the rule names days first.
    int[] days = {5, 10, 21, 22, 40, 60};
    List<double[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int orders = 1; orders <= 8; orders++) {
      for (int d : days) {
        rows.add(new double[] {orders, d, 10.0 * orders * d});
        labels.add(orders >= 4 && d <= 21 ? 1 : 0);
      }
    }
    List<FeatureLabel> features = List.of(FeatureLabel.count("orders"), FeatureLabel.days("days since last order"),
        FeatureLabel.money("net spend", "GBP"));
    Explanation e = SegmentRules.explain(rows.toArray(double[][]::new),
        labels.stream().mapToInt(Integer::intValue).toArray(), features, 2, 1);

    assertThat(e.rulesFor(1)).singleElement().satisfies(r -> {
      assertThat(r.text()).isEqualTo("days since last order ≤ 21 and orders ≥ 4");
      assertThat(r.support()).isEqualTo(15);
      assertThat(r.precision()).isEqualTo(1.0);
    });
    assertThat(((DecisionTree.Split) e.tree().root()).feature()).isEqualTo(1);
    assertThat(e.fidelity()).isEqualTo(1.0);
  }

  @Test
  void fidelityIsTheShareOfTheSampleThatTheTreePlacesAsTheModelDid() {
    // x = 1..10: 0 up to 5 and 1 above, but the model put x = 3 in segment 1. One split cannot
    // follow it: 9 of 10.
    double[][] x = new double[10][];
    int[] labels = new int[10];
    for (int i = 0; i < 10; i++) {
      x[i] = new double[] {i + 1};
      labels[i] = i + 1 > 5 || i + 1 == 3 ? 1 : 0;
    }
    Explanation e = SegmentRules.explain(x, labels, List.of(FeatureLabel.count("visits")), 1, 1);

    assertThat(e.fidelity()).isEqualTo(0.9);
    assertThat(e.rulesFor(0)).singleElement().satisfies(r -> {
      assertThat(r.text()).isEqualTo("visits ≤ 5");
      assertThat(r.support()).isEqualTo(5);
      assertThat(r.precision()).isEqualTo(0.8);
    });
    assertThat(e.rulesFor(1)).singleElement().satisfies(r -> {
      assertThat(r.text()).isEqualTo("visits ≥ 6");
      assertThat(r.precision()).isEqualTo(1.0);
    });
    assertThat(e.ruleFor(new double[] {3}).label()).as("the tree, not the model").isZero();
  }

  @Test
  void ruleForIsTheRuleOfTheLeafThatPredicts() {
    DecisionTreeTest.Sample s = DecisionTreeTest.Sample.random(3_000, 14, 21);
    Explanation e = SegmentRules.explain(s.x(), s.y(), customerFeatures(14), 4);
    List<Rule> all = e.rules().values().stream().flatMap(List::stream).toList();

    int placedAsTheModelDid = 0;
    for (int i = 0; i < s.x().length; i++) {
      double[] row = s.x()[i];
      Rule rule = e.ruleFor(row);
      assertThat(rule.label()).isEqualTo(e.tree().predict(row));
      assertThat(rule.matches(row)).isTrue();
      assertThat(e.rulesFor(rule.label())).contains(rule);
      assertThat(all.stream().filter(r -> r.matches(row))).containsExactly(rule);
      if (rule.label() == s.y()[i]) placedAsTheModelDid++;
    }
    assertThat(e.fidelity()).isEqualTo((double) placedAsTheModelDid / s.x().length);
    assertThat(all.stream().mapToInt(Rule::support).sum()).isEqualTo(3_000);
    for (List<Rule> rules : e.rules().values()) {
      assertThat(rules).extracting(Rule::support).isSortedAccordingTo(Collections.reverseOrder());
    }
  }

  @Test
  void theSameSampleGivesTheSameRules() {
    DecisionTreeTest.Sample s = DecisionTreeTest.Sample.random(5_000, 14, 4);
    Explanation a = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> SegmentRules.explain(s.x(), s.y(), customerFeatures(14), 4));
    Explanation b = SegmentRules.explain(s.x(), s.y(), customerFeatures(14), 4);
    assertThat(b.describe()).isEqualTo(a.describe());
    assertThat(b.rules()).isEqualTo(a.rules());
    assertThat(b.tree()).isEqualTo(a.tree());
    assertThat(a.tree().depth()).isLessThanOrEqualTo(4);
    assertThat(a.tree().leaves()).allSatisfy(l -> assertThat(l.samples()).isGreaterThanOrEqualTo(50));
  }

  @Test
  void aLabelThatLeadsNoLeafHasNoRule() {
    // Segments 0 and 1 sit apart; segment 2 is a few points scattered through both.
    Random r = new Random(9);
    double[][] x = new double[200][];
    int[] labels = new int[200];
    for (int i = 0; i < 200; i++) {
      x[i] = new double[] {i < 100 ? r.nextInt(10) : 20 + r.nextInt(10)};
      labels[i] = i % 10 == 0 ? 2 : i < 100 ? 0 : 1;
    }
    Explanation e = SegmentRules.explain(x, labels, List.of(FeatureLabel.count("orders")), 3);

    assertThat(e.rules()).containsKeys(0, 1, 2);
    assertThat(e.rulesFor(2)).isEmpty();
    assertThat(e.rulesFor(42)).as("not in the sample").isEmpty();
    assertThat(e.rulesFor(0)).isNotEmpty();
    assertThat(e.rulesFor(1)).isNotEmpty();
    assertThat(e.describe()).contains("2: no rule");
    assertThat(e.fidelity()).isEqualTo(0.9);
  }

  @Test
  void edgeCases() {
    List<FeatureLabel> two = List.of(FeatureLabel.count("orders"), FeatureLabel.percent("refund rate"));
    double[][] x = {{1, 0.1}, {2, 0.2}, {3, 0.3}, {4, 0.4}};

    Explanation oneClass = SegmentRules.explain(x, new int[] {5, 5, 5, 5}, two, 4, 1);
    assertThat(oneClass.rulesFor(5)).singleElement().satisfies(r -> {
      assertThat(r.text()).isEqualTo(Rule.EVERYONE);
      assertThat(r.conditions()).isEmpty();
      assertThat(r.support()).isEqualTo(4);
    });
    assertThat(oneClass.fidelity()).isEqualTo(1.0);
    assertThat(oneClass.ruleFor(new double[] {100, 1}).label()).isEqualTo(5);

    double[][] constant = {{2, 0.5}, {2, 0.5}, {2, 0.5}, {2, 0.5}};
    Explanation flat = SegmentRules.explain(constant, new int[] {1, 0, 1, 1}, two, 4, 1);
    assertThat(flat.rulesFor(1)).extracting(Rule::text, Rule::precision)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Rule.EVERYONE, 0.75));
    assertThat(flat.rulesFor(0)).isEmpty();
    assertThat(flat.fidelity()).isEqualTo(0.75);

    Explanation few = SegmentRules.explain(x, new int[] {0, 0, 1, 1}, two, 4, 10);
    assertThat(few.tree().root()).isInstanceOf(DecisionTree.Leaf.class);
    assertThat(few.rulesFor(0)).extracting(Rule::text).containsExactly(Rule.EVERYONE);
    assertThat(few.rulesFor(1)).isEmpty();
    assertThat(few.fidelity()).isEqualTo(0.5);

    Explanation onePoint = SegmentRules.explain(new double[][] {{3, 0.5}}, new int[] {7}, two, 4);
    assertThat(onePoint.rulesFor(7)).extracting(Rule::text).containsExactly(Rule.EVERYONE);
  }

  @Test
  void rejectsFeatureLabelsThatDoNotFitTheSample() {
    double[][] x = {{1, 0.1}, {2.5, 0.2}};
    int[] labels = {0, 1};
    assertThatThrownBy(() -> SegmentRules.explain(x, labels, List.of(FeatureLabel.count("orders")), 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 feature labels for 2 features");
    assertThatThrownBy(() -> SegmentRules.explain(x, labels,
        List.of(FeatureLabel.count("orders"), FeatureLabel.percent("refund rate")), 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'orders'").hasMessageContaining("2.5");
    assertThat(SegmentRules.explain(x, labels,
        List.of(FeatureLabel.number("recent orders", 1), FeatureLabel.percent("refund rate")), 2, 1).fidelity())
        .isEqualTo(1.0);
  }

  /** Names and kinds for DecisionTreeTest.Sample's columns, as a customer's features would print. */
  private static List<FeatureLabel> customerFeatures(int n) {
    List<FeatureLabel> f = new ArrayList<>();
    for (int i = 0; i < n; i++) f.add(FeatureLabel.number("feature " + i, 1));
    return f;
  }
}
