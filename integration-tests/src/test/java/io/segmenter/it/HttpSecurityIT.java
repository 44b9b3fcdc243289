package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.access.PeerSignature;
import io.segmenter.access.Role;
import io.segmenter.access.TokenFile;
import io.segmenter.cli.EventSender;
import io.segmenter.cli.SegmenterTools;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.http.tls.TestCertificates;
import io.segmenter.ops.OpsServer;
import io.segmenter.service.SegmenterService;
import io.segmenter.testing.EmbeddedRegistryFixture;
import io.segmenter.topology.SegmenterTopology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access control of a running deployment: two instances on the shared in-JVM broker, HTTPS with a
 * certificate authority made here, client certificates wanted, bearer tokens from a hashed token file,
 * a peer secret, one standby replica, pseudonymised customer ids, an audit file per instance. Clients
 * are real HTTPS clients, and ask for customers by their raw ids.
 *
 * <p>Checked: 401 without credentials, 403 for the ops role on a customer, 200 for a reader (by
 * token or certificate) from either instance; forged forwarding and stale-read headers from outside
 * get no forwarded or stale answer; a certificate from an unknown authority is refused at the
 * handshake; every refusal is counted; a token rotated in the file works at once, without a restart; one audit line per customer read with nothing personal but
 * the id's pseudonym; and an erased customer is 404 on every instance, before and after a fail-over to the
 * standby.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class HttpSecurityIT {
  @RegisterExtension
  static final SharedKafka KAFKA = new SharedKafka();
  @RegisterExtension
  static final EmbeddedRegistryFixture REGISTRY = new EmbeddedRegistryFixture();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPS_TOKEN = "ops-token-for-grafana-0123456789";
  private static final String READER_TOKEN = "reader-token-for-the-crm-0123456789";
  private static final int CUSTOMERS = 40;
  /** One client per TLS identity (a client holds a connection pool and a selector thread). */
  private static final Map<SSLContext, HttpClient> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

  @TempDir
  static Path dir;
  private static TestCertificates.Authority ca;
  private static Path tokenFile;
  private static SSLContext anonymousTls;
  private static Deployment deployment;
  private static final List<SegmenterService> instances = new ArrayList<>();
  private static final Map<SegmenterService, Path> auditFiles = new HashMap<>();
  /** Customer reads this test asked of each instance (what the audit files must hold, line for line). */
  private static final Map<SegmenterService, Integer> customerRequests = new HashMap<>();
  /** Audit lines written while the set-up waited for the customers (not counted above). */
  private static final Map<SegmenterService, Integer> auditBaseline = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificates.authority("Segmenter test CA");
    TestCertificates.PemFiles instanceIdentity = ca.issueInstance("localhost").writePem(dir, "instance");
    Path trust = ca.writePem(dir.resolve("ca.pem"));
    tokenFile = Files.writeString(dir.resolve("tokens"), "# made by segmenter hash-token\n"
        + TokenFile.line(Role.OPS, "grafana", OPS_TOKEN) + "\n" + TokenFile.line(Role.READER, "crm", READER_TOKEN) + "\n");
    Path certificateRoles = Files.writeString(dir.resolve("certificate-roles"), "reader CN=crm-app,O=Acme\n");
    Path peerSecret = Files.writeString(dir.resolve("peer-secret"), "http-security-it-shared-peer-secret-0123456789");
    anonymousTls = TestCertificates.clientContext(ca, null);

    deployment = new Deployment(KAFKA, REGISTRY.registry().url(), SharedKafka.uniqueName("http-security"));
    Map<String, Object> s = deployment.settings;
    s.put(SegmenterConfig.HTTP_ACCESS_CONTROL, true);
    s.put(SegmenterConfig.HTTP_ADVERTISED_HOST, "localhost"); // the name in the instances' certificate
    s.put(SegmenterConfig.HTTP_TLS_CERTIFICATE, instanceIdentity.certificateChain().toString());
    s.put(SegmenterConfig.HTTP_TLS_KEY, instanceIdentity.privateKey().toString());
    s.put(SegmenterConfig.HTTP_TLS_TRUST, trust.toString());
    s.put(SegmenterConfig.HTTP_TLS_CLIENT_AUTH, "want");
    s.put(SegmenterConfig.HTTP_TOKENS_FILE, tokenFile.toString());
    s.put(SegmenterConfig.HTTP_CERTIFICATE_ROLES_FILE, certificateRoles.toString());
    s.put(SegmenterConfig.HTTP_PEER_SECRET_FILE, peerSecret.toString());
    s.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
    // The fail-over test closes the owner, which does not leave the group: the survivor takes the
    // partition over once the owner's session expires, 45 s by default, 6 s (the broker's minimum) here.
    s.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000);
    s.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
    // Pseudonymised ids: the stores hold HMACs, clients still ask by the raw id, the audit writes the pseudonym.
    s.put(SegmenterConfig.PSEUDONYMISE_KEY_FILE,
        Files.writeString(dir.resolve("pseudonym-key"), "http-security-it-pseudonymisation-key-0123456789").toString());
    for (String name : List.of("a", "b")) {
      Path audit = dir.resolve("audit-" + name + ".jsonl");
      s.put(SegmenterConfig.HTTP_AUDIT, "file:" + audit);
      deployment.newStateDirectory();
      SegmenterService instance = deployment.start();
      instances.add(instance);
      auditFiles.put(instance, audit);
      customerRequests.put(instance, 0);
    }
    try (EventSender sender = new EventSender(deployment.config(), new HashMap<>(deployment.config().originals()))) {
      for (int c = 0; c < CUSTOMERS; c++) {
        for (int n = 0; n < 3; n++) sender.send(customer(c), Fixtures.click(customer(c), n));
      }
      sender.flush();
    }
    // Every customer readable (by a reader) from both instances: processed, and both instances RUNNING with the assignment settled.
    Deployment.await("every customer readable from both instances", Duration.ofMinutes(2), () -> {
      for (SegmenterService i : instances) {
        for (int c = 0; c < CUSTOMERS; c += 7) {
          if (status(i, "/customers/" + customer(c), READER_TOKEN) != 200) return false;
        }
      }
      return true;
    });
    for (SegmenterService i : instances) auditBaseline.put(i, Files.readAllLines(auditFiles.get(i)).size());
  }

  @AfterAll
  static void stop() {
    for (SegmenterService s : instances) s.close();
  }

  @Test
  @Order(1)
  void withoutCredentialsOnlyHealthIsOpen() throws Exception {
    SegmenterService a = instances.get(0);
    assertThat(send(a, "/health/ready", null, anonymousTls).statusCode()).isEqualTo(200);
    HttpResponse<String> customer = send(a, "/customers/" + customer(1), null, anonymousTls);
    assertThat(customer.statusCode()).isEqualTo(401);
    assertThat(customer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(customer.body()).doesNotContain(customer(1)).doesNotContain("token");
    assertThat(send(a, "/customers/" + customer(1), "not-a-known-token-0123456789", anonymousTls).statusCode())
        .isEqualTo(401);
    // Credentials are configured: metrics, segments and the model need the ops role.
    assertThat(send(a, "/metrics", null, anonymousTls).statusCode()).isEqualTo(401);
    assertThat(send(a, "/segments", null, anonymousTls).statusCode()).isEqualTo(401);
    assertThat(send(a, "/model", null, anonymousTls).statusCode()).isEqualTo(401);
    customerRequests.merge(a, 2, Integer::sum);
    // Plain HTTP on the TLS port gets no answer.
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + a.httpPort()
        + "/customers/" + customer(1))).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  @Order(2)
  void opsReadsMetricsAndSegmentsButNoCustomerAndAReaderReadsCustomersFromEitherInstance() throws Exception {
    for (SegmenterService i : instances) {
      assertThat(send(i, "/customers/" + customer(2), OPS_TOKEN, anonymousTls).statusCode()).isEqualTo(403);
      assertThat(send(i, "/metrics", OPS_TOKEN, anonymousTls).statusCode()).isEqualTo(200);
      HttpResponse<String> segments = send(i, "/segments", OPS_TOKEN, anonymousTls);
      assertThat(segments.statusCode()).isEqualTo(200);
      // The other instance answered its populations: peers authenticate each other over TLS.
      assertThat(JSON.readTree(segments.body()).path("partial").asBoolean(true)).as("segments partial").isFalse();
      customerRequests.merge(i, 1, Integer::sum);
    }
    Set<String> servedBy = new TreeSet<>();
    for (int c = 0; c < CUSTOMERS; c += 3) {
      for (SegmenterService i : instances) {
        HttpResponse<String> r = send(i, "/customers/" + customer(c), READER_TOKEN, anonymousTls);
        customerRequests.merge(i, 1, Integer::sum);
        assertThat(r.statusCode()).as("reader asks %s for %s", address(i), customer(c)).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("stale").asBoolean(true)).isFalse();
        servedBy.add(body.path("servedBy").asText());
      }
    }
    // Both instances own customers, so half of those answers were forwarded (signed, over TLS).
    assertThat(servedBy).hasSize(2);
  }

  @Test
  @Order(3)
  void clientCertificatesAreMappedToRolesAndAnUnknownAuthorityIsRefused() throws Exception {
    SegmenterService a = instances.get(0);
    SSLContext crm = TestCertificates.clientContext(ca, ca.issueClient("CN=crm-app,O=Acme"));
    assertThat(send(a, "/customers/" + customer(4), null, crm).statusCode()).isEqualTo(200);
    // A certificate the authority issued, but to a subject with no role: no credentials (401), as an unknown token.
    SSLContext unmapped = TestCertificates.clientContext(ca, ca.issueClient("CN=someone-else,O=Acme"));
    assertThat(send(a, "/customers/" + customer(4), null, unmapped).statusCode()).isEqualTo(401);
    assertThat(send(a, "/customers/" + customer(4), OPS_TOKEN, crm).statusCode()).as("a token wins over a certificate")
        .isEqualTo(403);
    customerRequests.merge(a, 3, Integer::sum);
    // A certificate from an unknown authority, even with a mapped subject, proves nothing. With client
    // certificates wanted, the client sees that the server asks for another authority's and sends none:
    // it is anonymous (401). With client certificates needed it cannot connect at all.
    TestCertificates.Authority stranger = TestCertificates.authority("Unknown CA");
    SSLContext unknown = TestCertificates.clientContext(stranger, stranger.issueClient("CN=crm-app,O=Acme"));
    assertThatThrownBy(() -> send(a, "/customers/" + customer(4), null, unknown))
        .as("the client does not trust the server either").isInstanceOf(IOException.class);
    SSLContext unknownClientCert = TestCertificates.clientContext(ca, stranger.issueClient("CN=crm-app,O=Acme"));
    assertThat(send(a, "/customers/" + customer(4), null, unknownClientCert).statusCode()).isEqualTo(401);
    customerRequests.merge(a, 1, Integer::sum);
  }

  @Test
  @Order(4)
  void forgedForwardingAndStaleHeadersFromOutsideGetNoForwardedOrStaleAnswer() throws Exception {
    String id = customer(5);
    KeyQueryMetadata owner = owner(id);
    SegmenterService active = instanceAt(owner.activeHost());
    SegmenterService other = instances.get(0) == active ? instances.get(1) : instances.get(0);
    double rejectedBefore = Deployment.count(other, "segmenter.http.peer.signature.rejected");
    Map<String, String> forged = Map.of(OpsServer.FORWARDED_HEADER, "10.0.0.1:8080", OpsServer.ALLOW_STALE_HEADER, "1",
        PeerSignature.HEADER, Instant.now().getEpochSecond() + ":bm90LWEtcmVhbC1zaWduYXR1cmU");
    HttpResponse<String> r = send(other, "/customers/" + id, READER_TOKEN, anonymousTls, forged);
    customerRequests.merge(other, 1, Integer::sum);
    // Not the owner, told (falsely) that the request was forwarded: it does not forward it again and
    // does not read its standby copy.
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).doesNotContain("\"stale\"").doesNotContain("profile");
    assertThat(Deployment.count(other, "segmenter.http.peer.signature.rejected")).isEqualTo(rejectedBefore + 1);
    // The same request without the forged headers is forwarded and answered by the owner.
    HttpResponse<String> honest = send(other, "/customers/" + id, READER_TOKEN, anonymousTls);
    customerRequests.merge(other, 1, Integer::sum);
    assertThat(honest.statusCode()).isEqualTo(200);
    assertThat(honest.headers().firstValue(OpsServer.SERVED_BY_HEADER)).hasValue(address(active));
  }

  @Test
  @Order(5)
  void refusalsAreCountedAndTheAuditHasOneLinePerCustomerReadWithNothingPersonalButTheId() throws Exception {
    SegmenterService a = instances.get(0);
    String metrics = send(a, "/metrics", OPS_TOKEN, anonymousTls).body();
    assertThat(PrometheusText.parse(metrics).sum("segmenter_http_denied_total", Map.of("status", "401"))).isGreaterThanOrEqualTo(6);
    assertThat(PrometheusText.parse(metrics).sum("segmenter_http_denied_total", Map.of("status", "403"))).isGreaterThanOrEqualTo(2);
    System.out.printf("HttpSecurityIT: refusals counted on %s: %s%n", address(a),
        PrometheusText.parse(metrics).named("segmenter_http_denied_total"));
    assertThat(metrics).doesNotContain(customer(1));
    for (SegmenterService i : instances) {
      List<String> all = Files.readAllLines(auditFiles.get(i));
      List<String> lines = all.subList(auditBaseline.get(i), all.size());
      System.out.printf("HttpSecurityIT: %s audit: %d lines for %d customer reads asked of it; first: %s%n", address(i),
          lines.size(), customerRequests.get(i), lines.isEmpty() ? "-" : lines.get(0));
      assertThat(lines).as(String.join("\n", lines)).hasSize(customerRequests.get(i));
      for (String line : lines) {
        JsonNode entry = JSON.readTree(line);
        assertThat(iterable(entry.fieldNames()))
            .containsExactlyInAnyOrder("time", "principal", "authentication", "customer", "status", "instance", "remote");
        assertThat(entry.get("customer").asText()).as("the pseudonym, not the id").startsWith("p1:");
        assertThat(line).doesNotContain("security-customer-").doesNotContain("lastOrder").doesNotContain("netSpend").doesNotContain(READER_TOKEN);
      }
    }
  }

  @Test
  @Order(6)
  void tokensAreRotatedWithoutARestart() throws Exception {
    String rotated = "ops-token-for-grafana-rotated-9876543210";
    Files.writeString(tokenFile, TokenFile.line(Role.OPS, "grafana", rotated) + "\n"
        + TokenFile.line(Role.READER, "crm", READER_TOKEN) + "\n");
    for (SegmenterService i : instances) {
      Deployment.await("the new token accepted and the old one refused on " + address(i), Duration.ofSeconds(10), () ->
          status(i, "/metrics", rotated) == 200 && status(i, "/metrics", OPS_TOKEN) == 401);
    }
  }

  @Test
  @Order(7)
  void anErasedCustomerIs404OnEveryInstanceBeforeAndAfterAFailOverToTheStandby() throws Exception {
    String id = customer(6);
    KeyQueryMetadata owner = owner(id);
    assertThat(owner.standbyHosts()).as("the other instance keeps a standby of the customer's partition").hasSize(1);
    SegmenterService active = instanceAt(owner.activeHost());
    SegmenterService standby = instanceAt(owner.standbyHosts().iterator().next());
    assertThat(SegmenterTools.execute("erase", "--bootstrap-servers", KAFKA.bootstrapServers(), "--schema-registry-url",
        REGISTRY.registry().url(), "-s", SegmenterConfig.TOPIC_ERASURES + "=" + deployment.topic(SegmenterConfig.TOPIC_ERASURES), id)).isZero();
    Deployment.await("the erased customer is 404 on both instances", Duration.ofSeconds(60), () ->
        status(active, "/customers/" + id, READER_TOKEN) == 404 && status(standby, "/customers/" + id, READER_TOKEN) == 404);
    // Fail-over: the owner stops; the standby takes the partition over. Until then it answers 503
    // (no stale reads), then 404: never the customer.
    active.close();
    instances.remove(active);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    List<Integer> seen = new ArrayList<>();
    while (true) {
      int status = status(standby, "/customers/" + id, READER_TOKEN);
      if (seen.isEmpty() || seen.get(seen.size() - 1) != status) seen.add(status);
      assertThat(status).as("the survivor never serves the erased customer").isNotEqualTo(200);
      if (status == 404 && instanceAt(owner(id).activeHost()) == standby) break;
      assertThat(Instant.now()).as("the survivor owns the partition and answers 404").isBefore(deadline);
      TimeUnit.MILLISECONDS.sleep(100); // poll interval of a condition with a deadline
    }
    System.out.printf("HttpSecurityIT: erased customer on the survivor during the fail-over: statuses %s%n", seen);
    assertThat(status(standby, "/customers/" + customer(7), READER_TOKEN)).as("another customer of the survivor")
        .isEqualTo(200);
  }

  private static String customer(int c) {
    return "security-customer-" + c;
  }

  private static KeyQueryMetadata owner(String id) {
    return instances.get(0).streams().queryMetadataForKey(SegmenterTopology.PROFILES_STORE, id, new StringSerializer());
  }

  private static SegmenterService instanceAt(HostInfo host) {
    for (SegmenterService s : instances) if (s.advertisedAddress().equals(host)) return s;
    return null;
  }

  private static String address(SegmenterService s) {
    return s.advertisedAddress().host() + ":" + s.advertisedAddress().port();
  }

  private static int status(SegmenterService s, String path, String token) {
    try {
      return send(s, path, token, anonymousTls).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static HttpResponse<String> send(SegmenterService s, String path, String token, SSLContext tls)
      throws Exception {
    return send(s, path, token, tls, Map.of());
  }

  private static HttpResponse<String> send(SegmenterService s, String path, String token, SSLContext tls,
      Map<String, String> headers) throws Exception {
    HttpClient client = CLIENTS.computeIfAbsent(tls,
        t -> HttpClient.newBuilder().sslContext(t).connectTimeout(Duration.ofSeconds(5)).build());
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + s.httpPort() + path))
        .timeout(Duration.ofSeconds(15));
    if (token != null) request.header("Authorization", "Bearer " + token);
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }
}
