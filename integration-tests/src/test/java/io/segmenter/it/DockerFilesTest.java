package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmenter.access.PeerSignature;
import io.segmenter.access.Principal;
import io.segmenter.access.Role;
import io.segmenter.access.TokenFile;
import io.segmenter.config.KnownSettings;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.config.SettingsSources;
import io.segmenter.ops.OpsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml and docker/Dockerfile against what the service really is and what README
 * says: pinned images that README names, SEGMENTER_* variables that are settings the service knows
 * (checked by the service's own settings code, not a list copied here), the HTTP port, the health
 * check's path (asked of the real HTTP server), the non-root user, the demo credentials. No Docker
 * needed: the files are parsed, nothing is started but the service's HTTP server.
 */
class DockerFilesTest {
  /** The service's HTTP port when none is set: what the image exposes and compose publishes. */
  private static final int DEFAULT_HTTP_PORT = (Integer) SegmenterConfig.CONFIG.defaultValues().get(SegmenterConfig.HTTP_PORT);
  private static final String STATE_DIR = "state.dir";
  /** The Dockerfile's health check: curl on 127.0.0.1, at SEGMENTER_HTTP_PORT or a default port, and a path. */
  private static final Pattern HEALTH_URL = Pattern.compile("http://127\\.0\\.0\\.1:\\$\\{SEGMENTER_HTTP_PORT:-(\\d+)}(/[^\"\\s]*)");

  private final DockerFiles.Compose compose = DockerFiles.compose();

  @Test
  void everyImageIsPinnedToAVersion() {
    List<String> images = new ArrayList<>();
    compose.services().forEach(s -> images.add(compose.image(s)));
    images.addAll(baseImages());
    assertThat(images).as("images of compose.yaml and the Dockerfile").isNotEmpty();
    for (String image : images) {
      assertThat(pinned(image)).as("image '%s' is pinned to a version (a tag with a digit, not latest)", image).isTrue();
    }
  }

  @Test
  void readmeNamesEveryImageTheComposeFileRuns() throws Exception {
    String readme = Files.readString(DockerFiles.checkout().resolve("README.md"));
    for (String service : compose.services()) {
      assertThat(readme.contains(compose.image(service))).as("README names %s, the image of compose service '%s'",
          compose.image(service), service).isTrue();
    }
  }

  /**
   * The Kubernetes base runs the image that compose builds (name and tag, before an overlay renames it
   * for its registry): one image name for README, compose and k8s/, so that a user who builds the
   * one can deploy it with the other.
   */
  @Test
  void theKubernetesBaseRunsTheImageComposeBuilds() throws Exception {
    JsonNode kustomization = DockerFiles.yaml(DockerFiles.checkout().resolve("k8s/base/kustomization.yaml"));
    JsonNode statefulSet = DockerFiles.yaml(DockerFiles.checkout().resolve("k8s/base/statefulset.yaml"));
    String manifestImage = statefulSet.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText();
    String name = manifestImage.substring(0, manifestImage.lastIndexOf(':'));
    String tag = manifestImage.substring(manifestImage.lastIndexOf(':') + 1);
    for (JsonNode image : kustomization.path("images")) {
      if (image.path("name").asText().equals(name) && image.has("newTag")) tag = image.path("newTag").asText();
    }
    assertThat(name + ":" + tag).as("image of k8s/base (statefulset.yaml with kustomization.yaml's images)")
        .isEqualTo(compose.image("segmenter-1"));
  }

  /**
   * Every SEGMENTER_* variable is read as `run` reads it: SettingsSources maps it to a setting (and
   * throws for a name that maps to none), KnownSettings accepts the names, SegmenterConfig accepts
   * the values, and so does StreamsConfig with the properties SegmenterConfig gives Kafka Streams.
   */
  @Test
  void everySegmenterVariableIsASettingTheServiceKnowsWithAValueItAccepts() {
    int checked = 0;
    for (String service : compose.services()) {
      Map<String, String> env = compose.environment(service);
      if (env.keySet().stream().noneMatch(k -> k.startsWith(SettingsSources.ENV_PREFIX))) continue;
      Map<String, String> settings = settingsOf(service);
      assertThatCode(() -> KnownSettings.requireKnown(settings)).as("settings of '%s'", service).doesNotThrowAnyException();
      // As run builds them: segmenter's settings first, then Kafka Streams' from them.
      assertThatCode(() -> new StreamsConfig(new SegmenterConfig(settings).streamsProperties()))
          .as("settings of '%s' as segmenter and Kafka Streams read them", service).doesNotThrowAnyException();
      checked += settings.size();
    }
    assertThat(checked).as("SEGMENTER_* variables checked").isPositive();
  }

  /** One deployment of two instances: one application id; per instance its identity and its own state. */
  @Test
  void theSegmenterInstancesAreOneDeploymentEachWithItsOwnIdentityAndState() {
    List<String> instances = segmenterInstances();
    assertThat(instances).as("segmenter instances in compose.yaml").hasSizeGreaterThanOrEqualTo(2);
    Set<String> applicationIds = new HashSet<>();
    Set<String> stateVolumes = new HashSet<>();
    for (String instance : instances) {
      Map<String, String> settings = settingsOf(instance);
      applicationIds.add(settings.get(StreamsConfig.APPLICATION_ID_CONFIG));
      assertThat(settings.get("group.instance.id")).as("static membership id of '%s'", instance).isEqualTo(instance);
      assertThat(settings.get(SegmenterConfig.HTTP_ADVERTISED_HOST)).as("advertised host of '%s' (its service name)", instance)
          .isEqualTo(instance);
      String stateDir = settings.get(STATE_DIR);
      assertThat(stateDir).as("state.dir of '%s'", instance).isNotBlank();
      Optional<String> volume = compose.volumeAt(instance, stateDir);
      assertThat(volume).as("a volume mounted at '%s' (state.dir) in '%s'", stateDir, instance).isPresent();
      assertThat(compose.root().path("volumes").has(volume.get())).as("'%s' is a named volume", volume.get()).isTrue();
      stateVolumes.add(volume.get());
      for (Map.Entry<String, String> e : settings.entrySet()) {
        if (e.getKey().endsWith(".file") && !e.getValue().isEmpty()) {
          Path file = hostFile(instance, e.getValue()).orElseThrow(() -> new AssertionError(e.getKey() + " of '" + instance
              + "' (" + e.getValue() + ") is not under a directory mounted from the checkout"));
          assertThat(file).as("%s of '%s' (%s)", e.getKey(), instance, e.getValue()).isRegularFile();
        }
      }
    }
    assertThat(applicationIds).as("application.id of the instances").hasSize(1).doesNotContainNull();
    assertThat(stateVolumes).as("state volumes, one per instance").hasSize(instances.size());
  }

  @Test
  void publishedPortsAreTheServiceDefaultAndReadmeNamesThem() throws Exception {
    String readme = Files.readString(DockerFiles.checkout().resolve("README.md"));
    for (String instance : segmenterInstances()) {
      assertThat(compose.ports(instance)).as("ports of '%s'", instance).isNotEmpty()
          .allSatisfy(p -> assertThat(p[1]).as("container port of '%s'", instance).isEqualTo(DEFAULT_HTTP_PORT));
      String port = settingsOf(instance).get(SegmenterConfig.HTTP_PORT);
      if (port != null) assertThat(Integer.parseInt(port)).as("segmenter.http.port of '%s'", instance).isEqualTo(DEFAULT_HTTP_PORT);
    }
    for (String service : compose.services()) {
      for (int[] p : compose.ports(service)) {
        assertThat(readme.contains("localhost:" + p[0])).as("README names localhost:%d (published by '%s')", p[0], service).isTrue();
      }
    }
  }

  @Test
  void theImagesRunAsAFixedNonRootUser() {
    for (String stage : List.of(serviceStage(), "tools")) {
      String user = last(stage, "USER").orElseThrow(() -> new AssertionError("no USER in stage " + stage));
      String uid = user.split(":")[0];
      assertThat(uid).as("USER of stage %s: a numeric uid (Kubernetes' runAsNonRoot can check it)", stage).matches("\\d+");
      assertThat(Integer.parseInt(uid)).as("uid of stage %s", stage).isPositive();
    }
  }

  @Test
  void theImageExposesTheServiceDefaultPort() {
    assertThat(last(serviceStage(), "EXPOSE")).as("EXPOSE").hasValue(Integer.toString(DEFAULT_HTTP_PORT));
  }

  /**
   * The health check's URL, asked of the service's real HTTP server while it starts: the readiness
   * endpoint answers 503 then (the liveness one 200, an unknown path 404), so only the readiness path
   * passes this test.
   */
  @Test
  void theHealthCheckAsksTheServiceReadinessEndpointOnItsPort() throws Exception {
    String check = last(serviceStage(), "HEALTHCHECK").orElseThrow(() -> new AssertionError("no HEALTHCHECK"));
    Matcher url = HEALTH_URL.matcher(check);
    assertThat(url.find()).as("HEALTHCHECK asks http://127.0.0.1:${SEGMENTER_HTTP_PORT:-<port>}/<path>: %s", check).isTrue();
    assertThat(Integer.parseInt(url.group(1))).as("the health check's default port").isEqualTo(DEFAULT_HTTP_PORT);
    assertThat(check).as("the check fails on an HTTP error status (curl -f)").contains("curl -f");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try (OpsServer server = OpsServer.start("127.0.0.1", 0)) {
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> starting = http.send(HttpRequest.newBuilder(URI.create(base + url.group(2))).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).as("/health/live while starting").isEqualTo(200);
      assertThat(starting.statusCode()).as("%s while the service starts: not ready (%s)", url.group(2), starting.body())
          .isEqualTo(503);
      assertThat(starting.body()).contains("\"STARTING\"");
    }
  }

  /** The state directory the image sets is its volume, and the instances' state.dir. */
  @Test
  void theImageKeepsItsStateInItsVolume() {
    String stage = serviceStage();
    String volume = last(stage, "VOLUME").orElseThrow(() -> new AssertionError("no VOLUME")).replaceAll("[\\[\\]\" ]", "");
    String prefix = SettingsSources.ENV_PREFIX + "STATE_DIR=";
    String imageStateDir = DockerFiles.dockerfile().stream()
        .filter(i -> i.stage().equals(stage) && i.keyword().equals("ENV") && i.arguments().startsWith(prefix))
        .map(i -> i.arguments().substring(prefix.length())).reduce((x, y) -> y).orElse(null);
    assertThat(imageStateDir).as("the image's SEGMENTER_STATE_DIR (stage %s)", stage).isEqualTo(volume);
    for (String instance : segmenterInstances()) {
      assertThat(settingsOf(instance).get(STATE_DIR)).as("state.dir of '%s'", instance).isEqualTo(volume);
    }
  }

  /** compose.yaml builds its images from stages the Dockerfile has. */
  @Test
  void composeBuildsStagesTheDockerfileHas() {
    Set<String> stages = new HashSet<>();
    DockerFiles.dockerfile().forEach(i -> stages.add(i.stage()));
    for (String service : compose.services()) {
      compose.buildTarget(service).ifPresent(t -> assertThat(stages).as("target of '%s'", service).contains(t));
    }
  }

  /** Prometheus' demo token (ops.token) is an ops token of the demo token file the instances read. */
  @Test
  void theDemoTokenFileAcceptsPrometheusTokenAndThePeerSecretIsLongEnough() throws Exception {
    Path credentials = DockerFiles.dockerDir().resolve("demo-credentials");
    String token = Files.readString(credentials.resolve("ops.token")).strip();
    Optional<Principal> principal = TokenFile.load(credentials.resolve("tokens"), Clock.systemUTC()).authenticate(token);
    assertThat(principal).as("the principal of ops.token").isPresent();
    // The least role that scrapes /metrics: reader could read every customer too.
    assertThat(principal.get().roles()).as("roles of ops.token (Prometheus scrapes /metrics with it)").containsExactly(Role.OPS);
    assertThatCode(() -> PeerSignature.fromFile(credentials.resolve("peer-secret"), Clock.systemUTC())).doesNotThrowAnyException();
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** The stage compose.yaml builds the segmenter instances from. */
  private String serviceStage() {
    return compose.buildTarget(segmenterInstances().get(0)).orElseThrow();
  }

  /** The compose services that run segmenter-service.jar: they build the same target as the first that sets a group.instance.id. */
  private List<String> segmenterInstances() {
    List<String> instances = new ArrayList<>();
    for (String service : compose.services()) {
      if (compose.environment(service).containsKey("SEGMENTER_GROUP_INSTANCE_ID")) instances.add(service);
    }
    return instances;
  }

  private Map<String, String> settingsOf(String service) {
    return SettingsSources.fromEnvironment(compose.environment(service));
  }

  /** The file in the checkout that a container path of a service comes from, through a bind mount. */
  private Optional<Path> hostFile(String service, String containerPath) {
    for (var v : compose.service(service).path("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts.length >= 2 && parts[0].startsWith(".") && containerPath.startsWith(parts[1] + "/")) {
        return Optional.of(DockerFiles.dockerDir().resolve(parts[0]).resolve(containerPath.substring(parts[1].length() + 1)).normalize());
      }
    }
    return Optional.empty();
  }

  /** The arguments of the last instruction {@code keyword} in {@code stage} or in a stage it is built on. */
  private static Optional<String> last(String stage, String keyword) {
    List<DockerFiles.Instruction> all = DockerFiles.dockerfile();
    Map<String, String> parents = new HashMap<>();
    for (DockerFiles.Instruction i : all) {
      if (i.keyword().equals("FROM")) parents.put(i.stage(), i.arguments().split("\\s+")[0]);
    }
    // Up the chain of stages (service -> runtime-base), stopping at a base image.
    for (String s = stage; parents.containsKey(s); s = parents.get(s)) {
      String current = s;
      Optional<String> found = all.stream().filter(i -> i.stage().equals(current) && i.keyword().equals(keyword))
          .reduce((a, b) -> b).map(DockerFiles.Instruction::arguments);
      if (found.isPresent()) return found;
    }
    return Optional.empty();
  }

  /** The Dockerfile's base images (FROM lines that do not build on one of its own stages). */
  private static List<String> baseImages() {
    Set<String> stages = new HashSet<>();
    List<String> images = new ArrayList<>();
    for (DockerFiles.Instruction i : DockerFiles.dockerfile()) {
      if (!i.keyword().equals("FROM")) continue;
      String image = i.arguments().split("\\s+")[0];
      if (!stages.contains(image)) images.add(image);
      stages.add(i.stage());
    }
    return images;
  }

  /** A tag with a digit in it, not "latest" (a digest pins too). */
  static boolean pinned(String image) {
    if (image.contains("@sha256:")) return true;
    int slash = image.lastIndexOf('/');
    int colon = image.indexOf(':', slash + 1);
    if (colon < 0) return false;
    String tag = image.substring(colon + 1);
    return !tag.equals("latest") && tag.matches(".*\\d.*");
  }
}
