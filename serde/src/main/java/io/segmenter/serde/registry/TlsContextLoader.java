package io.segmenter.serde.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.types.Password;

/**
 * Builds the client's SSLContext from the {@code schema.registry.ssl.*} settings, loading the stores
 * at configuration time so that a wrong path, type or password fails at start-up, naming the key.
 */
final class TlsContextLoader {
  private static final String TRUSTSTORE_LOCATION = SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION_CONFIG;
  private static final String TRUSTSTORE_PASSWORD = SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG;
  private static final String TRUSTSTORE_TYPE = SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE_CONFIG;
  private static final String KEYSTORE_LOCATION = SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION_CONFIG;
  private static final String KEYSTORE_PASSWORD = SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD_CONFIG;
  private static final String KEYSTORE_TYPE = SchemaRegistryClientConfig.SSL_KEYSTORE_TYPE_CONFIG;
  private static final String KEY_PASSWORD = SchemaRegistryClientConfig.SSL_KEY_PASSWORD_CONFIG;

  /** What was configured, for toString(): locations and types only, never passwords. */
  record Description(String trustStore, String keyStore) {}

  private TlsContextLoader() {}

  /** True when any store is configured, i.e. the client needs its own SSLContext. */
  static boolean configured(AbstractConfig config) {
    return config.getString(TRUSTSTORE_LOCATION) != null || config.getString(KEYSTORE_LOCATION) != null;
  }

  static Description describe(AbstractConfig config) {
    return new Description(describe(config, TRUSTSTORE_LOCATION, TRUSTSTORE_TYPE),
        describe(config, KEYSTORE_LOCATION, KEYSTORE_TYPE));
  }

  static SSLContext load(AbstractConfig config) {
    TrustManager[] trustManagers = null; // null: the JVM's default trusted CAs
    if (config.getString(TRUSTSTORE_LOCATION) != null) {
      KeyStore trustStore = loadStore(config, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE);
      trustManagers = trustManagers(trustStore);
    }
    KeyManager[] keyManagers = null; // null: no client certificate (no mutual TLS)
    if (config.getString(KEYSTORE_LOCATION) != null) {
      KeyStore keyStore = loadStore(config, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE);
      // Kafka's convention: the key password defaults to the keystore password.
      String keyPassword = secret(config, KEY_PASSWORD);
      keyManagers = keyManagers(keyStore, keyPassword != null ? keyPassword : secret(config, KEYSTORE_PASSWORD));
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw ConfigInput.invalid(TRUSTSTORE_LOCATION, "cannot build a TLS context: " + e.getMessage());
    }
  }

  private static String describe(AbstractConfig config, String locationKey, String typeKey) {
    String location = config.getString(locationKey);
    return location == null ? "none" : location + " (" + storeType(config, typeKey) + ")";
  }

  private static KeyStore loadStore(AbstractConfig config, String locationKey, String passwordKey, String typeKey) {
    String location = config.getString(locationKey);
    Path file = Path.of(location);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw ConfigInput.invalid(locationKey, "file '" + location + "' does not exist or is not readable; set it to "
          + "the path of a JKS or PKCS12 file");
    }
    String type = storeType(config, typeKey);
    String password = secret(config, passwordKey);
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password == null ? null : password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      String hint =
          e.getCause() instanceof UnrecoverableKeyException || password == null
              ? "check " + passwordKey
              : "check " + passwordKey + " and " + typeKey + " (" + type + ")";
      throw ConfigInput.invalid(
          locationKey, "cannot open '" + location + "' as a " + type + " store (" + hint + "): " + e.getMessage());
    }
  }

  /** JKS or PKCS12, in upper case: the setting's validator has checked it is one of them. */
  private static String storeType(AbstractConfig config, String typeKey) {
    return config.getString(typeKey).toUpperCase(Locale.ROOT);
  }

  private static String secret(AbstractConfig config, String key) {
    Password password = config.getPassword(key);
    return password == null ? null : password.value();
  }

  private static TrustManager[] trustManagers(KeyStore trustStore) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trustStore);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw ConfigInput.invalid(TRUSTSTORE_LOCATION, "unusable truststore: " + e.getMessage());
    }
  }

  private static KeyManager[] keyManagers(KeyStore keyStore, String keyPassword) {
    try {
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keyStore, keyPassword == null ? null : keyPassword.toCharArray());
      return factory.getKeyManagers();
    } catch (UnrecoverableKeyException e) {
      throw ConfigInput.invalid(KEY_PASSWORD, "cannot read the private key in the keystore: check " + KEY_PASSWORD);
    } catch (GeneralSecurityException e) {
      throw ConfigInput.invalid(KEYSTORE_LOCATION, "unusable keystore: " + e.getMessage());
    }
  }
}
