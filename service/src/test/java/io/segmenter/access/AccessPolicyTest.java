package io.segmenter.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.segmenter.access.AccessPolicy.Decision;
import io.segmenter.access.AccessPolicy.Route;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every route, for every kind of caller, with and without credentials configured, enabled or not. */
class AccessPolicyTest {
  static final Principal ANONYMOUS = Principal.anonymous();
  static final Principal OPS = new Principal("grafana", Set.of(Role.OPS), Principal.Authentication.TOKEN);
  static final Principal READER = new Principal("crm-app", Set.of(Role.READER), Principal.Authentication.TOKEN);
  static final Principal READER_BY_CERTIFICATE = new Principal(new X500Principal("CN=crm-app,O=Acme").getName(),
      Set.of(Role.READER), Principal.Authentication.CERTIFICATE);
  static final Principal PEER = Principal.peer("10.0.0.7");
  static final Principal PEER_BY_CERTIFICATE = new Principal("CN=segmenter,O=Acme", Set.of(Role.PEER),
      Principal.Authentication.CERTIFICATE);

  /** Access control on: the expected decision per route, credentials configured or not, per caller. */
  @ParameterizedTest(name = "{0} configured={1}")
  @CsvSource(delimiter = '|', value = {
      // route  | configured | anonymous       | ops       | reader    | peer
      "INDEX    | false      | ALLOW           | ALLOW     | ALLOW     | ALLOW",
      "INDEX    | true       | ALLOW           | ALLOW     | ALLOW     | ALLOW",
      "ASSET    | false      | ALLOW           | ALLOW     | ALLOW     | ALLOW",
      "ASSET    | true       | ALLOW           | ALLOW     | ALLOW     | ALLOW",
      "HEALTH   | false      | ALLOW           | ALLOW     | ALLOW     | ALLOW",
      "HEALTH   | true       | ALLOW           | ALLOW     | ALLOW     | ALLOW",
      "METRICS  | false      | ALLOW           | ALLOW     | ALLOW     | ALLOW",
      "METRICS  | true       | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      "SEGMENTS | false      | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      "SEGMENTS | true       | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      "MODEL    | false      | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      "MODEL    | true       | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      "MAP      | false      | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      "MAP      | true       | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      "FLOWS    | false      | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      "FLOWS    | true       | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      "CUSTOMER | false      | UNAUTHENTICATED | FORBIDDEN | ALLOW     | ALLOW",
      "CUSTOMER | true       | UNAUTHENTICATED | FORBIDDEN | ALLOW     | ALLOW",
      "INTERNAL | false      | UNAUTHENTICATED | ALLOW     | ALLOW     | ALLOW",
      "INTERNAL | true       | UNAUTHENTICATED | ALLOW     | ALLOW     | ALLOW",
      "STRATEGIES | false    | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      "STRATEGIES | true     | UNAUTHENTICATED | ALLOW     | ALLOW     | FORBIDDEN",
      // A promotion changes what the service emits: the ops role itself, not a reader's nesting.
      "PROMOTE  | false      | UNAUTHENTICATED | ALLOW     | FORBIDDEN | FORBIDDEN",
      "PROMOTE  | true       | UNAUTHENTICATED | ALLOW     | FORBIDDEN | FORBIDDEN"})
  void enabledDecidesByRouteAndRole(Route route, boolean configured, Decision anonymous, Decision ops, Decision reader,
      Decision peer) {
    AccessPolicy policy = new AccessPolicy(true);
    assertThat(policy.decide(route, ANONYMOUS, configured)).as("anonymous").isEqualTo(anonymous);
    assertThat(policy.decide(route, OPS, configured)).as("ops").isEqualTo(ops);
    assertThat(policy.decide(route, READER, configured)).as("reader").isEqualTo(reader);
    assertThat(policy.decide(route, PEER, configured)).as("peer").isEqualTo(peer);
    // How the caller authenticated does not matter, only its roles.
    assertThat(policy.decide(route, READER_BY_CERTIFICATE, configured)).as("reader by certificate").isEqualTo(reader);
    assertThat(policy.decide(route, PEER_BY_CERTIFICATE, configured)).as("peer by certificate").isEqualTo(peer);
  }

  @Test
  void theTableAboveHasARowForEveryRouteWithAndWithoutCredentials() throws Exception {
    CsvSource table = getClass().getDeclaredMethod("enabledDecidesByRouteAndRole", Route.class, boolean.class,
        Decision.class, Decision.class, Decision.class, Decision.class).getAnnotation(CsvSource.class);
    Set<String> rows = new HashSet<>();
    for (String row : table.value()) {
      String[] cells = row.split("\\|");
      rows.add(cells[0].strip() + " " + cells[1].strip());
    }
    Set<String> wanted = new HashSet<>();
    for (Route route : Route.values()) {
      wanted.add(route + " false");
      wanted.add(route + " true");
    }
    assertThat(rows).isEqualTo(wanted);
  }

  @Test
  void anAnonymousPrincipalHasNoRolesAndAnAuthenticatedOneHasSome() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Principal("x", Set.of(), Principal.Authentication.TOKEN));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Principal("x", Set.of(Role.OPS), Principal.Authentication.ANONYMOUS));
  }

  @Test
  void disabledAllowsEverythingToEveryone() {
    AccessPolicy policy = new AccessPolicy(false);
    List<String> refused = new ArrayList<>();
    for (Route route : Route.values()) {
      for (Principal p : List.of(ANONYMOUS, OPS, READER, READER_BY_CERTIFICATE, PEER, PEER_BY_CERTIFICATE)) {
        for (boolean configured : new boolean[] {false, true}) {
          if (policy.decide(route, p, configured) != Decision.ALLOW) refused.add(route + " " + p.name() + " " + configured);
        }
      }
    }
    assertThat(refused).isEmpty();
  }

  @Test
  void withNoCredentialsAnonymousGetsHealthAndMetricsButNoCustomer() {
    AccessPolicy policy = new AccessPolicy(true);
    assertThat(policy.decide(Route.HEALTH, ANONYMOUS, false)).isEqualTo(Decision.ALLOW);
    assertThat(policy.decide(Route.METRICS, ANONYMOUS, false)).isEqualTo(Decision.ALLOW);
    assertThat(policy.decide(Route.CUSTOMER, ANONYMOUS, false).status()).isEqualTo(401);
  }

  @Test
  void decisionsCarryTheirStatus() {
    assertThat(Decision.ALLOW.status()).isEqualTo(200);
    assertThat(Decision.UNAUTHENTICATED.status()).isEqualTo(401);
    assertThat(Decision.FORBIDDEN.status()).isEqualTo(403);
  }

  @Test
  void peerHeadersAreHonouredOnlyFromPeersWhenEnabled() {
    AccessPolicy on = new AccessPolicy(true);
    assertThat(on.honoursPeerHeaders(PEER)).isTrue();
    assertThat(on.honoursPeerHeaders(PEER_BY_CERTIFICATE)).isTrue();
    assertThat(on.honoursPeerHeaders(READER)).isFalse();
    assertThat(on.honoursPeerHeaders(OPS)).isFalse();
    assertThat(on.honoursPeerHeaders(ANONYMOUS)).isFalse();
    assertThat(new AccessPolicy(false).honoursPeerHeaders(ANONYMOUS)).isTrue();
  }

  @Test
  void aReaderHasOpsButNeitherHasPeer() {
    assertThat(READER.has(Role.OPS)).isTrue();
    assertThat(READER.has(Role.READER)).isTrue();
    assertThat(OPS.has(Role.READER)).isFalse();
    assertThat(READER.has(Role.PEER)).isFalse();
    assertThat(PEER.has(Role.OPS)).isFalse();
    assertThat(PEER.name()).isEqualTo("peer:10.0.0.7");
    assertThat(ANONYMOUS.isAnonymous()).isTrue();
    assertThat(ANONYMOUS.name()).isEqualTo("anonymous");
  }
}
