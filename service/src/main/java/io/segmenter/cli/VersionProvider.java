package io.segmenter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the project version written into the jar by the build. */
final class VersionProvider implements IVersionProvider {
  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("/segmenter-version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // Fall through to "unknown": the version line is not worth failing a command for.
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"segmenter " + version(),
        "Java " + System.getProperty("java.version") + ", Kafka " + org.apache.kafka.common.utils.AppInfoParser.getVersion()};
  }
}
