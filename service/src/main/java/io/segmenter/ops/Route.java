package io.segmenter.ops;

import java.util.List;

/** The endpoints, recognised from the decoded path segments; what access control decides on. */
enum Route {
  INDEX("/"),
  /** The page's static files (open: they hold no data; the page asks the data endpoints under their roles). */
  ASSET("/ui/{file}"),
  HEALTH("/health"),
  METRICS("/metrics"),
  SEGMENTS("/segments"),
  MODEL("/model"),
  MAP("/map"),
  FLOWS("/flows"),
  CUSTOMER("/customers/{id}"),
  STRATEGIES("/strategies"),
  /** The one route that changes something: POST only. */
  PROMOTE("/strategies/{name}/promote"),
  INTERNAL(Populations.INTERNAL_PATH);

  /** The route's name in metrics and logs: never the path itself, which may hold a customer id. */
  final String label;

  Route(String label) {
    this.label = label;
  }

  /** The route of a path, or null when there is no such endpoint (404). */
  static Route of(List<String> path) {
    String first = path.isEmpty() ? "" : path.get(0);
    return switch (first) {
      case "" -> INDEX;
      case "ui" -> path.size() == 2 ? ASSET : null;
      case "health" -> path.size() == 1 || path.size() == 2 && (path.get(1).equals("live") || path.get(1).equals("ready"))
          ? HEALTH : null;
      case "metrics" -> path.size() == 1 ? METRICS : null;
      case "segments" -> path.size() == 1 ? SEGMENTS : null;
      case "model" -> path.size() == 1 ? MODEL : null;
      case "map" -> path.size() == 1 ? MAP : null;
      case "flows" -> path.size() == 1 ? FLOWS : null;
      case "customers" -> path.size() == 2 ? CUSTOMER : null;
      case "strategies" -> path.size() == 1 ? STRATEGIES
          : path.size() == 3 && path.get(2).equals("promote") ? PROMOTE : null;
      case "internal" -> path.size() == 2 && path.get(1).equals("populations") ? INTERNAL : null;
      default -> null;
    };
  }

  /** The methods the route answers: POST for a promotion, GET and HEAD for everything else. */
  String allow() {
    return this == PROMOTE ? "POST" : "GET, HEAD";
  }

  boolean allows(String method) {
    return this == PROMOTE ? method.equals("POST") : method.equals("GET") || method.equals("HEAD");
  }

  /** Answered on the server's own threads, at once, never queued behind API work. */
  boolean inline() {
    return this == INDEX || this == ASSET || this == HEALTH;
  }
}
