package io.segmenter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every PromQL expression of the checkout's Grafana dashboards ({@code docker/grafana/dashboards/*.json})
 * and Prometheus alert rules ({@code docker/prometheus/alerts.yml}), each with where it is written, read
 * from the files themselves (not a list kept beside them).
 */
final class ObservabilityQueries {
  static final String DASHBOARDS = "docker/grafana/dashboards";
  static final String ALERTS = "docker/prometheus/alerts.yml";

  /** @param where the file and the panel, variable or alert, for the failure message */
  record Query(String where, String expr) { }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private ObservabilityQueries() { }

  static List<Query> read(Path checkout) throws IOException {
    List<Query> queries = new ArrayList<>();
    List<Path> dashboards;
    try (Stream<Path> files = Files.list(checkout.resolve(DASHBOARDS))) {
      dashboards = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    if (dashboards.isEmpty()) throw new IllegalStateException("no dashboards in " + checkout.resolve(DASHBOARDS));
    for (Path file : dashboards) {
      JsonNode dashboard = JSON.readTree(file.toFile());
      String name = DASHBOARDS + "/" + file.getFileName();
      // Every "expr" anywhere: panels' targets, the panels of rows (collapsed rows nest them).
      panelExpressions(dashboard.path("panels"), name, "", queries);
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        if (!"query".equals(variable.path("type").asText())) continue;
        JsonNode q = variable.path("query");
        String text = q.isTextual() ? q.asText() : q.path("query").asText();
        if (!text.isBlank()) queries.add(new Query(name + " variable $" + variable.path("name").asText(), text));
      }
    }
    JsonNode rules = YAML.readTree(checkout.resolve(ALERTS).toFile());
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String id = rule.has("alert") ? "alert " + rule.path("alert").asText() : "rule " + rule.path("record").asText();
        queries.add(new Query(ALERTS + " " + id, rule.path("expr").asText()));
      }
    }
    return queries;
  }

  private static void panelExpressions(JsonNode node, String file, String panel, List<Query> out) {
    if (node.isObject()) {
      String title = node.has("title") ? node.path("title").asText() : panel;
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getKey().equals("expr") && field.getValue().isTextual()) {
          out.add(new Query(file + " panel \"" + title + "\"", field.getValue().asText()));
        } else {
          panelExpressions(field.getValue(), file, title, out);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) panelExpressions(element, file, panel, out);
    }
  }
}
