package io.segmenter.serde.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the client's SSLContext from the {@code schema.registry.ssl.*} settings, loading the stores
 * at configuration time so that a wrong path, type or password fails at start-up, naming the key.
 */
final class TlsContextLoader {
  static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  static final String KEY_PASSWORD = "schema.registry.ssl.key.password";

  private static final Set<String> STORE_TYPES = Set.of("JKS", "PKCS12");
  private static final String DEFAULT_STORE_TYPE = "JKS";

  /** What was configured, for toString(): locations and types only, never passwords. */
  record Description(String trustStore, String keyStore) {}

  private TlsContextLoader() {}

  /** True when any store is configured, i.e. the client needs its own SSLContext. */
  static boolean configured(ConfigValues values) {
    return values.isSet(TRUSTSTORE_LOCATION) || values.isSet(KEYSTORE_LOCATION);
  }

  static Description describe(ConfigValues values) {
    return new Description(
        values.string(TRUSTSTORE_LOCATION).map(l -> l + " (" + storeType(values, TRUSTSTORE_TYPE) + ")").orElse("none"),
        values.string(KEYSTORE_LOCATION).map(l -> l + " (" + storeType(values, KEYSTORE_TYPE) + ")").orElse("none"));
  }

  static SSLContext load(ConfigValues values) {
    TrustManager[] trustManagers = null; // null: the JVM's default trusted CAs
    if (values.isSet(TRUSTSTORE_LOCATION)) {
      KeyStore trustStore = loadStore(values, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE);
      trustManagers = trustManagers(trustStore);
    }
    KeyManager[] keyManagers = null; // null: no client certificate (no mutual TLS)
    if (values.isSet(KEYSTORE_LOCATION)) {
      KeyStore keyStore = loadStore(values, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE);
      // Kafka's convention: the key password defaults to the keystore password.
      String keyPassword = values.secret(KEY_PASSWORD).or(() -> values.secret(KEYSTORE_PASSWORD)).orElse(null);
      keyManagers = keyManagers(keyStore, keyPassword);
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw ConfigValues.invalid(TRUSTSTORE_LOCATION, "cannot build a TLS context: " + e.getMessage());
    }
  }

  private static KeyStore loadStore(ConfigValues values, String locationKey, String passwordKey, String typeKey) {
    String location = values.string(locationKey).orElseThrow();
    Path file = Path.of(location);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw ConfigValues.invalid(
          locationKey, "file '" + location + "' does not exist or is not readable; set it to the path of a JKS or PKCS12 file");
    }
    String type = storeType(values, typeKey);
    String password = values.secret(passwordKey).orElse(null);
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password == null ? null : password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      String hint =
          e.getCause() instanceof UnrecoverableKeyException || password == null
              ? "check " + passwordKey
              : "check " + passwordKey + " and " + typeKey + " (" + type + ")";
      throw ConfigValues.invalid(
          locationKey, "cannot open '" + location + "' as a " + type + " store (" + hint + "): " + e.getMessage());
    }
  }

  private static String storeType(ConfigValues values, String typeKey) {
    String type = values.string(typeKey).orElse(DEFAULT_STORE_TYPE).toUpperCase(Locale.ROOT);
    if (!STORE_TYPES.contains(type)) {
      throw ConfigValues.invalid(typeKey, "must be JKS or PKCS12, got '" + type + "'");
    }
    return type;
  }

  private static TrustManager[] trustManagers(KeyStore trustStore) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trustStore);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw ConfigValues.invalid(TRUSTSTORE_LOCATION, "unusable truststore: " + e.getMessage());
    }
  }

  private static KeyManager[] keyManagers(KeyStore keyStore, String keyPassword) {
    try {
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keyStore, keyPassword == null ? null : keyPassword.toCharArray());
      return factory.getKeyManagers();
    } catch (UnrecoverableKeyException e) {
      throw ConfigValues.invalid(KEY_PASSWORD, "cannot read the private key in the keystore: check " + KEY_PASSWORD);
    } catch (GeneralSecurityException e) {
      throw ConfigValues.invalid(KEYSTORE_LOCATION, "unusable keystore: " + e.getMessage());
    }
  }
}
