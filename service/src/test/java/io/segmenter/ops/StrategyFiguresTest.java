package io.segmenter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmenter.strategy.OutcomeTally;
import io.segmenter.strategy.Separation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strategies' part of the populations round: what one instance sends, and what a peer's answer costs. */
class StrategyFiguresTest {
  @Test
  void anInstancesFiguresGoThroughJsonUnchangedAndAddUp() throws Exception {
    StrategyFigures mine = new StrategyFigures(Map.of("k6", Map.of(7, new OutcomeTally(40, 30, 50, 1_234.5, 2))),
        Map.of("k6", new Separation(12.5, 25)));
    JsonNode answer = OpsResponse.MAPPER.createObjectNode().set("strategies", mine.toJson());
    StrategyFigures back = StrategyFigures.parse(answer);
    assertThat(back).isEqualTo(mine);
    StrategyFigures two = back.plus(new StrategyFigures(Map.of("k6", Map.of(7, new OutcomeTally(10, 5, 5, 10, 0),
        8, new OutcomeTally(1, 1, 1, 1, 0))), Map.of("default", new Separation(1, 2))));
    assertThat(two.tallies().get("k6").get(7)).isEqualTo(new OutcomeTally(50, 35, 55, 1_244.5, 2));
    assertThat(two.tallies().get("k6").get(8).windows()).isEqualTo(1);
    assertThat(two.separations()).containsEntry("k6", new Separation(12.5, 25)).containsEntry("default", new Separation(1, 2));
  }

  @Test
  void anOlderPeerWithoutTheStrategiesPartOrAMalformedOneCostsOnlyThatPart() throws Exception {
    Populations.Answer older = Populations.parse(OpsResponse.MAPPER.readTree(
        "{\"instance\":\"10.0.0.2:8080\",\"populations\":{\"0\":5}}"));
    assertThat(older.populations()).containsEntry(0, 5L);
    assertThat(older.strategies()).isNull();
    Populations.Answer malformed = Populations.parse(OpsResponse.MAPPER.readTree(
        "{\"populations\":{\"0\":5},\"strategies\":{\"tallies\":{\"k6\":{\"1\":[1,2]}},\"separation\":{}}}"));
    assertThat(malformed.populations()).containsEntry(0, 5L);
    assertThat(malformed.strategies()).isNull();
    Populations.Answer impossible = Populations.parse(OpsResponse.MAPPER.readTree(
        "{\"populations\":{},\"strategies\":{\"tallies\":{\"k6\":{\"1\":[1,2,0,0,0]}},\"separation\":{}}}"));
    assertThat(impossible.strategies()).as("2 purchasing windows of 1").isNull();
  }
}
