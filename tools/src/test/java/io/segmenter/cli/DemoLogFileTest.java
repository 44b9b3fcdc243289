package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's terminal shows its view: the service's log goes to the file that the demo names in
 * {@link DemoCommand#LOG_FILE_PROPERTY}, through the logback.xml that the service ships.
 */
class DemoLogFileTest {
  @Test
  void theServicesLogbackXmlWritesToTheFileThatTheDemoNames(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("segmenter.log");
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    // The demo sets a system property; Logback reads a context property the same way, and first.
    context.putProperty(DemoCommand.LOG_FILE_PROPERTY, file.toString());
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(DemoLogFileTest.class.getResource("/logback.xml"));
      context.getLogger("io.segmenter.service.SegmenterService").info("segmenter started");
    } finally {
      context.stop();
    }
    assertThat(Files.readString(file)).contains("segmenter started");
  }
}
