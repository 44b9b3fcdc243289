package io.segmenter.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.testing.TestTls;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60) // keytool runs once for the class
class SchemaRegistryClientConfigTest {
  private static final String URL = "http://registry:8081";

  @TempDir static Path dir;
  private static TestTls tls;

  @BeforeAll
  static void generateTlsMaterial() {
    tls = TestTls.generate(dir);
  }

  @Test
  void defaultsAreConfluents() {
    SchemaRegistryClientConfig config = SchemaRegistryClientConfig.fromProperties(Map.of("schema.registry.url", URL));

    assertThat(config.urls()).containsExactly(URL);
    assertThat(config.usesBasicAuth()).isFalse();
    assertThat(config.sslContext()).isEmpty();
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.maxRetries()).isEqualTo(3);
    assertThat(config.retriesWait()).isEqualTo(Duration.ofMillis(1000));
    assertThat(config.retriesMaxWait()).isEqualTo(Duration.ofMillis(2000));
    assertThat(config.maxSchemasPerSubject()).isEqualTo(1000);
    assertThat(config.latestCacheTtlSec()).isEqualTo(-1);
  }

  @Test
  void numbersMayBeStringsOrNumbersAndUnknownKeysAreIgnored() {
    Map<String, Object> props = new HashMap<>();
    props.put("schema.registry.url", URL);
    props.put("http.connect.timeout.ms", " 1500 ");
    props.put("http.read.timeout.ms", 2500);
    props.put("max.retries", 5L);
    props.put("retries.wait.ms", (short) 10);
    props.put("retries.max.wait.ms", 40.0);
    props.put("max.schemas.per.subject", "7");
    props.put("latest.cache.ttl.sec", 0);
    props.put("bootstrap.servers", "kafka:9092"); // Kafka's, not ours
    props.put("specific.avro.reader", true);

    SchemaRegistryClientConfig config = SchemaRegistryClientConfig.fromProperties(props);

    assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.readTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.maxRetries()).isEqualTo(5);
    assertThat(config.retriesWait()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.retriesMaxWait()).isEqualTo(Duration.ofMillis(40));
    assertThat(config.maxSchemasPerSubject()).isEqualTo(7);
    assertThat(config.latestCacheTtlSec()).isZero();
  }

  @Test
  void urlListIsTrimmedKeepsPathsAndDropsTrailingSlashes() {
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.fromProperties(
            Map.of("schema.registry.url", " http://a:8081/ , https://b/apis/ccompat/v7/,,"));
    assertThat(config.urls()).containsExactly("http://a:8081", "https://b/apis/ccompat/v7");

    SchemaRegistryClientConfig fromList =
        SchemaRegistryClientConfig.fromProperties(Map.of("schema.registry.url", List.of("http://a:1", "http://b:2")));
    assertThat(fromList.urls()).containsExactly("http://a:1", "http://b:2");
  }

  @Test
  void userInfoSourceSendsTheSameCredentialsToEveryUrl() {
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.fromProperties(
            Map.of(
                "schema.registry.url", "http://a:1,http://b:2",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:pa:ss"));

    assertThat(config.credentialsSource()).isEqualTo(SchemaRegistryClientConfig.CredentialsSource.USER_INFO);
    assertThat(config.endpoints()).extracting(RegistryEndpoint::authorization).containsOnly(basic("svc:pa:ss"));
  }

  @Test
  void urlSourceTakesEachUrlsOwnDecodedUserInfoAndStripsIt() {
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.fromProperties(
            Map.of(
                "schema.registry.url", "http://svc:p%40ss+w@a:1,http://b:2",
                "basic.auth.credentials.source", "url"));

    assertThat(config.urls()).containsExactly("http://a:1", "http://b:2");
    assertThat(config.endpoints().get(0).authorization()).isEqualTo(basic("svc:p@ss+w"));
    assertThat(config.endpoints().get(1).authorization()).isNull();
  }

  @Test
  void userInfoWithoutSourceIsUsedRatherThanSilentlyIgnored() {
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.fromProperties(Map.of("schema.registry.url", URL, "basic.auth.user.info", "svc:pw"));
    assertThat(config.credentialsSource()).isEqualTo(SchemaRegistryClientConfig.CredentialsSource.USER_INFO);
    assertThat(config.endpoints().get(0).authorization()).isEqualTo(basic("svc:pw"));
  }

  @Test
  void olderUserInfoKeyIsAcceptedAndTheNewerOneWins() {
    SchemaRegistryClientConfig older =
        SchemaRegistryClientConfig.fromProperties(
            Map.of("schema.registry.url", URL, "basic.auth.credentials.source", "USER_INFO",
                "schema.registry.basic.auth.user.info", "old:pw"));
    assertThat(older.endpoints().get(0).authorization()).isEqualTo(basic("old:pw"));

    SchemaRegistryClientConfig both =
        SchemaRegistryClientConfig.fromProperties(
            Map.of("schema.registry.url", URL, "basic.auth.credentials.source", "USER_INFO",
                "schema.registry.basic.auth.user.info", "old:pw", "basic.auth.user.info", "new:pw"));
    assertThat(both.endpoints().get(0).authorization()).isEqualTo(basic("new:pw"));
  }

  @Test
  void kafkaPasswordValuesAreAccepted() {
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.fromProperties(
            Map.of("schema.registry.url", URL, "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", new Password("svc:pw")));
    assertThat(config.endpoints().get(0).authorization()).isEqualTo(basic("svc:pw"));
  }

  @Test
  void passwordsAreTakenAsGivenSpacesIncluded() {
    SchemaRegistryClientConfig config = SchemaRegistryClientConfig.fromProperties(
        Map.of("schema.registry.url", URL, "basic.auth.user.info", " svc:pw "));
    assertThat(config.endpoints().get(0).authorization()).isEqualTo(basic(" svc:pw "));
  }

  @Test
  void aPasswordThatIsNotAStringIsNamedWithoutEchoingIt() {
    assertThatThrownBy(() -> SchemaRegistryClientConfig.fromProperties(with("basic.auth.user.info", 31415926)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'basic.auth.user.info'")
        .hasMessageNotContaining("31415926");
  }

  @Test
  void theConfigDefDeclaresEverySettingOnceWithItsDocAndPasswordsAsPasswords() {
    ConfigDef definition = SchemaRegistryClientConfig.configDef();

    assertThat(definition.names()).containsExactlyInAnyOrderElementsOf(settingConstants());
    assertThat(definition.configKeys().values()).allSatisfy(key -> assertThat(key.documentation).isNotBlank());
    assertThat(definition.configKeys().values())
        .filteredOn(key -> key.type == ConfigDef.Type.PASSWORD)
        .extracting(key -> key.name)
        .containsExactlyInAnyOrder("basic.auth.user.info", "schema.registry.basic.auth.user.info",
            "schema.registry.ssl.truststore.password", "schema.registry.ssl.keystore.password",
            "schema.registry.ssl.key.password");
    definition.define("extra", ConfigDef.Type.STRING, ConfigDef.Importance.LOW, "a caller's own");
    assertThat(SchemaRegistryClientConfig.configDef().names()).as("a copy each time").doesNotContain("extra");
  }

  @Test
  void aLargerInitialWaitRaisesTheDefaultCap() {
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.fromProperties(Map.of("schema.registry.url", URL, "retries.wait.ms", 5000));
    assertThat(config.retriesMaxWait()).isEqualTo(Duration.ofMillis(5000));
  }

  @Test
  void truststoreAndKeystoreBuildAnSslContext() {
    Map<String, Object> props = new HashMap<>(tls.clientProperties());
    props.put("schema.registry.url", "https://localhost:8081");
    props.put("schema.registry.ssl.keystore.location", tls.server().keyStore().toString());
    props.put("schema.registry.ssl.keystore.password", TestTls.PASSWORD);
    props.put("schema.registry.ssl.keystore.type", "pkcs12");

    SchemaRegistryClientConfig config = SchemaRegistryClientConfig.fromProperties(props);

    assertThat(config.sslContext()).isPresent();
    assertThat(config.toString()).contains(tls.trustStore().toString()).contains("PKCS12");
  }

  @Test
  void toStringAndMessagesNeverHoldSecrets() {
    Map<String, Object> props = new HashMap<>(tls.clientProperties());
    props.put("schema.registry.url", "http://svc:url-secret@a:1");
    props.put("basic.auth.user.info", "svc:info-secret");
    String text = SchemaRegistryClientConfig.fromProperties(props).toString();

    assertThat(text).doesNotContain("url-secret").doesNotContain("info-secret").doesNotContain(TestTls.PASSWORD);
    assertThat(text).contains("http://a:1").contains("basicAuth=URL");

    assertThatThrownBy(
            () -> SchemaRegistryClientConfig.fromProperties(Map.of("schema.registry.url", "ftp://svc:url-secret@a:1")))
        .hasMessageNotContaining("url-secret")
        .hasMessageContaining("***@a:1");
  }

  static Stream<Arguments> invalidConfigs() {
    return Stream.of(
        invalid("missing url", Map.of(), "schema.registry.url", "is required"),
        invalid("blank url list", Map.of("schema.registry.url", " , "), "schema.registry.url", "is required"),
        invalid("url without scheme", Map.of("schema.registry.url", "localhost:8081"), "schema.registry.url", "http://"),
        invalid("url of another scheme", Map.of("schema.registry.url", "ftp://a"), "schema.registry.url", "http://"),
        invalid("url without host", Map.of("schema.registry.url", "http://"), "schema.registry.url", "URL #1"),
        invalid("second url bad", Map.of("schema.registry.url", "http://a,http://b c"), "schema.registry.url", "URL #2"),
        invalid("url with query", Map.of("schema.registry.url", "http://a?x=1"), "schema.registry.url", "query"),
        invalid("url of wrong type", Map.of("schema.registry.url", 8081), "schema.registry.url", "string"),
        invalid("timeout not a number", with("http.read.timeout.ms", "soon"), "http.read.timeout.ms", "whole number"),
        invalid("timeout zero", with("http.connect.timeout.ms", 0), "http.connect.timeout.ms", "between 1"),
        invalid("fractional retries", with("max.retries", 2.5), "max.retries", "whole number"),
        invalid("negative retries", with("max.retries", "-1"), "max.retries", "between 0"),
        invalid("negative wait", with("retries.wait.ms", -5), "retries.wait.ms", "between 0"),
        invalid(
            "cap below initial wait",
            with("retries.wait.ms", 500, "retries.max.wait.ms", 100),
            "retries.max.wait.ms",
            "at least retries.wait.ms"),
        invalid("no room for schemas", with("max.schemas.per.subject", 0), "max.schemas.per.subject", "between 1"),
        invalid("ttl below -1", with("latest.cache.ttl.sec", -2), "latest.cache.ttl.sec", "-1 = forever"),
        invalid(
            "unknown credentials source",
            with("basic.auth.credentials.source", "KERBEROS"),
            "basic.auth.credentials.source",
            "use USER_INFO or URL"),
        invalid(
            "SASL_INHERIT",
            with("basic.auth.credentials.source", "SASL_INHERIT"),
            "basic.auth.credentials.source",
            "not supported"),
        invalid(
            "USER_INFO without user info",
            with("basic.auth.credentials.source", "USER_INFO"),
            "basic.auth.user.info",
            "is required"),
        invalid(
            "user info without colon",
            with("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "justatoken"),
            "basic.auth.user.info",
            "'user:password'"),
        invalid(
            "older user info key without colon",
            with("schema.registry.basic.auth.user.info", "justatoken"),
            "schema.registry.basic.auth.user.info",
            "'user:password'"),
        invalid(
            "url user info without colon",
            Map.of("schema.registry.url", "http://justatoken@a:1"),
            "schema.registry.url",
            "'user:password'"),
        invalid(
            "truststore missing",
            with("schema.registry.ssl.truststore.location", "/no/such/truststore.jks"),
            "schema.registry.ssl.truststore.location",
            "does not exist"),
        invalid(
            "keystore missing",
            with("schema.registry.ssl.keystore.location", "/no/such/keystore.p12"),
            "schema.registry.ssl.keystore.location",
            "does not exist"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidConfigs")
  void invalidSettingsFailFastNamingTheKey(String name, Map<String, ?> props, String key, String hint) {
    assertThatThrownBy(() -> SchemaRegistryClientConfig.fromProperties(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'" + key + "'")
        .hasMessageContaining(hint)
        .hasMessageNotContaining("justatoken"); // a colon-less user info may be a bare secret
  }

  @Test
  void unknownStoreTypeIsNamed() {
    Map<String, Object> props = new HashMap<>(tls.clientProperties());
    props.put("schema.registry.url", URL);
    props.put("schema.registry.ssl.truststore.type", "PEM");
    assertThatThrownBy(() -> SchemaRegistryClientConfig.fromProperties(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'schema.registry.ssl.truststore.type'")
        .hasMessageContaining("JKS or PKCS12");
  }

  @Test
  void wrongTruststorePasswordIsNamedWithoutEchoingIt() {
    Map<String, Object> props = new HashMap<>(tls.clientProperties());
    props.put("schema.registry.url", URL);
    props.put("schema.registry.ssl.truststore.password", "not-the-password");
    assertThatThrownBy(() -> SchemaRegistryClientConfig.fromProperties(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'schema.registry.ssl.truststore.location'")
        .hasMessageContaining("schema.registry.ssl.truststore.password")
        .hasMessageNotContaining("not-the-password");
  }

  @Test
  void fileOfTheWrongTypeIsNamed() throws Exception {
    Path notAStore = Files.writeString(dir.resolve("not-a-store.jks"), "hello");
    Map<String, Object> props =
        with("schema.registry.ssl.truststore.location", notAStore.toString(), "schema.registry.ssl.truststore.password", "x");
    assertThatThrownBy(() -> SchemaRegistryClientConfig.fromProperties(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'schema.registry.ssl.truststore.location'")
        .hasMessageContaining("JKS");
  }

  @Test
  void wrongKeyPasswordIsNamed() {
    Map<String, Object> props =
        with(
            "schema.registry.ssl.keystore.location", tls.server().keyStore().toString(),
            "schema.registry.ssl.keystore.type", "PKCS12",
            "schema.registry.ssl.keystore.password", TestTls.PASSWORD,
            "schema.registry.ssl.key.password", "wrong-key-password");
    assertThatThrownBy(() -> SchemaRegistryClientConfig.fromProperties(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.key")
        .hasMessageNotContaining("wrong-key-password");
  }

  private static Arguments invalid(String name, Map<String, ?> props, String key, String hint) {
    return Arguments.of(name, props, key, hint);
  }

  /** A valid URL plus these key/value pairs. */
  private static Map<String, Object> with(Object... keyValues) {
    Map<String, Object> props = new HashMap<>();
    props.put("schema.registry.url", URL);
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put((String) keyValues[i], keyValues[i + 1]);
    }
    return props;
  }

  /** The values of the class's own public {@code *_CONFIG} constants. */
  private static List<String> settingConstants() {
    List<String> names = new ArrayList<>();
    for (Field field : SchemaRegistryClientConfig.class.getDeclaredFields()) {
      int modifiers = field.getModifiers();
      if (field.getName().endsWith("_CONFIG") && Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers)) {
        try {
          names.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return names;
  }

  private static String basic(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }
}
