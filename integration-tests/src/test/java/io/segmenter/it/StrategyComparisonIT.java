package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.generator.GeneratedEvent;
import io.segmenter.generator.GeneratorConfig;
import io.segmenter.generator.SyntheticGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Strategies judged by what customers do next (issue 21, first acceptance item), on a broker: on
 * generator data with its six personas, a challenger with the personas' true k ({@code true-k: k=6})
 * against a champion with k = 3, in two {@code run} processes of one deployment. After 120 days of
 * history (several 30-day outcome windows closed per customer), GET /strategies must give the same
 * complete figures on both instances (each sums every instance's tallies and samples). The table is
 * printed, with which strategy leads and how many centres each version of true-k had.
 *
 * <p>That the true k beats k = 3 on lift and separation is asserted where a seed gives one result:
 * {@code TrueKComparisonTest} (tools), the same data and settings through the real topology in one
 * task, four generator seeds. Here, when the deltas are cut depends on the wall clock and on how the two
 * instances interleave, so each run learns its own models, and whether a k = 6 model predicts better
 * than a k = 3 one is a property of the models that run learnt, which the comparison reports (it is
 * not what this test checks). Eleven runs on 2026-12-06 (2-core machine), after a name was kept further
 * than it is given ({@code SegmentNamer.KEEP_MAX_COST}) and the fixed-k refresh stopped merging what it
 * split: the instances agreed in all eleven; true-k led on separation in all eleven and on lift in ten:
 *
 * <pre>
 * run  true-k live  lift true-k / default  separation true-k / default  windows
 *  1        6           0.4069 / 0.3318          0.5299 / 0.4813            856
 *  2        5           0.4161 / 0.2953          0.5441 / 0.4815            690
 *  3        4           0.4368 / 0.3379          0.4843 / 0.4817            856
 *  4        6           0.2515 / 0.3123          0.5557 / 0.4817            856
 *  5        5           0.4251 / 0.3635          0.5421 / 0.4829            690
 *  6        6           0.4334 / 0.2981          0.5365 / 0.4820            856
 *  7        6           0.4269 / 0.3379          0.5517 / 0.4819            856
 *  8        5           0.4184 / 0.3613          0.5433 / 0.4815            856
 *  9        6           0.4438 / 0.2673          0.5525 / 0.4816            869
 * 10        6           0.4168 / 0.3380          0.5175 / 0.4816            856
 * 11        6           0.4099 / 0.3379          0.5312 / 0.4823            856
 * </pre>
 *
 * In run 4 true-k served 6 segments but one held 8 windows and an "At Risk" one 328 (purchase rate
 * 0.59, the overall rate): lapsing customers and loyal ones between orders in one segment. Before the
 * naming change, 8 of 9 runs led on both; the ninth had merged back to the champion's 3 segments and
 * tied on separation (17 of 19 before the fixed-k refresh, 2026-12-05). The windows differ between
 * runs because the first window that counts starts after both models exist.
 *
 * <p>The models as a user gets them, without the quick-first-model settings of
 * {@link SegmenterProcess#smallInstance}, except SEGMENTER_MODEL_WARMUP_POINTS (see
 * {@link #WARM_UP_POINTS}). The poll waits for a separation of every strategy.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StrategyComparisonIT {
  @RegisterExtension
  static final SharedKafka KAFKA = new SharedKafka();

  private static final String CHALLENGER = "true-k";
  private static final int CUSTOMERS = 400;
  private static final int DAYS = 120;
  /**
   * The first days go in first, so that both strategies have a model when the windows of the rest start;
   * 45 of them, so that the personas have diverged in the profiles the first model version is built from.
   */
  private static final int WARM_UP_DAYS = 45;
  /**
   * SEGMENTER_MODEL_WARMUP_POINTS, the one model setting not left at the user's default (1000): version 1 is
   * built from the first points taken (at most one a day per customer), and 1000 of 400 customers are
   * only the first days, when the personas still look alike; 5000 reach further into the 45 warm-up days.
   */
  private static final String WARM_UP_POINTS = "5000";
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The figures of a strategy that must agree across instances (a model's version may differ for a moment). */
  private static final List<String> FIGURES = List.of("name", "champion", "windows", "purchaseRate", "lift", "spread",
      "stability", "separation", "separationPoints", "segments");

  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = EmbeddedSchemaRegistry.start();
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) registry.close();
  }

  @Test
  void bothInstancesGiveTheSameComparisonOfTheTrueKAndKThree() throws Exception {
    Instant began = Instant.now();
    String app = SharedKafka.uniqueName("strategy-comparison");
    Map<String, String> cluster = StrategyRuns.cluster(KAFKA, registry.url(), app);
    Map<String, SegmenterProcess> running = new LinkedHashMap<>();
    try (Admin admin = KAFKA.admin()) {
      for (String name : List.of("run-1", "run-2")) {
        int port = SegmenterProcess.freePort();
        Map<String, String> env = SegmenterProcess.smallInstance(cluster, name, app, port, StrategyRuns.PARTITIONS);
        env.put("SEGMENTER_MODEL_K", "3");
        for (String quick : List.of("SEGMENTER_MODEL_MIN_BATCH_POINTS",
            "SEGMENTER_MODEL_DELTA_POINTS", "SEGMENTER_MODEL_DELTA_INTERVAL_MS")) {
          env.remove(quick);
        }
        env.put("SEGMENTER_MODEL_WARMUP_POINTS", WARM_UP_POINTS);
        env.put("SEGMENTER_STRATEGY_CHALLENGERS", CHALLENGER + ": k=6");
        env.put("SEGMENTER_CLV_ENABLED", "false");
        running.put(name, SegmenterProcess.start(name, env, port, "run"));
      }
      for (SegmenterProcess p : running.values()) p.awaitReady(DEADLINE);

      Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(DAYS));
      SyntheticGenerator generator = SyntheticGenerator.create(GeneratorConfig.defaults()
          .withCustomers(CUSTOMERS).withSpan(Duration.ofDays(DAYS)).withStart(start).withSeed(2101L));
      long warmUpEnd = start.plus(Duration.ofDays(WARM_UP_DAYS)).toEpochMilli();
      SegmenterConfig config = new SegmenterConfig(StrategyRuns.clientSettings(cluster, app));
      long events = 0;
      Iterator<GeneratedEvent> stream = generator.iterator();
      GeneratedEvent pending = null;
      try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
        while (stream.hasNext()) {
          GeneratedEvent e = stream.next();
          if (e.occurredAtMs() >= warmUpEnd) {
            pending = e;
            break;
          }
          sender.send(e.customerId(), e.event());
          events++;
        }
        sender.flush();
        System.out.printf("StrategyComparisonIT: warm-up %d days, %d events, warm-up points %s%n", WARM_UP_DAYS, events,
            WARM_UP_POINTS);
        StrategyRuns.await("a model of both strategies", DEADLINE, () -> StrategyRuns.endOffset(admin, app + "-model") > 0
            && StrategyRuns.endOffset(admin, app + "-model." + CHALLENGER) > 0);
        if (pending != null) {
          sender.send(pending.customerId(), pending.event());
          events++;
        }
        while (stream.hasNext()) {
          GeneratedEvent e = stream.next();
          sender.send(e.customerId(), e.event());
          events++;
        }
        sender.flush();
      }
      Instant produced = Instant.now();
      StrategyRuns.awaitInputConsumed(admin, app, cluster, DEADLINE);
      Instant consumed = Instant.now();

      // Each instance sums every instance's figures: poll until both answer in full and agree.
      List<SegmenterProcess> instances = new ArrayList<>(running.values());
      JsonNode[] answers = new JsonNode[instances.size()];
      StrategyRuns.await("the same complete comparison on both instances", DEADLINE, () -> {
        for (int i = 0; i < answers.length; i++) {
          answers[i] = StrategyRuns.strategies(instances.get(i));
          if (answers[i] == null || answers[i].path("partial").asBoolean(true)
              || answers[i].path("answered").asInt() != instances.size()) {
            return false;
          }
          for (JsonNode s : answers[i].path("strategies")) {
            if (s.path("windows").asLong() == 0 || !s.path("separation").isNumber()) return false;
          }
        }
        for (int i = 1; i < answers.length; i++) if (!figures(answers[i]).equals(figures(answers[0]))) return false;
        return true;
      });
      Instant agreed = Instant.now();

      JsonNode champion = strategy(answers[0], "default");
      JsonNode challenger = strategy(answers[0], CHALLENGER);
      System.out.printf("StrategyComparisonIT: %d customers, %d days, %d events; produced in %d s, consumed %d s later, "
          + "the same comparison on both instances %d s after that; %d s in all%n", CUSTOMERS, DAYS, events,
          Duration.between(began, produced).toSeconds(), Duration.between(produced, consumed).toSeconds(),
          Duration.between(consumed, agreed).toSeconds(), Duration.between(began, agreed).toSeconds());
      System.out.println(table(answers[0]));
      System.out.println("StrategyComparisonIT: centres per version of " + CHALLENGER + " (the versions still on "
          + "its compacted topic): " + centresPerVersion(app + "-model." + CHALLENGER));
      assertThat(champion.path("champion").asBoolean()).as("default is the champion").isTrue();
      assertThat(challenger.path("champion").asBoolean()).as("%s is a challenger", CHALLENGER).isFalse();
      // Both strategies judged on the same customer-windows, and each answer complete (the poll's conditions).
      assertThat(challenger.path("windows").asLong()).isEqualTo(champion.path("windows").asLong()).isPositive();
      assertThat(answers[0].path("leaders").path("lift").asText()).isIn("default", CHALLENGER);
      System.out.printf("StrategyComparisonIT: %s leads on lift (%s / %s), %s on separation (%s / %s)%n",
          answers[0].path("leaders").path("lift").asText(), challenger.path("lift"), champion.path("lift"),
          answers[0].path("leaders").path("separation").asText(), challenger.path("separation"),
          champion.path("separation"));
    } finally {
      running.values().forEach(SegmenterProcess::close);
    }
  }


  /**
   * How many centres each version of a strategy's model had, from its model topic (compacted: the
   * versions not yet compacted away), one digit per version (k is at most 8 here): where a fixed k
   * lost segments, and when.
   */
  private static String centresPerVersion(String modelTopic) {
    StringBuilder out = new StringBuilder();
    try (TopicReader<io.segmenter.internal.ModelVersion> reader = new TopicReader<>(KAFKA.bootstrapServers(), modelTopic,
        io.segmenter.topology.InternalSerdes.modelVersions().deserializer())) {
      for (var r : reader.readToEnd(DEADLINE)) {
        if (r.value() != null) out.append(io.segmenter.topology.ModelCodec.fromAvro(r.value()).kmeans().centres().size());
      }
    }
    return out.toString();
  }

  /** Per strategy, the figures that every instance must give alike. */
  private static JsonNode figures(JsonNode answer) {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode s : answer.path("strategies")) {
      ObjectNode o = out.addObject();
      for (String f : FIGURES) o.set(f, s.get(f));
    }
    return out;
  }

  private static JsonNode strategy(JsonNode answer, String name) {
    for (JsonNode s : answer.path("strategies")) if (name.equals(s.path("name").asText())) return s;
    throw new AssertionError("no strategy '" + name + "' in " + answer);
  }

  /** The comparison as a table: one line per strategy, then its segments. */
  static String table(JsonNode answer) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-10s %-9s %-9s %8s %8s %8s %8s %10s %10s%n",
        "strategy", "champion", "k (live)", "windows", "purchase", "lift", "spread", "stability", "separation"));
    for (JsonNode s : answer.path("strategies")) {
      b.append(String.format(Locale.ROOT, "%-10s %-9s %-9s %8d %8s %8s %8s %10s %10s%n", s.path("name").asText(),
          s.path("champion").asBoolean() ? "yes" : "", s.path("settings").path("k").asText() + " (" + s.path("k").asText() + ")",
          s.path("windows").asLong(), s.path("purchaseRate").asText(),
          s.path("lift").asText(), s.path("spread").asText(), s.path("stability").asText(), s.path("separation").asText()));
      for (JsonNode r : s.path("segments")) {
        b.append(String.format(Locale.ROOT, "    %-11d %-20s %7d windows, purchase rate %s, revenue/customer %s, "
            + "orders/customer %s, churn %s%n", r.path("id").asInt(), r.path("name").asText(), r.path("windows").asLong(),
            r.path("purchaseRate").asText(), r.path("revenuePerCustomer").asText(), r.path("ordersPerCustomer").asText(),
            r.path("churn").asText()));
      }
    }
    b.append("leaders: ").append(answer.path("leaders"));
    return b.toString();
  }
}
