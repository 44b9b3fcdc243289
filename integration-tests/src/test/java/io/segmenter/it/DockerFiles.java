package io.segmenter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkout's {@code docker/} files as the tests read them: {@code compose.yaml} parsed with
 * Jackson's YAML mapper, its services' environment (the {@code env_file} first, then
 * {@code environment}, which wins, as Compose merges them), and the Dockerfile's instructions.
 * The checkout is {@code segmenter.checkout} (Failsafe passes it) or the module's parent directory
 * (Surefire runs in the module's directory).
 */
final class DockerFiles {
  private static final YAMLMapper YAML = new YAMLMapper();

  private DockerFiles() { }

  static Path checkout() {
    return Path.of(System.getProperty("segmenter.checkout", "..")).toAbsolutePath().normalize();
  }

  static Path dockerDir() {
    return checkout().resolve("docker");
  }

  /** docker/compose.yaml, parsed. */
  /** A YAML file of the checkout as a tree. */
  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static Compose compose() {
    return Compose.read(dockerDir().resolve("compose.yaml"));
  }

  /** The compose file's services, with what the tests ask of them. */
  record Compose(Path file, JsonNode root) {
    static Compose read(Path file) {
      try {
        return new Compose(file, YAML.readTree(file.toFile()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }

    List<String> services() {
      List<String> names = new ArrayList<>();
      root.path("services").properties().forEach(e -> names.add(e.getKey()));
      return names;
    }

    JsonNode service(String name) {
      JsonNode s = root.path("services").path(name);
      if (s.isMissingNode()) throw new AssertionError(file + " has no service '" + name + "'");
      return s;
    }

    /** The service's image, e.g. {@code apache/kafka:4.3.1}. */
    String image(String service) {
      String image = service(service).path("image").asText(null);
      if (image == null) throw new AssertionError("service '" + service + "' in " + file + " names no image");
      return image;
    }

    /** The Dockerfile target a service builds, if it builds one. */
    Optional<String> buildTarget(String service) {
      JsonNode build = service(service).path("build");
      return build.isMissingNode() ? Optional.empty() : Optional.of(build.path("target").asText(""));
    }

    /** The service's environment as Compose gives it to the container: env_file, then environment. */
    Map<String, String> environment(String service) {
      Map<String, String> env = new LinkedHashMap<>();
      JsonNode s = service(service);
      JsonNode envFiles = s.path("env_file");
      List<String> files = new ArrayList<>();
      if (envFiles.isTextual()) files.add(envFiles.asText());
      envFiles.forEach(f -> files.add(f.asText()));
      for (String f : files) env.putAll(readEnvFile(file.getParent().resolve(f)));
      JsonNode environment = s.path("environment");
      if (environment.isArray()) {
        for (JsonNode item : environment) {
          String[] kv = item.asText().split("=", 2);
          env.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
      } else {
        environment.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
      }
      return env;
    }

    /** Published ports as (host, container) pairs, from the short "HOST:CONTAINER" syntax. */
    List<int[]> ports(String service) {
      List<int[]> ports = new ArrayList<>();
      for (JsonNode p : service(service).path("ports")) {
        String[] parts = p.asText().split(":");
        if (parts.length != 2) throw new AssertionError("service '" + service + "': port '" + p.asText()
            + "' is not HOST:CONTAINER (the only form this test reads)");
        ports.add(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1].replace("/tcp", ""))});
      }
      return ports;
    }

    /** The volume (or bind source) a service mounts at {@code target}, if any. */
    Optional<String> volumeAt(String service, String target) {
      for (JsonNode v : service(service).path("volumes")) {
        String[] parts = v.asText().split(":");
        if (parts.length >= 2 && parts[1].equals(target)) return Optional.of(parts[0]);
      }
      return Optional.empty();
    }
  }

  /** KEY=VALUE lines; blank lines and # comments skipped, as Compose reads an env_file. */
  static Map<String, String> readEnvFile(Path path) {
    Map<String, String> env = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(path)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) continue;
        int eq = l.indexOf('=');
        if (eq < 0) throw new AssertionError(path + ": not KEY=VALUE: " + l);
        env.put(l.substring(0, eq), l.substring(eq + 1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    return env;
  }

  /** One instruction of a Dockerfile (continuation lines joined), and the stage it belongs to. */
  record Instruction(String stage, String keyword, String arguments) { }

  /**
   * docker/Dockerfile's instructions in order. Stages are named by their {@code FROM ... AS name};
   * comments and blank lines are dropped, {@code \}-continued lines joined.
   */
  static List<Instruction> dockerfile() {
    Path file = dockerDir().resolve("Dockerfile");
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<Instruction> instructions = new ArrayList<>();
    String stage = "";
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String l = line.strip();
      if (current.length() == 0 && (l.isEmpty() || l.startsWith("#"))) continue;
      if (l.startsWith("#")) continue; // a comment inside a continued instruction
      if (l.endsWith("\\")) {
        current.append(l, 0, l.length() - 1).append(' ');
        continue;
      }
      current.append(l);
      String text = current.toString().strip();
      current.setLength(0);
      int space = text.indexOf(' ');
      String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
      String arguments = space < 0 ? "" : text.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        String[] words = arguments.split("\\s+");
        stage = words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : "";
      }
      instructions.add(new Instruction(stage, keyword, arguments));
    }
    return instructions;
  }
}
